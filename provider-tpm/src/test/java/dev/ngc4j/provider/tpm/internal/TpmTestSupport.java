package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;

/**
 * Helpers for tests that drive a TPM session against an swtpm: opening sessions with test settings, and
 * dictionary-attack administration through the session's own connection (swtpm serves one client at a time, so
 * the harness's separate connection cannot be used while a session is open).
 */
public final class TpmTestSupport {
  /** The provider's attempt limit in tests. */
  public static final int MAX_ATTEMPTS = 5;
  /** The command timeout in tests: RSA key generation on a loaded 2-core machine has a long tail. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  /** A short command timeout for tests of a hung TPM. */
  public static final Duration HANG_TIMEOUT = Duration.ofSeconds(2);

  private TpmTestSupport() {}

  /** Settings pointing at the swtpm, with the test attempt limit and timeouts. */
  public static TpmSettings settings(Swtpm tpm, Map<String, String> extra) {
    Map<String, String> config = new HashMap<>();
    config.put(TpmSettings.KEY_DEVICE, tpm.deviceSpec());
    config.put(TpmSettings.KEY_MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS));
    config.put(TpmSettings.KEY_COMMAND_TIMEOUT, Double.toString(COMMAND_TIMEOUT.toMillis() / 1000.0));
    config.put(TpmSettings.KEY_CONNECT_TIMEOUT, "2000");
    config.putAll(extra);
    return TpmSettings.defaults().with(config);
  }

  /** Opens a session on the swtpm. */
  public static TpmSession open(Swtpm tpm, Path dataDirectory, Clock clock, Map<String, String> extra)
      throws NgcException {
    return TpmSession.open(new ProviderContext(dataDirectory, clock, Map.of()), settings(tpm, extra));
  }

  /** Sets the DA parameters through an open session's connection (empty lockout authorisation, as on swtpm). */
  public static void setDictionaryAttack(ProviderSession session, int maxTries, int recovery, int lockoutRecovery)
      throws NgcException {
    TpmConnection c = ((TpmSession) session).connection();
    c.call("setting DA parameters", t -> {
      t._allowErrors().DictionaryAttackParameters(TPM_HANDLE.from(TPM_RH.LOCKOUT), maxTries, recovery,
          lockoutRecovery);
      requireSuccess(c, "TPM2_DictionaryAttackParameters");
      return true;
    });
  }

  /** Clears the DA counter through an open session's connection. */
  public static void resetDictionaryAttack(ProviderSession session) throws NgcException {
    TpmConnection c = ((TpmSession) session).connection();
    c.call("resetting DA", t -> {
      t._allowErrors().DictionaryAttackLockReset(TPM_HANDLE.from(TPM_RH.LOCKOUT));
      requireSuccess(c, "TPM2_DictionaryAttackLockReset");
      return true;
    });
  }

  /** The TPM's DA failure counter, through an open session. */
  public static int dictionaryAttackFailures(ProviderSession session) throws NgcException {
    return ((TpmSession) session).keys().dictionaryAttackState().failures();
  }

  private static void requireSuccess(TpmConnection c, String what) {
    int rc = c.lastResponseCode();
    if (rc != 0) {
      throw new AssertionError(what + " failed with " + TpmRc.hex(rc));
    }
  }
}
