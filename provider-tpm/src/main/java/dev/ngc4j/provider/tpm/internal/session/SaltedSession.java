package dev.ngc4j.provider.tpm.internal.session;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.TpmBuffer;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SIGNATURE;

/**
 * A salted, unbound HMAC session (authHash SHA-256, AES-128-CFB parameter encryption) and the commands that use it:
 * {@link #sign}, {@link #certify}, {@link #objectChangeAuth}, {@link #create}, {@link #unseal}, {@link #rsaDecrypt}
 * and {@link #hmac}. In each, the entity's authValue only enters the HMAC key, the response HMAC is verified before
 * the response is used, and whichever parameters carry a secret or a value worth hiding travel encrypted:
 *
 * <table>
 *   <caption>Encrypted parameters per command</caption>
 *   <tr><th>command</th><th>first command parameter encrypted</th><th>first response parameter encrypted</th></tr>
 *   <tr><td>TPM2_Sign</td><td>the digest</td><td>no (a signature is public)</td></tr>
 *   <tr><td>TPM2_Certify</td><td>the qualifying data</td><td>the TPMS_ATTEST</td></tr>
 *   <tr><td>TPM2_ObjectChangeAuth</td><td>the new authValue</td><td>the new private area</td></tr>
 *   <tr><td>TPM2_Create</td><td>inSensitive: the new object's authValue and data</td><td>no (outPrivate is
 *       already encrypted by the parent)</td></tr>
 *   <tr><td>TPM2_Unseal</td><td>(no parameters)</td><td>the unsealed data</td></tr>
 *   <tr><td>TPM2_RSA_Decrypt</td><td>no (the ciphertext is already encrypted)</td><td>the decrypted message</td></tr>
 *   <tr><td>TPM2_HMAC</td><td>no</td><td>the HMAC</td></tr>
 * </table>
 *
 * <p>Life cycle: {@link #start} returns a session that stays on the TPM across commands (continueSession set)
 * until {@link #close()} flushes it; it may authorize commands for different keys, because the session is unbound
 * and each HMAC includes that key's authValue. {@link #startSingleUse} returns one whose first successful command
 * ends it (continueSession clear: the TPM flushes it, saving the FlushContext round trip); {@link #close()} flushes
 * it if that command failed or never ran. Always use try-with-resources: the TPM has only a few session slots.
 *
 * <p>A TPM error ({@link TpmCommandException}) leaves the session usable (the TPM does not roll its nonce on an
 * error). A response that fails its HMAC check ({@link TpmIntegrityException}) or a transport failure makes the
 * session unusable; close it.
 *
 * <p>Security: the session key, the salt and every buffer holding key material or an authValue are zeroed after
 * use (best effort in Java: the AES key of parameter encryption passes through a JCA {@code SecretKeySpec}). The
 * caller's authValue arrays are not modified. The salt key's public area must be the one stored when the key was
 * created, not one read back over the same connection: the session's secrecy rests on it.
 *
 * <p>Thread safety: safe for concurrent use (each command is serialised on the session), but a session is meant
 * for one caller at a time.
 */
public final class SaltedSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SaltedSession.class);

  static final int ST_NO_SESSIONS = 0x8001;
  static final int ST_SESSIONS = 0x8002;
  static final int CC_START_AUTH_SESSION = 0x176;
  static final int CC_FLUSH_CONTEXT = 0x165;
  static final int CC_SIGN = 0x15D;
  static final int CC_CERTIFY = 0x148;
  static final int CC_OBJECT_CHANGE_AUTH = 0x150;
  static final int CC_CREATE = 0x153;
  static final int CC_HMAC = 0x155;
  static final int CC_RSA_DECRYPT = 0x159;
  static final int CC_UNSEAL = 0x15E;
  static final int RH_NULL = 0x40000007;
  static final int RS_PW = 0x40000009;
  static final int ATTR_CONTINUE_SESSION = 0x01;
  static final int ATTR_DECRYPT = 0x20;
  static final int ATTR_ENCRYPT = 0x40;
  static final int SE_HMAC = 0x00;
  static final int ALG_AES = 0x0006;
  static final int ALG_CFB = 0x0043;
  static final int ALG_NULL = 0x0010;
  static final int ALG_RSASSA = 0x0014;
  static final int ALG_RSAPSS = 0x0016;
  static final int ALG_OAEP = 0x0017;
  static final int ST_HASHCHECK = 0x8024;
  static final int HT_HMAC_SESSION = 0x02;
  static final int HT_POLICY_SESSION = 0x03;
  static final int NONCE_SIZE = 32;
  static final int SALT_SIZE = 32;
  static final HashAlg SESSION_HASH = HashAlg.SHA256;

  /** TPM_ALG_SHA1, an OAEP hash for {@link #rsaDecrypt}. */
  public static final int ALG_SHA1 = 0x0004;

  /** TPM_ALG_SHA256, an OAEP hash for {@link #rsaDecrypt}. */
  public static final int ALG_SHA256 = 0x000B;

  /** The largest TPM2B_MAX_BUFFER (MAX_DIGEST_BUFFER) every TPM 2.0 accepts: the limit of {@link #hmac}'s data. */
  public static final int MAX_HMAC_DATA = 1024;

  /** The signature schemes of {@link #sign(LoadedObject, byte[], byte[], SigningScheme)}, both with SHA-256. */
  public enum SigningScheme {
    /** RSASSA-PKCS1-v1_5 with SHA-256 (RS256). */
    RSASSA_SHA256(ALG_RSASSA),
    /** RSASSA-PSS with SHA-256, salt as long as the digest (PS256). */
    RSAPSS_SHA256(ALG_RSAPSS);

    final int algorithm;

    SigningScheme(int algorithm) {
      this.algorithm = algorithm;
    }
  }

  private static final int HEADER_SIZE = 10;
  /** MAX_SYM_DATA, the largest TPM2B_SENSITIVE_DATA every TPM 2.0 accepts. */
  private static final int MAX_SENSITIVE_DATA = 128;
  /** The largest RSA modulus (4096 bits), in bytes. */
  private static final int MAX_RSA_BYTES = 512;
  private static final int MAX_RETRIES = 16;
  private static final int TPMA_OBJECT_DECRYPT = 0x00020000;
  private static final byte[] SECRET_LABEL = "SECRET\0".getBytes(StandardCharsets.US_ASCII);

  private final RawTpm tpm;
  private final SecureRandom random;
  private final int handle;
  private final boolean singleUse;
  private final byte[] sessionKey;
  private byte[] nonceTpm;
  private boolean usable = true;
  private boolean onTpm = true;
  private boolean closed;

  private SaltedSession(
      RawTpm tpm, SecureRandom random, int handle, boolean singleUse, byte[] sessionKey, byte[] nonceTpm) {
    this.tpm = tpm;
    this.random = random;
    this.handle = handle;
    this.singleUse = singleUse;
    this.sessionKey = sessionKey;
    this.nonceTpm = nonceTpm;
  }

  /**
   * Starts a session that stays on the TPM until {@link #close()}.
   *
   * @param tpm the connection
   * @param saltKey a loaded RSA decryption key (the SRK) with the public area stored at its creation
   * @param random the source of the salt and the caller nonces
   * @return the session
   * @throws TpmCommandException if the TPM refuses (for example TPM_RC_SESSION_MEMORY when its slots are full)
   * @throws TpmIntegrityException if the response is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the salt key is not an RSA decryption key
   */
  public static SaltedSession start(RawTpm tpm, LoadedObject saltKey, SecureRandom random) throws NgcException {
    return start(tpm, saltKey, random, false);
  }

  /**
   * Starts a session for one command: the first successful command ends it (the TPM flushes it). {@link #close()}
   * is still required, and flushes it when the command failed or was never sent.
   *
   * @param tpm the connection
   * @param saltKey a loaded RSA decryption key (the SRK) with the public area stored at its creation
   * @param random the source of the salt and the caller nonces
   * @return the session
   * @throws TpmCommandException if the TPM refuses
   * @throws TpmIntegrityException if the response is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the salt key is not an RSA decryption key
   */
  public static SaltedSession startSingleUse(RawTpm tpm, LoadedObject saltKey, SecureRandom random)
      throws NgcException {
    return start(tpm, saltKey, random, true);
  }

  private static SaltedSession start(RawTpm tpm, LoadedObject saltKey, SecureRandom random, boolean singleUse)
      throws NgcException {
    String name = "TPM2_StartAuthSession";
    byte[] salt = new byte[SALT_SIZE];
    random.nextBytes(salt);
    byte[] nonceCaller = new byte[NONCE_SIZE];
    random.nextBytes(nonceCaller);
    try {
      byte[] encryptedSalt = encryptSalt(saltKey, salt, random);
      int size = HEADER_SIZE + 8 + 2 + nonceCaller.length + 2 + encryptedSalt.length + 1 + 6 + 2;
      TpmBuffer cmd = new TpmBuffer(size);
      cmd.writeShort(ST_NO_SESSIONS);
      cmd.writeInt(size);
      cmd.writeInt(CC_START_AUTH_SESSION);
      cmd.writeInt(saltKey.handle());
      cmd.writeInt(RH_NULL);
      cmd.writeSizedByteBuf(nonceCaller);
      cmd.writeSizedByteBuf(encryptedSalt);
      cmd.writeByte((byte) SE_HMAC);
      cmd.writeShort(ALG_AES);
      cmd.writeShort(SessionCrypto.AES_KEY_BITS);
      cmd.writeShort(ALG_CFB);
      cmd.writeShort(SESSION_HASH.tpmId());
      byte[] response = transact(tpm, name, finish(cmd, size));

      TpmBuffer r = header(name, response);
      int sessionHandle = r.readInt();
      byte[] nonceTpm = r.readSizedByteBuf();
      if (!r.isOk() || nonceTpm == null || r.curPos() != response.length) {
        if (r.curPos() >= HEADER_SIZE + 4) {
          flushIfSession(tpm, sessionHandle);
        }
        throw new TpmIntegrityException(name + " returned a malformed response (" + response.length + " bytes)", null);
      }
      if (sessionHandle >>> 24 != HT_HMAC_SESSION
          || nonceTpm.length < 16
          || nonceTpm.length > SESSION_HASH.digestLength()) {
        flushIfSession(tpm, sessionHandle);
        throw new TpmIntegrityException(
            name + " returned an unexpected session handle 0x" + TpmResponseCodes.hex(sessionHandle)
                + " or a nonce of " + nonceTpm.length + " bytes",
            null);
      }
      // Unbound: bind.authValue is empty, so the KDF key is the salt alone.
      byte[] sessionKey = SessionCrypto.kdfa(
          SESSION_HASH, salt, "ATH", nonceTpm, nonceCaller, SESSION_HASH.digestLength() * 8);
      log.debug("started salted HMAC session 0x{}", TpmResponseCodes.hex(sessionHandle));
      return new SaltedSession(tpm, random, sessionHandle, singleUse, sessionKey, nonceTpm);
    } finally {
      Arrays.fill(salt, (byte) 0);
    }
  }

  /**
   * Signs a SHA-256 digest with an RSASSA key (TPM2_Sign, scheme RSASSA-SHA256, null ticket). The digest travels
   * encrypted.
   *
   * @param key the loaded signing key
   * @param authValue the key's authValue; not modified, not kept
   * @param digest the 32-byte SHA-256 digest to sign
   * @return the signature (a TPMS_SIGNATURE_RSASSA for an RSA key)
   * @throws TpmCommandException if the TPM refuses; {@link TpmCommandException#isWrongAuth()} for a wrong authValue
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the digest is not 32 bytes or the authValue is longer than the key's nameAlg
   *     digest
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public TPMT_SIGNATURE sign(LoadedObject key, byte[] authValue, byte[] digest) throws NgcException {
    return sign(key, authValue, digest, SigningScheme.RSASSA_SHA256);
  }

  /**
   * Signs a SHA-256 digest with an RSA key in the given scheme (TPM2_Sign, null ticket). The key's own scheme must
   * be TPM_ALG_NULL or the same one. The digest travels encrypted.
   *
   * @param key the loaded signing key
   * @param authValue the key's authValue; not modified, not kept
   * @param digest the 32-byte SHA-256 digest to sign
   * @param scheme RSASSA or RSAPSS, with SHA-256
   * @return the signature (a TPMS_SIGNATURE_RSASSA or TPMS_SIGNATURE_RSAPSS)
   * @throws TpmCommandException if the TPM refuses; {@link TpmCommandException#isWrongAuth()} for a wrong authValue
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the digest is not 32 bytes or the authValue is longer than the key's nameAlg
   *     digest
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public TPMT_SIGNATURE sign(LoadedObject key, byte[] authValue, byte[] digest, SigningScheme scheme)
      throws NgcException {
    if (digest.length != HashAlg.SHA256.digestLength()) {
      throw new IllegalArgumentException("the digest must be 32 bytes (SHA-256), not " + digest.length);
    }
    checkAuthLength(key, authValue, "authValue");
    TpmBuffer p = new TpmBuffer(2 + digest.length + 4 + 8);
    p.writeSizedByteBuf(digest);
    p.writeShort(scheme.algorithm);
    p.writeShort(HashAlg.SHA256.tpmId());
    p.writeShort(ST_HASHCHECK);
    p.writeInt(RH_NULL);
    p.writeShort(0);
    String name = "TPM2_Sign";
    byte[] rp = execute(name, CC_SIGN, new LoadedObject[] {key}, false, authValue, checked(p), ATTR_DECRYPT);
    TpmBuffer r = new TpmBuffer(rp);
    TPMT_SIGNATURE signature = parseWhole(name, "TPMT_SIGNATURE", r, rp.length, () -> TPMT_SIGNATURE.fromTpm(r));
    return signature;
  }

  /**
   * Certifies a loaded key with a signing key (TPM2_Certify, inScheme NULL so the signer's own scheme applies). The
   * certified key is authorized (ADMIN role) through this session with its authValue; the signer through a password
   * session with an <em>empty</em> authValue (an AK created without auth). The qualifying data travels encrypted
   * and the returned TPMS_ATTEST (which repeats it) comes back encrypted.
   *
   * @param key the key to certify
   * @param keyAuth the certified key's authValue; not modified, not kept
   * @param signer the loaded signing key (AK), whose authValue is empty
   * @param qualifyingData the data to include in the attestation (a nonce), at most 64 bytes
   * @return the attestation and its signature
   * @throws TpmCommandException if the TPM refuses; {@link TpmCommandException#isWrongAuth()} for a wrong authValue
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the qualifying data or the authValue is too long
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public CertifyResult certify(LoadedObject key, byte[] keyAuth, LoadedObject signer, byte[] qualifyingData)
      throws NgcException {
    if (qualifyingData.length > HashAlg.SHA512.digestLength()) {
      throw new IllegalArgumentException("the qualifying data must be at most 64 bytes, not " + qualifyingData.length);
    }
    checkAuthLength(key, keyAuth, "keyAuth");
    TpmBuffer p = new TpmBuffer(2 + qualifyingData.length + 2);
    p.writeSizedByteBuf(qualifyingData);
    p.writeShort(ALG_NULL);
    String name = "TPM2_Certify";
    byte[] rp = execute(
        name, CC_CERTIFY, new LoadedObject[] {key, signer}, true, keyAuth, checked(p), ATTR_DECRYPT | ATTR_ENCRYPT);
    TpmBuffer r = new TpmBuffer(rp);
    byte[] certifyInfo = r.readSizedByteBuf();
    if (!r.isOk() || certifyInfo == null) {
      throw new TpmIntegrityException(name + " returned a malformed TPM2B_ATTEST", null);
    }
    TPMT_SIGNATURE signature = parseWhole(name, "TPMT_SIGNATURE", r, rp.length, () -> TPMT_SIGNATURE.fromTpm(r));
    try {
      return new CertifyResult(certifyInfo, signature);
    } catch (IllegalArgumentException e) {
      throw new TpmIntegrityException(name + " returned a malformed TPMS_ATTEST", e);
    }
  }

  /**
   * Changes the authValue of a loaded key (TPM2_ObjectChangeAuth) and returns the key's new private area. The new
   * authValue travels encrypted; the old one only keys the HMAC. The loaded object keeps its old authValue, and the
   * old private blob stays valid with the old authValue: the caller must destroy it.
   *
   * @param key the loaded key whose authValue changes (ADMIN role)
   * @param oldAuth its current authValue; not modified, not kept
   * @param parent its loaded parent (the SRK)
   * @param newAuth the new authValue, at most the key's nameAlg digest length once trailing zeros are removed; not
   *     modified, not kept
   * @return the new TPM2B_PRIVATE, to be loaded under the same parent with the same public area
   * @throws TpmCommandException if the TPM refuses; {@link TpmCommandException#isWrongAuth()} for a wrong authValue
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if an authValue is too long
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public TPM2B_PRIVATE objectChangeAuth(LoadedObject key, byte[] oldAuth, LoadedObject parent, byte[] newAuth)
      throws NgcException {
    checkAuthLength(key, oldAuth, "oldAuth");
    checkAuthLength(key, newAuth, "newAuth");
    TpmBuffer p = new TpmBuffer(2 + newAuth.length);
    p.writeSizedByteBuf(newAuth);
    byte[] params = checked(p);
    String name = "TPM2_ObjectChangeAuth";
    byte[] rp;
    try {
      rp = execute(
          name, CC_OBJECT_CHANGE_AUTH, new LoadedObject[] {key, parent}, false, oldAuth, params,
          ATTR_DECRYPT | ATTR_ENCRYPT);
    } finally {
      Arrays.fill(params, (byte) 0);
    }
    TpmBuffer r = new TpmBuffer(rp);
    byte[] outPrivate = r.readSizedByteBuf();
    if (!r.isOk() || outPrivate == null || r.curPos() != rp.length) {
      throw new TpmIntegrityException(name + " returned a malformed TPM2B_PRIVATE", null);
    }
    return new TPM2B_PRIVATE(outPrivate);
  }

  /**
   * Creates an ordinary object under a loaded parent (TPM2_Create with an empty outsideInfo and no PCR selection).
   * The whole {@code inSensitive} (the new object's authValue and, for a sealed object or an imported HMAC key, its
   * data) travels encrypted; the parent's authValue only keys the HMAC. The returned private area is encrypted and
   * integrity-protected by the parent; the returned public area is the TPM's, checked to parse.
   *
   * @param parent the loaded parent (the SRK)
   * @param parentAuth the parent's authValue (empty for the SRK); not modified, not kept
   * @param userAuth the new object's authValue, at most its nameAlg digest length once trailing zeros are removed;
   *     not modified, not kept
   * @param data the new object's sensitive data (empty to let the TPM generate the key); not modified, not kept
   * @param template the new object's public template
   * @return the new object's public and private areas
   * @throws TpmCommandException if the TPM refuses
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if an authValue or the data is too long, or the template's nameAlg is not
   *     supported
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public CreatedObject create(LoadedObject parent, byte[] parentAuth, byte[] userAuth, byte[] data,
      TPMT_PUBLIC template) throws NgcException {
    checkAuthLength(parent, parentAuth, "parentAuth");
    HashAlg objectNameAlg = HashAlg.fromTpmId(template.nameAlg.toInt());
    if (trimmedLength(userAuth) > objectNameAlg.digestLength()) {
      throw new IllegalArgumentException("userAuth is longer than the new object's nameAlg digest ("
          + objectNameAlg.digestLength() + " bytes): the TPM would refuse it");
    }
    if (data.length > MAX_SENSITIVE_DATA) {
      throw new IllegalArgumentException("sensitive data must be at most " + MAX_SENSITIVE_DATA + " bytes");
    }
    byte[] publicArea = template.toBytes();
    int sensitiveSize = 2 + userAuth.length + 2 + data.length;
    TpmBuffer p = new TpmBuffer(2 + sensitiveSize + 2 + publicArea.length + 2 + 4);
    p.writeShort(sensitiveSize);
    p.writeSizedByteBuf(userAuth);
    p.writeSizedByteBuf(data);
    p.writeSizedByteBuf(publicArea);
    p.writeShort(0); // outsideInfo
    p.writeInt(0); // creationPCR: no selection
    byte[] params = checked(p);
    String name = "TPM2_Create";
    byte[] rp;
    try {
      rp = execute(name, CC_CREATE, new LoadedObject[] {parent}, false, parentAuth, params, ATTR_DECRYPT);
    } finally {
      Arrays.fill(params, (byte) 0);
    }
    TpmBuffer r = new TpmBuffer(rp);
    byte[] outPrivate = r.readSizedByteBuf();
    byte[] outPublic = r.readSizedByteBuf();
    byte[] creationData = r.readSizedByteBuf();
    byte[] creationHash = r.readSizedByteBuf();
    r.readShort(); // creationTicket.tag
    r.readInt(); // creationTicket.hierarchy
    byte[] ticketDigest = r.readSizedByteBuf();
    if (!r.isOk() || outPrivate == null || outPublic == null || creationData == null || creationHash == null
        || ticketDigest == null || r.curPos() != rp.length || outPrivate.length == 0) {
      throw new TpmIntegrityException(name + " returned a malformed response", null);
    }
    try {
      LoadedObject.parse(outPublic);
    } catch (IllegalArgumentException e) {
      throw new TpmIntegrityException(name + " returned a malformed TPMT_PUBLIC", e);
    }
    CreatedObject created = new CreatedObject(outPublic, outPrivate);
    Arrays.fill(outPrivate, (byte) 0);
    return created;
  }

  /**
   * Reads the data of a sealed object (TPM2_Unseal, USER role). The data comes back encrypted.
   *
   * @param item the loaded sealed object
   * @param authValue its authValue; not modified, not kept
   * @return the data; the caller zeroes it
   * @throws TpmCommandException if the TPM refuses; {@link TpmCommandException#isWrongAuth()} for a wrong authValue
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the authValue is too long
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public byte[] unseal(LoadedObject item, byte[] authValue) throws NgcException {
    checkAuthLength(item, authValue, "authValue");
    return secretResult("TPM2_Unseal", CC_UNSEAL, item, authValue, new byte[0]);
  }

  /**
   * Decrypts with an RSA decryption key (TPM2_RSA_Decrypt, scheme OAEP with {@code oaepHash} for both the OAEP
   * digest and MGF1, empty label). The decrypted message comes back encrypted.
   *
   * @param key the loaded RSA decryption key, with scheme TPM_ALG_NULL or OAEP with the same hash
   * @param authValue its authValue; not modified, not kept
   * @param cipherText the ciphertext, as long as the modulus
   * @param oaepHash {@link #ALG_SHA1} or {@link #ALG_SHA256}
   * @return the message; the caller zeroes it
   * @throws TpmCommandException if the TPM refuses, including a ciphertext that does not decrypt (TPM_RC_VALUE)
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the hash is not SHA-1 or SHA-256, the ciphertext longer than 512 bytes, or
   *     the authValue too long
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public byte[] rsaDecrypt(LoadedObject key, byte[] authValue, byte[] cipherText, int oaepHash) throws NgcException {
    if (oaepHash != ALG_SHA1 && oaepHash != ALG_SHA256) {
      throw new IllegalArgumentException("the OAEP hash must be SHA-1 or SHA-256, not 0x" + TpmResponseCodes.hex(oaepHash));
    }
    if (cipherText.length > MAX_RSA_BYTES) {
      throw new IllegalArgumentException("an RSA ciphertext has at most " + MAX_RSA_BYTES + " bytes");
    }
    checkAuthLength(key, authValue, "authValue");
    TpmBuffer p = new TpmBuffer(2 + cipherText.length + 4 + 2);
    p.writeSizedByteBuf(cipherText);
    p.writeShort(ALG_OAEP);
    p.writeShort(oaepHash);
    p.writeShort(0); // label: empty
    return secretResult("TPM2_RSA_Decrypt", CC_RSA_DECRYPT, key, authValue, checked(p));
  }

  /**
   * Computes an HMAC with a loaded keyed-hash key (TPM2_HMAC, hash SHA-256). The HMAC comes back encrypted.
   *
   * @param key the loaded keyed-hash object (sign attribute, scheme HMAC-SHA256 or NULL, not restricted)
   * @param authValue its authValue; not modified, not kept
   * @param data at most {@value #MAX_HMAC_DATA} bytes
   * @return the 32-byte HMAC; the caller zeroes it when it is a key
   * @throws TpmCommandException if the TPM refuses
   * @throws TpmIntegrityException if the response fails its HMAC check or is malformed
   * @throws ProviderUnavailableException if the connection fails
   * @throws IllegalArgumentException if the data or the authValue is too long
   * @throws IllegalStateException if the session is closed or no longer usable
   */
  public byte[] hmac(LoadedObject key, byte[] authValue, byte[] data) throws NgcException {
    if (data.length > MAX_HMAC_DATA) {
      throw new IllegalArgumentException("TPM2_HMAC takes at most " + MAX_HMAC_DATA + " bytes, not " + data.length);
    }
    checkAuthLength(key, authValue, "authValue");
    TpmBuffer p = new TpmBuffer(2 + data.length + 2);
    p.writeSizedByteBuf(data);
    p.writeShort(HashAlg.SHA256.tpmId());
    String name = "TPM2_HMAC";
    byte[] out = secretResult(name, CC_HMAC, key, authValue, checked(p));
    if (out.length != HashAlg.SHA256.digestLength()) {
      Arrays.fill(out, (byte) 0);
      throw new TpmIntegrityException(name + " returned " + out.length + " bytes instead of a SHA-256 HMAC", null);
    }
    return out;
  }

  /**
   * Runs a command for one entity whose response is exactly one TPM2B holding a secret, asks for it encrypted, and
   * returns its content (the response buffer is zeroed).
   */
  private byte[] secretResult(String name, int commandCode, LoadedObject entity, byte[] authValue, byte[] params)
      throws NgcException {
    byte[] rp = execute(name, commandCode, new LoadedObject[] {entity}, false, authValue, params, ATTR_ENCRYPT);
    try {
      TpmBuffer r = new TpmBuffer(rp);
      byte[] out = r.readSizedByteBuf();
      if (!r.isOk() || out == null || r.curPos() != rp.length) {
        if (out != null) {
          Arrays.fill(out, (byte) 0);
        }
        throw new TpmIntegrityException(name + " returned a malformed response", null);
      }
      return out;
    } finally {
      Arrays.fill(rp, (byte) 0);
    }
  }

  /**
   * Returns the session handle (0x02xxxxxx).
   *
   * @return the handle
   */
  public int handle() {
    return handle;
  }

  /**
   * Returns whether the session can authorize another command.
   *
   * @return false after {@link #close()}, after a single-use session's command succeeded, or after an integrity or
   *     transport failure
   */
  public synchronized boolean isUsable() {
    return usable && !closed;
  }

  /**
   * Flushes the session from the TPM unless the TPM already ended it, and zeroes the session key. Idempotent. A
   * failing flush is logged at DEBUG, not thrown: the connection is then broken anyway and its owner will see it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    usable = false;
    Arrays.fill(sessionKey, (byte) 0);
    if (onTpm) {
      onTpm = false;
      flush(tpm, handle);
    }
  }

  /**
   * Forgets the session without sending anything: zeroes the session key and marks it closed. For a session the
   * TPM no longer holds (the connection was re-established, or the TPM answered TPM_RC_REFERENCE_S0), where a
   * FlushContext would be a wasted round trip. Idempotent.
   */
  public synchronized void forget() {
    if (closed) {
      return;
    }
    closed = true;
    usable = false;
    onTpm = false;
    Arrays.fill(sessionKey, (byte) 0);
  }

  /**
   * Runs one command authorized by this session for {@code entities[0]}, with the other entities' handles in the
   * handle area (all of them go into the cpHash).
   *
   * @param passwordForSecond whether {@code entities[1]} needs an authorization too (Certify's signHandle): it gets
   *     a password session with an empty authValue
   * @param params the marshalled parameters, plaintext; the first one (a TPM2B) is encrypted in place
   * @return the response parameters, the first one decrypted when {@code ATTR_ENCRYPT} was asked for
   */
  private synchronized byte[] execute(
      String name,
      int commandCode,
      LoadedObject[] entities,
      boolean passwordForSecond,
      byte[] authValue,
      byte[] params,
      int cryptAttributes)
      throws NgcException {
    if (closed || !usable) {
      throw new IllegalStateException("the TPM session is closed or no longer usable; start a new one");
    }
    int attributes = cryptAttributes | (singleUse ? 0 : ATTR_CONTINUE_SESSION);
    byte[] nonceCaller = new byte[NONCE_SIZE];
    random.nextBytes(nonceCaller);
    byte[] auth = SessionCrypto.trimAuth(authValue);
    byte[] sessionValue = SessionCrypto.concat(sessionKey, auth);
    Arrays.fill(auth, (byte) 0);
    try {
      if ((attributes & ATTR_DECRYPT) != 0) {
        int size = firstParameterSize(params);
        if (size < 0) {
          throw new IllegalStateException("the first parameter of " + name + " is not a complete TPM2B");
        }
        SessionCrypto.cfb(true, SESSION_HASH, sessionValue, nonceCaller, nonceTpm, params, 2, size);
      }
      MessageDigest cp = SESSION_HASH.newDigest();
      cp.update(SessionCrypto.int32(commandCode));
      for (LoadedObject entity : entities) {
        cp.update(entity.nameUnsafe());
      }
      cp.update(params);
      byte[] cpHash = cp.digest();
      byte[] hmac = SessionCrypto.hmac(
          SESSION_HASH, sessionValue, cpHash, nonceCaller, nonceTpm, new byte[] {(byte) attributes});

      int session1 = 4 + 2 + nonceCaller.length + 1 + 2 + hmac.length;
      int session2 = passwordForSecond ? 4 + 2 + 1 + 2 : 0;
      int size = HEADER_SIZE + 4 * entities.length + 4 + session1 + session2 + params.length;
      TpmBuffer cmd = new TpmBuffer(size);
      cmd.writeShort(ST_SESSIONS);
      cmd.writeInt(size);
      cmd.writeInt(commandCode);
      for (LoadedObject entity : entities) {
        cmd.writeInt(entity.handle());
      }
      cmd.writeInt(session1 + session2);
      cmd.writeInt(handle);
      cmd.writeSizedByteBuf(nonceCaller);
      cmd.writeByte((byte) attributes);
      cmd.writeSizedByteBuf(hmac);
      if (passwordForSecond) {
        cmd.writeInt(RS_PW);
        cmd.writeShort(0);
        cmd.writeByte((byte) ATTR_CONTINUE_SESSION);
        cmd.writeShort(0);
      }
      cmd.writeByteBuf(params);
      byte[] command = finish(cmd, size);

      byte[] response;
      try {
        response = transact(tpm, name, command);
      } catch (NgcException e) {
        usable = false; // the TPM may or may not have rolled its nonce
        throw e;
      }
      try {
        TpmBuffer r = header(name, response); // a TPM error leaves the session and its nonces as they were
        return verifyResponse(name, commandCode, r, response, passwordForSecond, sessionValue, nonceCaller, attributes);
      } catch (TpmIntegrityException e) {
        usable = false;
        throw e;
      }
    } finally {
      Arrays.fill(sessionValue, (byte) 0);
    }
  }

  private byte[] verifyResponse(
      String name,
      int commandCode,
      TpmBuffer r,
      byte[] response,
      boolean passwordForSecond,
      byte[] sessionValue,
      byte[] nonceCaller,
      int attributes)
      throws TpmIntegrityException {
    if (readShortAt(response, 0) != ST_SESSIONS) {
      throw new TpmIntegrityException(name + " succeeded without returning its authorization session", null);
    }
    int parameterSize = r.readInt();
    if (!r.isOk() || parameterSize < 0 || parameterSize > response.length - r.curPos()) {
      throw new TpmIntegrityException(name + " returned a malformed parameter size", null);
    }
    byte[] rp = parameterSize == 0 ? new byte[0] : r.readByteBuf(parameterSize);
    byte[] newNonceTpm = r.readSizedByteBuf();
    int responseAttributes = r.readByte() & 0xFF;
    byte[] responseHmac = r.readSizedByteBuf();
    if (passwordForSecond) {
      byte[] pwNonce = r.readSizedByteBuf();
      r.readByte();
      byte[] pwHmac = r.readSizedByteBuf();
      if (pwNonce == null || pwHmac == null || pwNonce.length != 0 || pwHmac.length != 0) {
        throw new TpmIntegrityException(name + " returned a malformed password session", null);
      }
    }
    if (!r.isOk() || rp == null || newNonceTpm == null || responseHmac == null || r.curPos() != response.length) {
      throw new TpmIntegrityException(name + " returned a malformed response (" + response.length + " bytes)", null);
    }
    MessageDigest rpDigest = SESSION_HASH.newDigest();
    rpDigest.update(SessionCrypto.int32(TpmResponseCodes.SUCCESS));
    rpDigest.update(SessionCrypto.int32(commandCode));
    rpDigest.update(rp);
    byte[] rpHash = rpDigest.digest();
    byte[] expected = SessionCrypto.hmac(
        SESSION_HASH, sessionValue, rpHash, newNonceTpm, nonceCaller, new byte[] {(byte) responseAttributes});
    if (!MessageDigest.isEqual(expected, responseHmac)) {
      throw new TpmIntegrityException(
          name + " response failed its HMAC check: it was altered on the way from the TPM, or the TPM does not hold"
              + " the salt key's private key",
          null);
    }
    if (newNonceTpm.length < 16) {
      throw new TpmIntegrityException(name + " returned a nonce of only " + newNonceTpm.length + " bytes", null);
    }
    nonceTpm = newNonceTpm;
    if ((responseAttributes & ATTR_CONTINUE_SESSION) == 0 || singleUse) {
      // continueSession clear: the TPM flushed the session after this successful command.
      usable = false;
      onTpm = false;
    }
    if ((attributes & ATTR_ENCRYPT) != 0) {
      int size = firstParameterSize(rp);
      if (size < 0) {
        throw new TpmIntegrityException(name + " returned a first parameter that is not a complete TPM2B", null);
      }
      SessionCrypto.cfb(false, SESSION_HASH, sessionValue, newNonceTpm, nonceCaller, rp, 2, size);
    }
    return rp;
  }

  /** Reads the header, returns the buffer positioned after it, and throws on any TPM error code. */
  private static TpmBuffer header(String name, byte[] response) throws NgcException {
    if (response.length < HEADER_SIZE) {
      throw new TpmIntegrityException(name + " returned only " + response.length + " bytes", null);
    }
    TpmBuffer r = new TpmBuffer(response);
    int tag = r.readShort();
    int size = r.readInt();
    int rc = r.readInt();
    if ((tag != ST_NO_SESSIONS && tag != ST_SESSIONS) || size != response.length) {
      throw new TpmIntegrityException(
          name + " returned a response with tag 0x" + TpmResponseCodes.hex(tag) + " and size " + size + " in "
              + response.length + " bytes",
          null);
    }
    if (rc != TpmResponseCodes.SUCCESS) {
      throw new TpmCommandException(name, rc);
    }
    return r;
  }

  private static byte[] transact(RawTpm tpm, String name, byte[] command) throws NgcException {
    try {
      return sendWithRetry(tpm, command);
    } catch (IOException e) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "the TPM connection failed during " + name,
          "check that the TPM is present and reachable, then reconnect",
          e);
    }
  }

  /**
   * Sends a command, and sends it again while the TPM answers TPM_RC_RETRY or TPM_RC_YIELDED (at most
   * {@value #MAX_RETRIES} times; swtpm answers RETRY to the first RSA operation after a start). Such an answer means
   * the TPM did not run the command and did not touch the session, so the same bytes, HMAC included, stay valid.
   */
  static byte[] sendWithRetry(RawTpm tpm, byte[] command) throws IOException {
    byte[] response = tpm.transact(command);
    for (int attempt = 0; attempt < MAX_RETRIES && response.length >= HEADER_SIZE; attempt++) {
      int rc = readIntAt(response, 6);
      if (rc != TpmResponseCodes.RETRY && rc != TpmResponseCodes.YIELDED) {
        break;
      }
      response = tpm.transact(command);
    }
    return response;
  }

  /** Flushes a handle from a malformed StartAuthSession answer, but only a session handle: never an object. */
  private static void flushIfSession(RawTpm tpm, int handle) {
    int type = handle >>> 24;
    if (type == HT_HMAC_SESSION || type == HT_POLICY_SESSION) {
      flush(tpm, handle);
    }
  }

  /** Sends TPM2_FlushContext; failures are only logged (the caller is already cleaning up). */
  static void flush(RawTpm tpm, int handle) {
    TpmBuffer cmd = new TpmBuffer(HEADER_SIZE + 4);
    cmd.writeShort(ST_NO_SESSIONS);
    cmd.writeInt(HEADER_SIZE + 4);
    cmd.writeInt(CC_FLUSH_CONTEXT);
    cmd.writeInt(handle);
    try {
      byte[] response = sendWithRetry(tpm, cmd.buffer());
      int rc = response.length >= HEADER_SIZE ? readIntAt(response, 6) : -1;
      if (rc != TpmResponseCodes.SUCCESS && !TpmResponseCodes.isHandle(rc)) {
        log.debug(
            "TPM2_FlushContext(0x{}) answered 0x{} ({})",
            TpmResponseCodes.hex(handle),
            TpmResponseCodes.hex(rc),
            TpmResponseCodes.describe(rc));
      }
    } catch (IOException | RuntimeException e) {
      log.debug("TPM2_FlushContext(0x{}) failed: {}", TpmResponseCodes.hex(handle), e.toString());
    }
  }

  static byte[] encryptSalt(LoadedObject saltKey, byte[] salt, SecureRandom random) {
    TPMT_PUBLIC pub = saltKey.publicArea();
    if (!(pub.parameters instanceof TPMS_RSA_PARMS) || !(pub.unique instanceof TPM2B_PUBLIC_KEY_RSA)) {
      throw new IllegalArgumentException("the salt key must be an RSA key; " + saltKey + " is not");
    }
    if ((pub.objectAttributes.toInt() & TPMA_OBJECT_DECRYPT) == 0) {
      throw new IllegalArgumentException("the salt key must have the decrypt attribute; " + saltKey + " has not");
    }
    TPMS_RSA_PARMS parms = (TPMS_RSA_PARMS) pub.parameters;
    byte[] modulus = ((TPM2B_PUBLIC_KEY_RSA) pub.unique).buffer;
    BigInteger exponent = parms.exponent == 0
        ? BigInteger.valueOf(65537)
        : BigInteger.valueOf(Integer.toUnsignedLong(parms.exponent));
    String hash = saltKey.nameAlg().jcaName();
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(new BigInteger(1, modulus), exponent));
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(
          Cipher.ENCRYPT_MODE,
          key,
          new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), new PSource.PSpecified(SECRET_LABEL)),
          random);
      return oaep.doFinal(salt);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot encrypt the salt to " + saltKey + ": " + e.getMessage(), e);
    }
  }

  private static void checkAuthLength(LoadedObject key, byte[] authValue, String what) {
    if (trimmedLength(authValue) > key.nameAlg().digestLength()) {
      throw new IllegalArgumentException(
          what + " is longer than the key's nameAlg digest (" + key.nameAlg().digestLength()
              + " bytes): no TPM object can have it");
    }
  }

  /** The length of an authValue without its trailing zero bytes. */
  private static int trimmedLength(byte[] authValue) {
    int n = authValue.length;
    while (n > 0 && authValue[n - 1] == 0) {
      n--;
    }
    return n;
  }

  /** The size of the TPM2B at the start of {@code params}, or -1 if it does not fit. */
  private static int firstParameterSize(byte[] params) {
    if (params.length < 2) {
      return -1;
    }
    int size = readShortAt(params, 0);
    return size <= params.length - 2 ? size : -1;
  }

  private static byte[] checked(TpmBuffer buffer) {
    if (!buffer.isOk() || buffer.curPos() != buffer.size()) {
      throw new IllegalStateException("TPM command buffer size miscomputed");
    }
    return buffer.buffer();
  }

  private static byte[] finish(TpmBuffer buffer, int size) {
    byte[] bytes = checked(buffer);
    if (bytes.length != size) {
      throw new IllegalStateException("TPM command size miscomputed");
    }
    return bytes;
  }

  private static <T> T parseWhole(String name, String type, TpmBuffer r, int length, Supplier<T> parser)
      throws TpmIntegrityException {
    T value;
    try {
      value = parser.get();
    } catch (RuntimeException e) {
      throw new TpmIntegrityException(name + " returned a malformed " + type, e);
    }
    if (!r.isOk() || r.curPos() != length) {
      throw new TpmIntegrityException(name + " returned a malformed " + type, null);
    }
    return value;
  }

  private static int readShortAt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  private static int readIntAt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }
}
