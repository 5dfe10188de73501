package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.UnlockedKeyBase;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jspecify.annotations.Nullable;

/**
 * A decrypted private key in memory, for signing without further gestures or disk access. Initialised
 * {@link Signature} objects are pooled per algorithm and reused, so a signature costs what a bare JCA
 * {@code Signature.sign()} costs.
 *
 * <p>Closing drops the key and the pooled signers; the JDK's RSA key objects cannot be wiped, so the key material
 * stays on the heap until collected (best effort, as everything in Java).
 *
 * <p>Thread safety: safe for concurrent use until closed.
 */
final class SoftwareUnlockedKey extends UnlockedKeyBase {
  private static final PSSParameterSpec PSS =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

  private volatile @Nullable PrivateKey key;
  private final Deque<Signature> pkcs1 = new ConcurrentLinkedDeque<>();
  private final Deque<Signature> pss = new ConcurrentLinkedDeque<>();

  SoftwareUnlockedKey(KeyId keyId, PrivateKey key) {
    super(keyId);
    this.key = key;
  }

  @Override
  protected byte[] signOpen(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    PrivateKey k = key;
    if (k == null) {
      throw closedError();
    }
    Deque<Signature> pool = algorithm == SignatureAlgorithm.RSA_PSS_SHA256 ? pss : pkcs1;
    try {
      Signature signer = pool.pollFirst();
      if (signer == null) {
        signer = Signature.getInstance(algorithm.jcaName());
        if (algorithm == SignatureAlgorithm.RSA_PSS_SHA256) {
          signer.setParameter(PSS);
        }
        signer.initSign(k);
      }
      signer.update(message);
      byte[] signature = signer.sign();
      if (key != null) {
        pool.offerFirst(signer);
      }
      return signature;
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.PROVIDER_UNAVAILABLE, "The JDK failed to sign with " + algorithm, "use a standard JDK", e);
    }
  }

  @Override
  public void close() {
    key = null;
    pkcs1.clear();
    pss.clear();
  }

  @Override
  protected boolean isClosed() {
    return key == null;
  }
}
