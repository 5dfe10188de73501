package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.testkit.KeyContainerContract;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider contract against SoftHSM2: a fresh token per test (made in this JVM), its user PIN the contract's
 * first PIN, three pool entries made up front (the contract takes keys from the pool without a login).
 */
class Pkcs11ContractTest extends KeyContainerContract {
  private static final int MAX_ATTEMPTS = 5;
  private static final Map<Path, TestTokens.Token> TOKENS = new ConcurrentHashMap<>();

  @Override
  protected ProviderSession openSession(Path dataDirectory, Clock clock) throws Exception {
    TestTokens.Token token = TOKENS.get(dataDirectory);
    boolean fresh = token == null;
    if (token == null) {
      token = TestTokens.create("contract", new String(firstPin()));
      TOKENS.put(dataDirectory, token);
    }
    Pkcs11CredentialProvider provider = Pkcs11CredentialProvider.builder()
        .library(dev.ngc4j.testkit.softhsm.SoftHsm.LIBRARY.toString())
        .tokenLabel(token.label())
        .maxAttempts(MAX_ATTEMPTS)
        .poolSize(0)
        .build();
    Pkcs11Session session = provider.open(new ProviderContext(dataDirectory, clock, Map.of()));
    if (fresh) {
      session.fillKeyPool(ScriptedGestures.create().pin(firstPin()), 2);
    }
    return session;
  }

  @Override
  protected int maxAttempts() {
    return MAX_ATTEMPTS;
  }

  @Override
  protected GesturePurpose creationPinPurpose() {
    return GesturePurpose.CONFIRM_CURRENT;
  }

  @Override
  protected boolean pinIsSharedByAllContainers() {
    return true;
  }
}
