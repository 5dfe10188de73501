package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.DeviceKeyCache;
import dev.ngc4j.provider.support.DeviceKeyRole;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.provider.tpm.internal.session.SaltedSession;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.tpm.TPM2B_DIGEST_KEYEDHASH;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SCHEME_HMAC;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;

/**
 * The TPM's device key and transport key, and PRT session keys kept inside the TPM.
 *
 * <h2>Keys</h2>
 *
 * <ul>
 *   <li>Device key: RSA-2048 made by TPM2_Create under the SRK, attributes sign, fixedTPM, fixedParent,
 *       sensitiveDataOrigin, userWithAuth, noDA ({@code 0x00040472}), scheme RSASSA-SHA256 fixed in the key, so the
 *       TPM signs nothing but RS256 with it.
 *   <li>Transport key: RSA-2048, attributes decrypt, fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, noDA
 *       ({@code 0x00020472}), not restricted, scheme NULL so that each TPM2_RSA_Decrypt names OAEP with the hash of
 *       the envelope's algorithm (SHA-1 for {@code RSA-OAEP}, SHA-256 for {@code RSA-OAEP-256}).
 * </ul>
 *
 * <p>Both have an <em>empty authValue</em> and noDA. They need no user gesture, so any authValue would have to be
 * stored next to the blob, where it would add nothing: whoever can read the blob could read the value too, and a blob
 * loads only under this TPM's SRK anyway. noDA keeps a stray failure from counting against the TPM's
 * dictionary-attack limit, which protects the users' keys. They are still used through the connection's salted
 * session (an empty authValue keys the HMAC with the salted session key alone), which authenticates the TPM's
 * answers and encrypts the decrypted session key on its way back.
 *
 * <h2>Storage</h2>
 *
 * <pre>
 * dataDirectory/device-key.ngc      rw-------  role 1, SRK name, public area, private blob
 * dataDirectory/transport-key.ngc   rw-------  role 2, likewise
 * </pre>
 *
 * <p>Each is a {@link FramedFile} (magic {@value #MAGIC}), created once on first use and atomically
 * ({@link DeviceKeyCache}, {@link OwnerOnlyFiles#createAtomically}: a synced temporary file hard-linked to its name,
 * so two threads or processes racing end up sharing the winner's key and a crash leaves no half file). Nothing in
 * them is secret: the private blob is encrypted and integrity-protected under the SRK. A file made under another SRK
 * (the TPM was cleared, or the directory comes from another machine) or holding the other role's key is refused,
 * never replaced: the device's registration is bound to these keys.
 *
 * <h2>Session keys</h2>
 *
 * <p>{@link #unwrapSessionKey}: TPM2_RSA_Decrypt with the transport key gives the 32-byte session key. It is then
 * unavoidably in host memory for a moment, to authenticate the envelope (AES-256-GCM with the protected header as
 * AAD, through the JDK; the checks around the decryption are {@link SessionKeyEnvelopes}'); only an authentic key is
 * imported into the TPM, as a keyed-hash HMAC-SHA256 object under
 * the SRK (see {@link TpmSessionKey}), and every host copy is zeroed (best effort: the JCA's {@link SecretKeySpec}
 * keeps a copy until garbage collection). When the decryption fails a random key takes its place so that the failure
 * surfaces at the same tag check (RFC 7516 §11.5); every envelope failure is the same {@link NgcException}
 * ({@link ErrorCode#CLOUD_ERROR}) with the same message and no cause.
 *
 * <p>Import: TPM2_Create with the session key as the new object's sensitive data, under the SRK, in the salted
 * session with parameter encryption, so the key crosses the TPM interface only encrypted. TPM2_LoadExternal would
 * put the key in the NULL hierarchy and has to be repeated (key and all) for each use, as no slot can be held for
 * it; TPM2_Import would need the key wrapped to the SRK in software first (a duplication blob with an OAEP-encrypted
 * seed), more code for the same result. TPM2_Create gives a private blob sealed to this TPM's SRK that the handle
 * keeps in memory only (never on disk) and loads for each derivation.
 *
 * <p>Thread safety: safe for concurrent use; TPM commands are serialised by the connection.
 */
final class TpmDeviceKeys implements DeviceKeys, DeviceKeyCache.KeyFiles<TpmDeviceKeys.Key> {
  static final String DEVICE_KEY_FILE = DeviceKeyRole.DEVICE.fileName();
  static final String TRANSPORT_KEY_FILE = DeviceKeyRole.TRANSPORT.fileName();
  static final String MAGIC = "NGC4JTPD";
  static final int VERSION = 1;
  /** sign|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA. */
  static final int DEVICE_KEY_ATTRIBUTES = 0x00040472;
  /** decrypt|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA. */
  static final int TRANSPORT_KEY_ATTRIBUTES = 0x00020472;
  /** sign|fixedTPM|fixedParent|userWithAuth|noDA: an imported HMAC key. */
  static final int SESSION_KEY_ATTRIBUTES = 0x00040452;
  private static final String REJOIN_REMEDY = "delete " + DEVICE_KEY_FILE + " and " + TRANSPORT_KEY_FILE
      + " from the TPM provider's data directory and join the device again";
  private static final int MAX_FILE_LENGTH = 16 * 1024;
  private static final int RSA_BYTES = TpmKeys.RSA_BITS / 8;
  private static final int TPM_ALG_NULL = 0x0010;
  private static final int TPM_ALG_RSASSA = 0x0014;
  private static final Logger log = LoggerFactory.getLogger(TpmDeviceKeys.class);

  /** The object attributes of a role's key. */
  static int attributes(DeviceKeyRole role) {
    return role == DeviceKeyRole.DEVICE ? DEVICE_KEY_ATTRIBUTES : TRANSPORT_KEY_ATTRIBUTES;
  }

  /** A device or transport key: its blobs and its public key. */
  static final class Key {
    final KeyBlob blob;
    final RSAPublicKey publicKey;

    Key(KeyBlob blob, RSAPublicKey publicKey) {
      this.blob = blob;
      this.publicKey = publicKey;
    }
  }

  private final TpmSession session;
  private final Path dataDirectory;
  private final SecureRandom random = new SecureRandom();
  private final Set<TpmSessionKey> handles = ConcurrentHashMap.newKeySet();
  private final DeviceKeyCache<Key> cache;

  TpmDeviceKeys(TpmSession session, Path dataDirectory) {
    this.session = session;
    this.dataDirectory = dataDirectory;
    this.cache = new DeviceKeyCache<>(dataDirectory, session::ensureOpen, this);
  }

  @Override
  public PublicKey deviceKey() throws NgcException {
    session.ensureOpen();
    return cache.get(DeviceKeyRole.DEVICE).publicKey;
  }

  @Override
  public PublicKey transportKey() throws NgcException {
    session.ensureOpen();
    return cache.get(DeviceKeyRole.TRANSPORT).publicKey;
  }

  /**
   * Signs with the device key inside the TPM, RS256 only (the key's own scheme).
   *
   * @throws NgcException {@code UNSUPPORTED} for any other algorithm; {@code PROVIDER_UNAVAILABLE} if the TPM or the
   *     key file cannot be used
   */
  @Override
  public byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    SessionKeyEnvelopes.checkDeviceKeySign(session, algorithm, message);
    Key key = cache.get(DeviceKeyRole.DEVICE);
    try {
      return session.keys().sign(key.blob, new byte[0], TpmUnlockedKey.sha256(message), algorithm);
    } catch (AuthFailure e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM refused the device key's empty authorisation value (" + TpmRc.hex(e.responseCode()) + ")",
          REJOIN_REMEDY, e);
    }
  }

  @Override
  public SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException {
    Objects.requireNonNull(envelope, "envelope");
    session.ensureOpen();
    // Loading the key does not depend on the envelope, so its own errors reveal nothing about the envelope.
    Key transport = cache.get(DeviceKeyRole.TRANSPORT);
    return SessionKeyEnvelopes.open(envelope, random,
        (algorithm, encryptedKey) -> encryptedKey.length == RSA_BYTES
            ? session.keys().rsaDecrypt(transport.blob, encryptedKey, oaepHash(algorithm))
            : null,
        SessionKeyEnvelopes::jdkGcm,
        this::importSessionKey);
  }

  /** Imports an authentic session key into the TPM (see the class comment) and tracks its handle. */
  private TpmSessionKey importSessionKey(byte[] sessionKey) throws NgcException {
    byte[] auth = AuthValues.random();
    try {
      KeyBlob blob = session.keys().create("importing the PRT session key", auth, sessionKey, sessionKeyTemplate());
      checkSessionKeyPublic(blob.publicArea());
      TpmSessionKey handle = new TpmSessionKey(this, session.keys(), blob, auth);
      handles.add(handle);
      if (!session.isOpen()) {
        handle.close(); // the session closed meanwhile: do not hand out a handle forget() missed
        session.ensureOpen();
      }
      return handle;
    } finally {
      Arrays.fill(auth, (byte) 0); // the handle keeps its own copy
    }
  }

  private static int oaepHash(KeyWrapAlgorithm algorithm) {
    return switch (algorithm) {
      case RSA_OAEP_SHA1 -> SaltedSession.ALG_SHA1;
      case RSA_OAEP_SHA256 -> SaltedSession.ALG_SHA256;
    };
  }

  /**
   * The template of an imported session key: a keyed-hash object with scheme HMAC-SHA256, attributes sign,
   * fixedTPM, fixedParent, userWithAuth, noDA ({@code 0x00040452}): not restricted (TPM2_HMAC over any data), no
   * sensitiveDataOrigin (the key is given), never duplicable.
   */
  static TPMT_PUBLIC sessionKeyTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.userWithAuth,
            TPMA_OBJECT.noDA),
        new byte[0],
        new TPMS_KEYEDHASH_PARMS(new TPMS_SCHEME_HMAC(TPM_ALG_ID.SHA256)),
        new TPM2B_DIGEST_KEYEDHASH());
  }

  private static void checkSessionKeyPublic(byte[] publicArea) throws ProviderUnavailableException {
    TPMT_PUBLIC pub;
    try {
      pub = TPMT_PUBLIC.fromBytes(publicArea);
    } catch (RuntimeException e) {
      pub = null;
    }
    if (pub == null || pub.objectAttributes == null || pub.nameAlg == null
        || pub.objectAttributes.toInt() != SESSION_KEY_ATTRIBUTES || pub.nameAlg.toInt() != TPM_ALG_ID.SHA256.toInt()
        || !(pub.parameters instanceof TPMS_KEYEDHASH_PARMS)) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM created a session-key object that does not match the requested template",
          "check the TPM's firmware; this is unexpected", null);
    }
  }

  static TPMT_PUBLIC template(DeviceKeyRole role) {
    TPMA_OBJECT attributes = role == DeviceKeyRole.DEVICE
        ? new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA)
        : new TPMA_OBJECT(TPMA_OBJECT.decrypt, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA);
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        attributes,
        new byte[0],
        new TPMS_RSA_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL),
            role == DeviceKeyRole.DEVICE ? new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256) : new TPMS_NULL_ASYM_SCHEME(),
            TpmKeys.RSA_BITS, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  /**
   * Decodes and checks a device or transport key's public area: exactly the role's template (SHA-256 name
   * algorithm, attributes, empty policy, no symmetric algorithm, the role's scheme), RSA-2048, exponent 65537.
   *
   * @throws IllegalArgumentException saying which property does not fit
   */
  static RSAPublicKey rsaPublicKey(DeviceKeyRole role, byte[] publicArea) {
    TPMT_PUBLIC pub;
    try {
      pub = TPMT_PUBLIC.fromBytes(publicArea);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the public area does not parse", e);
    }
    if (pub.nameAlg == null || pub.nameAlg.toInt() != TPM_ALG_ID.SHA256.toInt()) {
      throw new IllegalArgumentException("the name algorithm is not SHA-256");
    }
    if (pub.objectAttributes == null || pub.objectAttributes.toInt() != attributes(role)) {
      throw new IllegalArgumentException("the object attributes are not those of the " + role.describe());
    }
    if (pub.authPolicy != null && pub.authPolicy.length != 0) {
      throw new IllegalArgumentException("the key has an authorisation policy");
    }
    if (!(pub.parameters instanceof TPMS_RSA_PARMS rsa) || !(pub.unique instanceof TPM2B_PUBLIC_KEY_RSA modulus)) {
      throw new IllegalArgumentException("the key is not an RSA key");
    }
    if (rsa.keyBits != TpmKeys.RSA_BITS || modulus.buffer == null || modulus.buffer.length != RSA_BYTES) {
      throw new IllegalArgumentException("the key is not RSA-2048");
    }
    if (rsa.symmetric != null && rsa.symmetric.algorithm != null && rsa.symmetric.algorithm.toInt() != TPM_ALG_NULL) {
      throw new IllegalArgumentException("the key has a symmetric algorithm");
    }
    int scheme = rsa.schemeScheme() == null ? TPM_ALG_NULL : rsa.schemeScheme().toInt();
    if (scheme != (role == DeviceKeyRole.DEVICE ? TPM_ALG_RSASSA : TPM_ALG_NULL)) {
      throw new IllegalArgumentException("the key's scheme is not that of the " + role.describe());
    }
    long exponent = rsa.exponent & 0xFFFF_FFFFL;
    if (exponent != 0 && exponent != 65537) {
      throw new IllegalArgumentException("the key's exponent is not 65537");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus.buffer), BigInteger.valueOf(65537)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the modulus is not a valid RSA key", e);
    }
  }

  /** A handle was closed: stop tracking it. */
  void closed(TpmSessionKey handle) {
    handles.remove(handle);
  }

  /** The session is closing: closes every session-key handle still open and forgets the cached blobs. */
  void forget() {
    for (TpmSessionKey handle : List.copyOf(handles)) {
      handle.close();
    }
    cache.forget(key -> key.blob.destroy());
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Loading and creation
  // ----------------------------------------------------------------------------------------------------------------

  /** Makes the role's key in the TPM and creates its file, unless another process did first (then null). */
  @Override
  public @Nullable Key create(Path file, DeviceKeyRole role) throws NgcException {
    KeyBlob blob = session.keys().create("creating the TPM's " + role.describe(), new byte[0], new byte[0],
        template(role));
    RSAPublicKey publicKey;
    try {
      publicKey = rsaPublicKey(role, blob.publicArea());
    } catch (IllegalArgumentException e) {
      blob.destroy();
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM created a " + role.describe() + " that does not match the requested template: " + e.getMessage(),
          "check the TPM's firmware; this is unexpected", e);
    }
    byte[] privateArea = blob.privateArea();
    byte[] body = new ByteWriter(ContainerRecord.MAX_BYTES).u8(role.code()).bytes(session.srkName())
        .bytes(blob.publicArea()).bytes(privateArea).toByteArray();
    Arrays.fill(privateArea, (byte) 0);
    try {
      if (OwnerOnlyFiles.createAtomically(file, FramedFile.seal(MAGIC, VERSION, body))) {
        log.info("created the TPM's {} ({})", role.describe(), file);
        return new Key(blob, publicKey);
      }
    } catch (IOException e) {
      blob.destroy();
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "The TPM provider could not create " + file + ": " + e, e);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    blob.destroy();
    return null;
  }

  @Override
  public Key read(Path file, DeviceKeyRole role) throws NgcException {
    byte[] data;
    try {
      data = OwnerOnlyFiles.read(file, MAX_FILE_LENGTH);
    } catch (OwnerOnlyFiles.FileTooLargeException e) {
      throw damaged(FramedFile.corrupted(file, "it is too large"));
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "The TPM provider could not read " + file + ": " + e, e);
    }
    KeyBlob blob;
    RSAPublicKey publicKey;
    try {
      ByteReader r = new ByteReader(FramedFile.open(file, data, MAGIC, VERSION).body(), ContainerRecord.MAX_BYTES);
      int storedRole = r.u8();
      byte[] srkName = r.bytes();
      byte[] publicArea = r.bytes();
      byte[] privateArea = r.bytes();
      r.expectEnd();
      if (storedRole != role.code()) {
        throw damaged(FramedFile.corrupted(file, "it holds another role's key (" + storedRole + ")"));
      }
      if (!MessageDigest.isEqual(srkName, session.srkName())) {
        throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The TPM's " + role.describe() + " in " + file + " was made under another storage root key: the TPM was "
                + "cleared, or the data directory comes from another device",
            REJOIN_REMEDY, null);
      }
      try {
        publicKey = rsaPublicKey(role, publicArea);
      } catch (IllegalArgumentException e) {
        throw damaged(FramedFile.corrupted(file, "its public area is wrong (" + e.getMessage() + ")"));
      }
      blob = new KeyBlob(publicArea, privateArea);
      Arrays.fill(privateArea, (byte) 0);
    } catch (ByteReader.MalformedException e) {
      throw damaged(FramedFile.corrupted(file, e.reason()));
    } catch (ContainerCorruptedException e) {
      throw damaged(e);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
    return new Key(blob, publicKey);
  }

  private static ProviderUnavailableException damaged(NgcException cause) {
    return new ProviderUnavailableException(
        ErrorCode.PROVIDER_UNAVAILABLE, "The TPM provider's device keys are damaged: " + cause.detail(),
        REJOIN_REMEDY, cause);
  }

  @Override
  public String toString() {
    return "TpmDeviceKeys[" + dataDirectory + "]";
  }
}
