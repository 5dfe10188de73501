package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.ServiceCa;
import dev.ngc4j.server.internal.protocol.ErrorKind;
import dev.ngc4j.server.internal.protocol.Refusal;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.StoreException;
import dev.ngc4j.server.internal.token.ReplayCache;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AIK enrollment, the two steps behind {@code POST /EnrollmentServer/aik/challenge} and
 * {@code POST /EnrollmentServer/aik/certificate} (the HTTP layer has already authenticated the device-signed
 * request and hands over its payload):
 *
 * <ol>
 *   <li><b>challenge</b>: checks the EK certificate ({@link EkCheck}), that {@code ek_pub} is a standard RSA EK
 *       holding the certificate's key, that {@code ak_pub} is a restricted RSA-2048 signing key; then makes a
 *       credential for the AK's name under the EK ({@link MakeCredential}) around a random 32-byte secret, and
 *       returns it with a sealed challenge (device, AK name, SHA-256 of the secret, the TPM's identity, expiry);
 *   <li><b>certificate</b>: opens the challenge, checks expiry, device and AK name, uses the challenge up (replay
 *       cache), compares the secret the TPM returned in constant time, and issues the AIK certificate with the
 *       service's {@link AikCa} (audited as {@code aik.issued}).
 * </ol>
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class AikEnrollment {
  private static final Logger log = LoggerFactory.getLogger(AikEnrollment.class);

  /** The longest request JWS accepted. */
  public static final int MAX_REQUEST_CHARS = 32 * 1024;

  private static final Set<String> CHALLENGE_MEMBERS = Set.of("ek_cert", "ek_pub", "ak_pub", "iat", "exp");
  private static final Set<String> CERTIFICATE_MEMBERS = Set.of("challenge", "secret", "ak_pub", "iat", "exp");
  private static final long MAX_WINDOW_SECONDS = 3600;
  private static final int SECRET_BYTES = 32;
  private static final int KEY_BITS = 2048;

  private final TpmTrust trust;
  private final AikCa ca;
  private final Clock clock;
  private final ReplayCache replay;
  private final DirectoryStore store;
  private final EkCheck ekCheck;
  private final AikChallenge challenges = new AikChallenge();

  /**
   * Creates the enrollment service.
   *
   * @param trust the TPM trust configuration
   * @param ca the AIK CA
   * @param clock the clock
   * @param replay the replay cache (shared with nonces; challenge ids are prefixed)
   * @param store the directory (for the audit log)
   */
  public AikEnrollment(TpmTrust trust, AikCa ca, Clock clock, ReplayCache replay, DirectoryStore store) {
    this.trust = trust;
    this.ca = ca;
    this.clock = clock;
    this.replay = replay;
    this.store = store;
    this.ekCheck = new EkCheck(trust);
  }

  /**
   * Returns the AIK CA certificate.
   *
   * @return the certificate
   */
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /**
   * Step 1: checks EK and AK and returns the credential to activate.
   *
   * @param device the authenticated device
   * @param payload the request's payload
   * @return the response body: {@code challenge}, {@code credential_blob}, {@code encrypted_secret}
   * @throws Refusal with the reason
   */
  public Map<String, Object> challenge(Device device, Map<String, Object> payload) throws Refusal {
    byte[] ekDer;
    byte[] ekPubBytes;
    byte[] akPubBytes;
    try {
      members(payload, CHALLENGE_MEMBERS);
      ekDer = Base64Strict.decodeStd(Json.string(payload, "ek_cert"));
      ekPubBytes = Base64Strict.decodeStd(Json.string(payload, "ek_pub"));
      akPubBytes = Base64Strict.decodeStd(Json.string(payload, "ak_pub"));
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST, "the challenge request is malformed (" + e.getMessage() + ")");
    }
    Instant now = clock.instant();
    checkTime(payload, now);
    X509Certificate ekCertificate;
    try {
      ekCertificate = ServiceCa.certificate(ekDer);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new Refusal(ErrorKind.EK_INVALID, "ek_cert is not a DER X.509 certificate");
    }
    TpmIdentity tpm = ekCheck.check(ekCertificate, now);
    TpmPublicArea ekPub;
    try {
      ekPub = TpmPublicArea.parse(ekPubBytes);
    } catch (TpmFormatException e) {
      throw new Refusal(ErrorKind.EK_INVALID, "ek_pub: " + e.getMessage());
    }
    checkEkTemplate(ekPub);
    if (!(ekCertificate.getPublicKey() instanceof RSAPublicKey ekKey) || !ekPub.holds(ekKey)) {
      throw new Refusal(ErrorKind.EK_INVALID, "the EK certificate's key is not the key in ek_pub");
    }
    TpmPublicArea akPub = akPublicArea(akPubBytes);
    byte[] akName = name(akPub);
    byte[] secret = new byte[SECRET_BYTES];
    try {
      Jca.RANDOM.nextBytes(secret);
      MakeCredential.Blobs blobs;
      try {
        blobs = MakeCredential.make(ekKey, akName, secret, Jca.RANDOM);
      } catch (GeneralSecurityException e) {
        throw new Refusal(ErrorKind.EK_INVALID, "the EK key cannot encrypt the credential ("
            + e.getClass().getSimpleName() + ")");
      }
      byte[] jti = new byte[16];
      Jca.RANDOM.nextBytes(jti);
      long expiresAt = now.getEpochSecond() + trust.challengeLifetime().toSeconds();
      String challenge = challenges.seal(new AikChallenge.Content(
          jti, device.deviceId(), expiresAt, akName, Jca.sha256(secret), tpm.directoryName().getEncoded()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("challenge", challenge);
      body.put("credential_blob", Base64Strict.std(blobs.credentialBlob()));
      body.put("encrypted_secret", Base64Strict.std(blobs.encryptedSecret()));
      return body;
    } catch (java.io.IOException e) {
      throw new Refusal(ErrorKind.SERVER_ERROR);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Step 2: checks the activated secret and issues the AIK certificate.
   *
   * @param device the authenticated device
   * @param payload the request's payload
   * @return the response body: {@code x5c} = [AIK certificate, AIK CA certificate]
   * @throws Refusal with the reason
   */
  public Map<String, Object> certificate(Device device, Map<String, Object> payload) throws Refusal {
    String challengeText;
    byte[] secret;
    byte[] akPubBytes;
    try {
      members(payload, CERTIFICATE_MEMBERS);
      challengeText = Json.string(payload, "challenge");
      akPubBytes = Base64Strict.decodeStd(Json.string(payload, "ak_pub"));
      secret = Base64Strict.decodeStd(Json.string(payload, "secret"));
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST, "the certificate request is malformed (" + e.getMessage() + ")");
    }
    try {
      Instant now = clock.instant();
      checkTime(payload, now);
      AikChallenge.Content challenge;
      try {
        challenge = challenges.open(challengeText);
      } catch (Malformed e) {
        throw new Refusal(ErrorKind.AIK_CHALLENGE_INVALID,
            "the challenge was not issued by this service or was altered (" + e.getMessage() + ")");
      }
      long nowSeconds = now.getEpochSecond();
      if (nowSeconds >= challenge.expiresAt()) {
        throw new Refusal(ErrorKind.AIK_CHALLENGE_EXPIRED,
            "the challenge expired at " + Instant.ofEpochSecond(challenge.expiresAt()));
      }
      if (!challenge.deviceId().equals(device.deviceId())) {
        throw new Refusal(ErrorKind.AIK_CHALLENGE_INVALID, "the challenge was issued to another device");
      }
      TpmPublicArea akPub = akPublicArea(akPubBytes);
      byte[] akName = name(akPub);
      if (!MessageDigest.isEqual(akName, challenge.akName())) {
        throw new Refusal(ErrorKind.AIK_CHALLENGE_INVALID, "the challenge was issued for another AK (ak_pub differs)");
      }
      switch (replay.consume("a:" + Base64Strict.url(challenge.jti()), challenge.expiresAt(), nowSeconds)) {
        case ACCEPTED -> {
          // first use
        }
        case REPLAYED -> throw new Refusal(ErrorKind.AIK_CHALLENGE_REPLAYED, "the challenge was already used");
        case FULL -> throw new Refusal(ErrorKind.UNAVAILABLE);
      }
      if (!MessageDigest.isEqual(Jca.sha256(secret), challenge.secretHash())) {
        throw new Refusal(ErrorKind.AIK_SECRET_MISMATCH,
            "the secret is not the one the credential protected (TPM2_ActivateCredential with another EK or AK?)");
      }
      return issue(device, akPub, akName, tpmIdentity(challenge), now);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private Map<String, Object> issue(Device device, TpmPublicArea akPub, byte[] akName, TpmIdentity tpm, Instant now)
      throws Refusal {
    byte[] der;
    byte[] caDer;
    X509Certificate issued;
    try {
      RSAPublicKey akKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(akPub.modulus(), akPub.exponentValue()));
      der = ca.issue(akKey, tpm, now, trust.aikCertificateValidity());
      issued = ServiceCa.certificate(der);
      caDer = ca.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      log.warn("the AIK CA certificate could not be encoded", e);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    } catch (GeneralSecurityException e) {
      log.warn("AIK certificate issuance failed", e);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    String id = device.deviceId().toString();
    try {
      store.audit(id, "aik.issued", id, "serial=" + issued.getSerialNumber().toString(16) + " ak="
          + HexFormat.of().formatHex(akName) + " tpm=" + tpm.describe());
    } catch (StoreException e) {
      log.warn("the AIK issuance could not be audited: {}", e.getMessage());
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("x5c", List.of(Base64Strict.std(der), Base64Strict.std(caDer)));
    return body;
  }

  /** The TPM identity sealed in the challenge (it came from a checked EK certificate). */
  private static TpmIdentity tpmIdentity(AikChallenge.Content challenge) throws Refusal {
    TpmIdentity tpm = null;
    try {
      tpm = TpmIdentity.fromDirectoryName(X500Name.getInstance(challenge.tpmName()));
    } catch (TpmFormatException | RuntimeException e) {
      log.warn("a sealed AIK challenge holds an unreadable TPM identity");
    }
    if (tpm == null) {
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    return tpm;
  }

  // ---- checks ------------------------------------------------------------------------------------------------

  private static void members(Map<String, Object> payload, Set<String> allowed) throws Malformed {
    for (String name : payload.keySet()) {
      if (!allowed.contains(name)) {
        throw new Malformed("an unknown payload member");
      }
    }
  }

  private void checkTime(Map<String, Object> payload, Instant now) throws Refusal {
    long t = now.getEpochSecond();
    long skew = trust.clockSkew().toSeconds();
    if (!(payload.get("iat") instanceof Long iat) || !(payload.get("exp") instanceof Long exp)) {
      throw new Refusal(ErrorKind.INVALID_REQUEST, "the request payload needs integer iat and exp");
    }
    if (exp <= iat || exp - iat > MAX_WINDOW_SECONDS || t < iat - skew || t >= exp + skew) {
      throw new Refusal(ErrorKind.ASSERTION_TIME, "the request is valid from " + iat + " to " + exp
          + " (epoch seconds, at most " + MAX_WINDOW_SECONDS + " s apart), not at " + t);
    }
  }

  /** The standard RSA EK template (TCG EK Credential Profile, template L-1 and the high-range RSA templates). */
  private static void checkEkTemplate(TpmPublicArea ek) throws Refusal {
    String problem = null;
    if (ek.nameAlg() != Tpm.ALG_SHA256) {
      problem = "nameAlg is " + Tpm.alg(ek.nameAlg()) + ", not SHA256";
    } else if ((ek.attributes() & Tpm.EK_REQUIRED_ATTRIBUTES) != Tpm.EK_REQUIRED_ATTRIBUTES
        || (ek.attributes() & Tpm.SIGN) != 0) {
      problem = "attributes are " + Tpm.attributeNames(ek.attributes()) + ", not a restricted decryption key with "
          + Tpm.attributeNames(Tpm.EK_REQUIRED_ATTRIBUTES);
    } else if (ek.symmetricAlg() != Tpm.ALG_AES || ek.symmetricKeyBits() != 128 || ek.symmetricMode() != Tpm.ALG_CFB) {
      problem = "the symmetric algorithm is " + Tpm.alg(ek.symmetricAlg()) + "/" + ek.symmetricKeyBits() + "/"
          + Tpm.alg(ek.symmetricMode()) + ", not AES-128-CFB";
    } else if (ek.scheme() != Tpm.ALG_NULL) {
      problem = "the scheme is " + Tpm.alg(ek.scheme()) + ", not NULL";
    } else if (ek.keyBits() != KEY_BITS || ek.modulusLength() != KEY_BITS / 8) {
      problem = "the key is " + ek.keyBits() + " bits, not RSA-2048";
    }
    if (problem != null) {
      throw new Refusal(ErrorKind.EK_INVALID, "ek_pub is not a standard RSA EK: " + problem);
    }
  }

  private static TpmPublicArea akPublicArea(byte[] encoded) throws Refusal {
    TpmPublicArea ak;
    try {
      ak = TpmPublicArea.parse(encoded);
    } catch (TpmFormatException e) {
      throw new Refusal(ErrorKind.AK_INVALID, "ak_pub: " + e.getMessage());
    }
    String problem = null;
    if (ak.nameAlg() != Tpm.ALG_SHA256) {
      problem = "nameAlg is " + Tpm.alg(ak.nameAlg()) + ", not SHA256";
    } else if ((ak.attributes() & Tpm.AK_REQUIRED_ATTRIBUTES) != Tpm.AK_REQUIRED_ATTRIBUTES) {
      problem = "attributes " + Tpm.attributeNames(ak.attributes()) + " lack "
          + Tpm.attributeNames(Tpm.AK_REQUIRED_ATTRIBUTES & ~ak.attributes());
    } else if ((ak.attributes() & Tpm.DECRYPT) != 0) {
      problem = "it has the decrypt attribute";
    } else if (ak.keyBits() != KEY_BITS || ak.modulusLength() != KEY_BITS / 8) {
      problem = "the key is " + ak.keyBits() + " bits, not RSA-2048";
    } else if (ak.exponent() != 0 && ak.exponent() != 65537) {
      problem = "the exponent is " + (ak.exponent() & 0xffffffffL) + ", not 65537";
    } else if (ak.scheme() != Tpm.ALG_RSASSA || ak.schemeHash() != Tpm.ALG_SHA256) {
      problem = "the scheme is " + Tpm.alg(ak.scheme()) + ", not RSASSA with SHA256";
    } else if (ak.symmetricAlg() != Tpm.ALG_NULL) {
      problem = "the symmetric algorithm is " + Tpm.alg(ak.symmetricAlg()) + ", not NULL";
    }
    if (problem != null) {
      throw new Refusal(ErrorKind.AK_INVALID, "ak_pub is not a restricted RSA-2048 signing key: " + problem);
    }
    return ak;
  }

  private static byte[] name(TpmPublicArea area) throws Refusal {
    try {
      return area.name();
    } catch (TpmFormatException e) {
      throw new Refusal(ErrorKind.AK_INVALID, e.getMessage());
    }
  }

  /** Clears the challenge key. */
  public void destroy() {
    challenges.destroy();
  }
}
