package dev.ngc4j.core.internal.krb.pkinit;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.jspecify.annotations.Nullable;

/**
 * A BouncyCastle {@link ContentSigner} whose signatures (sha256WithRSAEncryption, RSASSA-PKCS1-v1_5) are made by an
 * unlocked key container, so the private key never leaves the provider. BouncyCastle's builders cannot propagate a
 * checked exception from {@link #getSignature()}; a container failure travels as {@link Failure} and is unwrapped
 * by {@link #unwrap(Throwable)}.
 *
 * <p>Thread safety: not thread-safe; make one per signature.
 */
public final class ContainerSigner implements ContentSigner {
  private static final AlgorithmIdentifier SHA256_WITH_RSA =
      new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, org.bouncycastle.asn1.DERNull.INSTANCE);

  private final UnlockedKey key;
  private final ByteArrayOutputStream data = new ByteArrayOutputStream(4096);

  /**
   * Creates a signer.
   *
   * @param key the unlocked container key; the caller closes it
   */
  public ContainerSigner(UnlockedKey key) {
    this.key = key;
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return SHA256_WITH_RSA;
  }

  @Override
  public OutputStream getOutputStream() {
    return data;
  }

  @Override
  public byte[] getSignature() {
    try {
      return key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, data.toByteArray());
    } catch (NgcException e) {
      throw new Failure(e);
    } finally {
      data.reset();
    }
  }

  /**
   * Finds a container failure in a BouncyCastle exception's cause chain.
   *
   * @param thrown what a BouncyCastle builder threw
   * @return the container's exception, or {@code null} when the failure was something else
   */
  public static @Nullable NgcException unwrap(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof Failure failure) {
        return failure.ngc;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * Rethrows the container failure a BouncyCastle exception carries, if any; otherwise returns the exception for the
   * caller to throw: {@code catch (RuntimeException e) { throw ContainerSigner.rethrown(e); }}.
   *
   * @param thrown what a BouncyCastle builder threw
   * @return {@code thrown}, when it carries no container failure
   * @throws NgcException the container's failure
   */
  public static RuntimeException rethrown(RuntimeException thrown) throws NgcException {
    NgcException ngc = unwrap(thrown);
    if (ngc != null) {
      throw ngc;
    }
    return thrown;
  }

  /** Carries a container failure through BouncyCastle code. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it only crosses BouncyCastle frames on one thread
    private final NgcException ngc;

    Failure(NgcException ngc) {
      super(ngc.getMessage(), ngc);
      this.ngc = ngc;
    }
  }
}
