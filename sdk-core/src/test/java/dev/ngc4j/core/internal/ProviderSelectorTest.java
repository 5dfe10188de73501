package dev.ngc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests of the selection rules, with stand-in providers that only answer id/priority/probe. */
class ProviderSelectorTest {

  private static final class Fake implements CredentialProvider {
    final String id;
    final int priority;
    final boolean hardware;
    final boolean available;
    final int api;

    Fake(String id, int priority, boolean hardware, boolean available, int api) {
      this.id = id;
      this.priority = priority;
      this.hardware = hardware;
      this.available = available;
      this.api = api;
    }

    static Fake hw(String id, int priority) {
      return new Fake(id, priority, true, true, 1);
    }

    static Fake sw(String id, int priority) {
      return new Fake(id, priority, false, true, 1);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public int apiVersion() {
      return api;
    }

    @Override
    public ProbeResult probe() {
      Capabilities caps = new Capabilities(hardware, Set.of(), Set.of(GestureKind.PIN),
          Set.of(SignatureAlgorithm.RSA_PKCS1_SHA256));
      return available ? ProbeResult.available(caps)
          : ProbeResult.unavailable(caps, id + " device not found", "plug in the " + id);
    }

    @Override
    public ProviderSession open(ProviderContext context) throws NgcException {
      throw new UnsupportedOperationException("not opened in selection tests");
    }
  }

  private static ErrorCode codeOf(ProviderUnavailableException e) {
    return e.code();
  }

  @Test
  void explicitInstanceAlwaysWinsEvenWhenSoftwareWasNotAllowed() throws Exception {
    Fake sw = Fake.sw("software", 10);
    var choice = ProviderSelector.select(sw, "tpm", false, false, List.of(Fake.hw("tpm", 100)));
    assertSame(sw, choice.provider());
  }

  @Test
  void explicitSoftwareProviderIsRefusedWhenHardwareIsRequired() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(Fake.sw("software", 10), null, true, true, List.of()));
    assertEquals(ErrorCode.HARDWARE_REQUIRED, codeOf(e));
  }

  @Test
  void configuredIdBeatsPriority() throws Exception {
    Fake tpm = Fake.hw("tpm", 100);
    Fake p11 = Fake.hw("pkcs11", 90);
    assertSame(p11, ProviderSelector.select(null, "pkcs11", false, false, List.of(tpm, p11)).provider());
  }

  @Test
  void configuredSoftwareIdIsAnExplicitChoice() throws Exception {
    Fake sw = Fake.sw("software", 10);
    assertSame(sw, ProviderSelector.select(null, "software", false, false, List.of(Fake.hw("tpm", 100), sw)).provider());
  }

  @Test
  void configuredIdThatIsNotInstalledNamesWhatWasFound() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, "tpm", false, false, List.of(Fake.sw("software", 10))));
    assertEquals(ErrorCode.NO_PROVIDER, codeOf(e));
    assertTrue(e.getMessage().contains("software"), e.getMessage());
  }

  @Test
  void configuredIdThatIsUnavailableSaysWhyAndWhatToDo() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, "tpm", false, false, List.of(new Fake("tpm", 100, true, false, 1))));
    assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, codeOf(e));
    assertTrue(e.getMessage().contains("tpm device not found") && e.getMessage().contains("plug in the tpm"));
  }

  @Test
  void highestPriorityAvailableProviderIsChosen() throws Exception {
    Fake best = Fake.hw("pkcs11", 90);
    var choice = ProviderSelector.select(null, null, false, false,
        List.of(new Fake("tpm", 100, true, false, 1), best, Fake.sw("software", 10)));
    assertSame(best, choice.provider());
  }

  @Test
  void aTieAtTheTopFailsFast() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, null, false, false, List.of(Fake.hw("a", 100), Fake.hw("b", 100))));
    assertEquals(ErrorCode.AMBIGUOUS_PROVIDER, codeOf(e));
    assertTrue(e.getMessage().contains("a, b") || e.getMessage().contains("b, a"), e.getMessage());
  }

  @Test
  void softwareIsNeverChosenSilently() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, null, false, false, List.of(Fake.sw("software", 10))));
    assertEquals(ErrorCode.NO_PROVIDER, codeOf(e));
    assertTrue(e.remedy().contains("allowSoftwareKeys()"), e.remedy());
  }

  @Test
  void softwareIsChosenWhenAllowedAndNothingElseWorks() throws Exception {
    Fake sw = Fake.sw("software", 10);
    assertSame(sw, ProviderSelector.select(null, null, false, true,
        List.of(new Fake("tpm", 100, true, false, 1), sw)).provider());
  }

  @Test
  void requiringHardwareWithOnlySoftwareFailsWithHardwareRequired() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, null, true, true, List.of(Fake.sw("software", 10))));
    assertEquals(ErrorCode.HARDWARE_REQUIRED, codeOf(e));
  }

  @Test
  void providersBuiltForAnotherApiAreSkippedAndRefusedWhenExplicit() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, null, false, true, List.of(new Fake("old", 200, true, true, 0))));
    assertEquals(ErrorCode.NO_PROVIDER, codeOf(e));
    var e2 = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(new Fake("old", 200, true, true, 0), null, false, true, List.of()));
    assertEquals(ErrorCode.PROVIDER_INCOMPATIBLE, codeOf(e2));
  }

  @Test
  void noProvidersAtAllSaysWhatToInstall() {
    var e = assertThrows(ProviderUnavailableException.class,
        () -> ProviderSelector.select(null, null, false, true, List.of()));
    assertEquals(ErrorCode.NO_PROVIDER, codeOf(e));
    assertTrue(e.getMessage().contains("provider-software"), e.getMessage());
  }
}
