package dev.ngc4j.core;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies RSA signatures made by credential keys, for one public key and one pinned {@link SignatureAlgorithm}.
 * Services use it to check nonce signatures; clients use it to check their own signatures before sending them.
 *
 * <p>The key is checked once, in {@link #forKey(PublicKey, SignatureAlgorithm)}, before any cryptography runs:
 * it must be an {@link RSAPublicKey} with an odd modulus of at least 2048 bits (and at most 16384, the JDK's
 * limit) and an odd public exponent of at least 65537.
 * A key restricted to RSASSA-PSS parameters is accepted only for {@link SignatureAlgorithm#RSA_PSS_SHA256} and only
 * when its parameters are the pinned ones.
 *
 * <p>{@link #verify(byte[], byte[])} then answers {@code true} or {@code false} and never throws for a bad
 * signature. A signature is rejected, before the provider sees it, unless its length equals the modulus length in
 * bytes exactly and its value is below the modulus; padding errors and every provider exception are also
 * reported as {@code false}. The algorithm is never taken from the signature or its envelope:
 * <ul>
 *   <li>{@link SignatureAlgorithm#RSA_PKCS1_SHA256}: RSASSA-PKCS1-v1_5 with SHA-256 ({@code SHA256withRSA});
 *   <li>{@link SignatureAlgorithm#RSA_PSS_SHA256}: RSASSA-PSS with an explicit {@link PSSParameterSpec} of SHA-256,
 *       MGF1 with SHA-256, a 32-byte salt and trailer field 1. Other salt lengths or MGF1 hashes do not verify.
 * </ul>
 *
 * <p>Only the JDK's {@code SunRsaSign} provider is used, through a fresh {@link Signature} per call. The key is
 * copied into that provider's own key type, so a key object from another provider (PKCS#11, BouncyCastle) never
 * decides which implementation runs. No global JCA state is read for provider choice or changed.
 *
 * <p>Known leniency, pinned by the Wycheproof tests: {@code SunRsaSign} accepts a PKCS#1 v1.5 {@code DigestInfo}
 * that omits the {@code NULL} hash parameter (a legacy encoding; not a forgery risk).
 *
 * <p>Thread safety: immutable and safe for concurrent use; each call to {@link #verify(byte[], byte[])} uses its
 * own {@link Signature} instance.
 *
 * @since 0.1.0
 */
public final class SignatureVerifier {
  /** The smallest accepted modulus, in bits. */
  private static final int MIN_MODULUS_BITS = 2048;

  /** The largest modulus the JDK's RSA provider accepts, in bits. */
  private static final int MAX_MODULUS_BITS = 16384;

  private static final BigInteger MIN_PUBLIC_EXPONENT = BigInteger.valueOf(65537);

  private static final String JDK_RSA_PROVIDER = "SunRsaSign";

  private static final String KEY_REMEDY =
      "use an RSA key of 2048 to 16384 bits with an odd public exponent of at least 65537 (normally 65537)";

  private static final Logger log = LoggerFactory.getLogger(SignatureVerifier.class);

  private final SignatureAlgorithm algorithm;
  private final RSAPublicKey key;
  private final BigInteger modulus;
  private final int modulusBytes;

  private SignatureVerifier(SignatureAlgorithm algorithm, RSAPublicKey key) {
    this.algorithm = algorithm;
    this.key = key;
    this.modulus = key.getModulus();
    this.modulusBytes = (modulus.bitLength() + 7) / 8;
  }

  /**
   * Creates a verifier for one key and one pinned algorithm, after checking the key against the policy above.
   *
   * @param key the signer's public key
   * @param pinned the only algorithm signatures are checked with
   * @return a verifier for {@code key} and {@code pinned}
   * @throws NgcException with {@link ErrorCode#UNSUPPORTED} if the key is not RSA, is smaller than 2048 bits or
   *     larger than 16384 bits, has an even modulus, has an even public exponent or one below 65537, carries
   *     RSASSA-PSS parameters that do not match {@code pinned}, or is refused by the JDK's RSA provider
   * @throws NullPointerException if an argument is {@code null}
   * @since 0.1.0
   */
  public static SignatureVerifier forKey(PublicKey key, SignatureAlgorithm pinned) throws NgcException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pinned, "pinned");
    if (!(key instanceof RSAPublicKey rsa)) {
      throw refused(pinned + " needs an RSA public key, got a " + key.getAlgorithm() + " key");
    }
    checkPolicy(rsa, pinned);
    RSAPublicKey jdkKey = toJdkKey(rsa, pinned);
    try {
      newEngine(pinned, jdkKey);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new NgcException(
          ErrorCode.UNSUPPORTED,
          "the JDK provider " + JDK_RSA_PROVIDER + " cannot verify " + pinned + " with this key",
          "run on a JDK whose " + JDK_RSA_PROVIDER + " provider offers " + pinned.jcaName() + "; " + KEY_REMEDY,
          e);
    }
    return new SignatureVerifier(pinned, jdkKey);
  }

  /**
   * Checks one signature with a one-off verifier: {@code forKey(key, alg).verify(message, signature)}.
   *
   * @param alg the pinned algorithm
   * @param key the signer's public key
   * @param message the signed message (hashed here)
   * @param signature the signature to check
   * @return {@code true} only if the signature is valid for {@code message} under {@code key} and {@code alg}
   * @throws NgcException with {@link ErrorCode#UNSUPPORTED} if the key fails the policy of
   *     {@link #forKey(PublicKey, SignatureAlgorithm)}; never for a bad signature
   * @throws NullPointerException if an argument is {@code null}
   * @since 0.1.0
   */
  public static boolean verify(SignatureAlgorithm alg, PublicKey key, byte[] message, byte[] signature)
      throws NgcException {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    return forKey(key, alg).verify(message, signature);
  }

  /**
   * Checks a signature over {@code message}. Never throws for a malformed or invalid signature: a wrong length
   * (anything but the modulus length in bytes), a value not below the modulus, bad padding and any provider
   * failure all give {@code false}. Neither array is modified or kept.
   *
   * @param message the signed message (hashed here)
   * @param signature the signature to check
   * @return {@code true} only if the signature is valid
   * @throws NullPointerException if an argument is {@code null}
   * @since 0.1.0
   */
  public boolean verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    if (signature.length != modulusBytes) {
      log.debug("{} signature rejected: {} bytes where the key needs {}", algorithm, signature.length, modulusBytes);
      return false;
    }
    if (new BigInteger(1, signature).compareTo(modulus) >= 0) {
      log.debug("{} signature rejected: value not below the modulus", algorithm);
      return false;
    }
    try {
      Signature engine = newEngine(algorithm, key);
      engine.update(message);
      boolean valid = engine.verify(signature);
      if (!valid) {
        log.debug("{} signature rejected: does not verify", algorithm);
      }
      return valid;
    } catch (GeneralSecurityException | RuntimeException e) {
      log.debug("{} signature rejected: provider reported {}", algorithm, e.getClass().getSimpleName());
      return false;
    }
  }

  /**
   * Returns the algorithm this verifier is pinned to.
   *
   * @return the pinned algorithm
   * @since 0.1.0
   */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** Returns the pinned algorithm and the key size, for logs and debugging. */
  @Override
  public String toString() {
    return "SignatureVerifier[" + algorithm + ", RSA-" + modulus.bitLength() + "]";
  }

  private static void checkPolicy(RSAPublicKey key, SignatureAlgorithm pinned) throws NgcException {
    BigInteger n = key.getModulus();
    BigInteger e = key.getPublicExponent();
    if (n == null || e == null || n.signum() <= 0 || e.signum() <= 0) {
      throw refused("the RSA key has no positive modulus and public exponent");
    }
    int bits = n.bitLength();
    if (bits < MIN_MODULUS_BITS) {
      throw refused("the RSA key has " + bits + " bits; at least " + MIN_MODULUS_BITS + " are required");
    }
    if (bits > MAX_MODULUS_BITS) {
      throw refused("the RSA key has " + bits + " bits; at most " + MAX_MODULUS_BITS + " are supported");
    }
    if (!n.testBit(0)) {
      throw refused("the RSA key has an even modulus");
    }
    if (!e.testBit(0)) {
      throw refused("the RSA key has an even public exponent");
    }
    if (e.compareTo(MIN_PUBLIC_EXPONENT) < 0) {
      throw refused("the RSA key's public exponent " + e + " is below 65537");
    }
    AlgorithmParameterSpec params = key.getParams();
    if (params != null) {
      if (pinned != SignatureAlgorithm.RSA_PSS_SHA256) {
        throw refused("the RSA key is restricted to RSASSA-PSS and cannot verify " + pinned);
      }
      if (!isPinnedPss(params)) {
        throw refused("the RSA key is restricted to RSASSA-PSS parameters other than SHA-256/MGF1-SHA-256/32");
      }
    }
  }

  private static boolean isPinnedPss(AlgorithmParameterSpec params) {
    if (!(params instanceof PSSParameterSpec pss)) {
      return false;
    }
    return isSha256(pss.getDigestAlgorithm())
        && "MGF1".equalsIgnoreCase(pss.getMGFAlgorithm())
        && pss.getMGFParameters() instanceof MGF1ParameterSpec mgf1
        && isSha256(mgf1.getDigestAlgorithm())
        && pss.getSaltLength() == 32
        && pss.getTrailerField() == PSSParameterSpec.TRAILER_FIELD_BC;
  }

  private static boolean isSha256(String name) {
    return "SHA-256".equalsIgnoreCase(name) || "SHA256".equalsIgnoreCase(name);
  }

  /** Copies the key into SunRsaSign's own key type (no parameters), which also applies the JDK's key checks. */
  private static RSAPublicKey toJdkKey(RSAPublicKey key, SignatureAlgorithm pinned) throws NgcException {
    try {
      PublicKey copy =
          KeyFactory.getInstance("RSA", JDK_RSA_PROVIDER)
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
      if (!(copy instanceof RSAPublicKey rsa)) {
        throw refused("the JDK provider " + JDK_RSA_PROVIDER + " did not produce an RSA key");
      }
      return rsa;
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.UNSUPPORTED,
          "the JDK provider " + JDK_RSA_PROVIDER + " refuses the RSA key for " + pinned,
          KEY_REMEDY,
          e);
    }
  }

  private static Signature newEngine(SignatureAlgorithm algorithm, RSAPublicKey key)
      throws GeneralSecurityException {
    Signature engine = Signature.getInstance(algorithm.jcaName(), JDK_RSA_PROVIDER);
    engine.initVerify(key);
    if (algorithm == SignatureAlgorithm.RSA_PSS_SHA256) {
      engine.setParameter(pinnedPss());
    }
    return engine;
  }

  private static PSSParameterSpec pinnedPss() {
    return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);
  }

  private static NgcException refused(String detail) {
    return new NgcException(ErrorCode.UNSUPPORTED, detail, KEY_REMEDY, null);
  }
}
