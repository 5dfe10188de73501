package dev.ngc4j.server.internal.keytrust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class OwnerDnTest {
  @Test
  void aUserIsNamedByItsUpnUnderUsersInTheDomainComponents() {
    assertEquals("CN=alice@contoso.example,CN=Users,DC=contoso,DC=example",
        OwnerDn.of("alice@contoso.example", "Contoso.Example"));
  }

  @Test
  void specialCharactersAreEscapedAsRfc4514Requires() {
    assertEquals("CN=a\\+b@x.example,CN=Users,DC=x,DC=example", OwnerDn.of("a+b@x.example", "x.example"));
    assertEquals("\\#a\\,b\\;c\\<d\\>e\\\"f\\\\g\\ ", OwnerDn.escape("#a,b;c<d>e\"f\\g "));
    assertEquals("\\ a b", OwnerDn.escape(" a b"));
    assertEquals("a#b", OwnerDn.escape("a#b"));
    assertEquals("a\\00b", OwnerDn.escape("a\0b"));
  }
}
