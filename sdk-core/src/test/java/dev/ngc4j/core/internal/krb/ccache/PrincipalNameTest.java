package dev.ngc4j.core.internal.krb.ccache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Principal names: MIT's text form without krb5.conf, and validation. */
final class PrincipalNameTest {

  @Test
  void parsesAUserAndATgsName() {
    PrincipalName alice = PrincipalName.parse("alice@WHFB.TEST");
    assertEquals(new PrincipalName(PrincipalName.NT_PRINCIPAL, List.of("alice"), "WHFB.TEST"), alice);
    PrincipalName tgs = PrincipalName.parse("krbtgt/WHFB.TEST@WHFB.TEST");
    assertEquals(PrincipalName.NT_SRV_INST, tgs.nameType());
    assertEquals(List.of("krbtgt", "WHFB.TEST"), tgs.components());
    assertEquals("WHFB.TEST", tgs.realm());
    assertEquals(
        PrincipalName.NT_SRV_HST, PrincipalName.parse("host/h.whfb.test@WHFB.TEST", PrincipalName.NT_SRV_HST).nameType());
  }

  @Test
  void escapesRoundTrip() {
    PrincipalName upn = PrincipalName.parse("alice\\@contoso.example@WHFB.TEST", PrincipalName.NT_ENTERPRISE);
    assertEquals(List.of("alice@contoso.example"), upn.components());
    assertEquals("alice\\@contoso.example@WHFB.TEST", upn.toString());
    PrincipalName odd = new PrincipalName(1, List.of("a/b", "c\\d", "e\nf"), "R/EALM");
    assertEquals("a\\/b/c\\\\d/e\\nf@R/EALM", odd.toString());
    assertEquals(odd, PrincipalName.parse(odd.toString(), 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"alice", "alice@", "@WHFB.TEST", "alice/@WHFB.TEST", "/alice@WHFB.TEST", "a//b@R", "alice@R@S",
        "alice@R\\"})
  void refusesNamesWithoutRealmOrWithEmptyParts(String text) {
    assertThrows(IllegalArgumentException.class, () -> PrincipalName.parse(text));
  }

  @Test
  void validatesTheRecord() {
    assertThrows(IllegalArgumentException.class, () -> new PrincipalName(1, List.of(), "R"));
    assertThrows(IllegalArgumentException.class, () -> new PrincipalName(1, List.of("a", ""), "R"));
    assertThrows(IllegalArgumentException.class, () -> new PrincipalName(1, List.of("a"), ""));
  }
}
