package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_MODULUS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE_LEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_MGF1_SHA1;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_MGF1_SHA256;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_RSA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_AES_GCM;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_AES_KEY_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_RSA_PKCS_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_RSA_PKCS_OAEP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_HMAC;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_RSA_PKCS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA_1;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ARGUMENTS_BAD;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_TYPE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_VALUE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_KEY_SIZE_RANGE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_PARAM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_OBJECT_HANDLE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCOMPLETE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCONSISTENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_NOT_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKZ_DATA_SPECIFIED;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.DeviceKeyRole;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.MechanismInfo;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_OAEP_PARAMS;

/**
 * The token's device key and transport key, and PRT session keys unwrapped on the token.
 *
 * <h2>Keys</h2>
 *
 * <p>Two RSA-2048 key pairs generated on the token (CKM_RSA_PKCS_KEY_PAIR_GEN) as token objects, each with a random
 * 20-byte CKA_ID and its own label, {@value #DEVICE_LABEL} and {@value #TRANSPORT_LABEL}. Private halves: CKA_TOKEN,
 * <b>CKA_PRIVATE=false</b>, CKA_SENSITIVE, CKA_EXTRACTABLE=false; the device key CKA_SIGN only, the transport key
 * CKA_UNWRAP only (no CKA_DECRYPT: the session key is unwrapped into a token object, never decrypted to the host).
 * Public halves: CKA_PRIVATE=false, CKA_VERIFY (device) or CKA_WRAP (transport) only. They are made on first use
 * and found again by label after a reopen; their attributes are checked every time they are loaded, and keys that
 * fail the check are refused, never replaced (the device's registration is bound to them).
 *
 * <p>Why CKA_PRIVATE=false: a device key is used with no user gesture, and PKCS#11 lets only a logged-in user
 * create or use private objects. A private key that is not a "private object" can be created and used without the
 * PIN; CKA_SENSITIVE and CKA_EXTRACTABLE=false still keep its value on the token. The trade-off: SoftHSM2 encrypts
 * only private objects under a key derived from the user PIN, so these two keys sit unencrypted in its token
 * directory (readable by whoever can read that directory, as the software provider's device keys are readable by
 * whoever can read its data directory). A smart card or HSM may refuse such objects; C_GenerateKeyPair's refusal
 * (CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_VALUE_INVALID, CKR_USER_NOT_LOGGED_IN, ...) is then {@code UNSUPPORTED}
 * saying so.
 *
 * <h2>Session keys</h2>
 *
 * <p>The envelope's session key is its AES-256-GCM content key. On the token:
 *
 * <ol>
 *   <li>a random AES-256 substitute key is generated (a session object) <em>before</em> the unwrap;
 *   <li>C_UnwrapKey with CKM_RSA_PKCS_OAEP (SHA-1 and MGF1-SHA-1 for {@code RSA-OAEP}; SHA-256 and MGF1-SHA-256 for
 *       {@code RSA-OAEP-256}, where the token has it) into a CKK_AES session object (sensitive, not extractable,
 *       CKA_DECRYPT only); if the unwrap fails, the substitute takes its place (RFC 7516 §11.5);
 *   <li>C_Decrypt with CKM_AES_GCM (the IV, the protected header as AAD, 128-bit tag) authenticates the envelope on
 *       the token; the plaintext is zeroed;
 *   <li>only an authentic key is unwrapped a second time, into a CKK_GENERIC_SECRET session object (sensitive, not
 *       extractable, CKA_SIGN only), which the handle keeps; the AES object and the substitute are destroyed;
 *   <li>the key must be exactly 32 bytes: CKA_VALUE_LEN where the token sets it; SoftHSM2 leaves it at 0 after an
 *       unwrap, and then the length is proved by the token itself: AES-GCM took the key (so it is 16, 24 or 32
 *       bytes) and CKM_SHA256_HMAC took it as a generic secret with a minimum key size of 32 bytes.
 * </ol>
 *
 * <p>{@link Pkcs11SessionKey#deriveKey} is C_Sign with CKM_SHA256_HMAC on that object. The session key never
 * reaches the host. Every envelope failure is the same {@code CLOUD_ERROR} with the same message and no cause, as
 * in the other providers ({@link SessionKeyEnvelopes#unwrapFailure()}); a token that lacks a mechanism is
 * {@code UNSUPPORTED} naming it, with no software fallback. Session objects live until the handle is closed, the
 * provider session closes, or the PKCS#11 session that made them is closed (a broken session or a removed token:
 * derivations then fail as {@code PROVIDER_UNAVAILABLE} or {@code TOKEN_REMOVED}; sign in again). They are
 * CKA_PRIVATE=false so that a logout does not hide them.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class Pkcs11DeviceKeys implements DeviceKeys {
  /** CKA_LABEL of both halves of the device key. */
  static final String DEVICE_LABEL = TokenObjects.DEVICE_KEY_LABEL;
  /** CKA_LABEL of both halves of the transport key. */
  static final String TRANSPORT_LABEL = TokenObjects.TRANSPORT_KEY_LABEL;
  private static final BigInteger F4 = BigInteger.valueOf(65537);
  private static final int RSA_BITS = 2048;
  private static final int IV_LENGTH = 12;
  private static final int TAG_LENGTH = 16;
  private static final Set<Long> REFUSED_TEMPLATE = Set.of(CKR_TEMPLATE_INCONSISTENT, CKR_TEMPLATE_INCOMPLETE,
      CKR_ATTRIBUTE_VALUE_INVALID, CKR_ATTRIBUTE_TYPE_INVALID, CKR_USER_NOT_LOGGED_IN);
  private static final Set<Long> REFUSED_PARAMETERS = Set.of(CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD,
      CKR_MECHANISM_INVALID);
  private static final Logger log = LoggerFactory.getLogger(Pkcs11DeviceKeys.class);

  /** A device or transport key on the token: its CKA_ID and public key. */
  static final class Key {
    private final byte[] ckaId;
    private final RSAPublicKey publicKey;

    Key(byte[] ckaId, RSAPublicKey publicKey) {
      this.ckaId = ckaId.clone();
      this.publicKey = publicKey;
    }

    byte[] ckaId() {
      return ckaId.clone();
    }

    RSAPublicKey publicKey() {
      return publicKey;
    }
  }

  private final Pkcs11ProviderSession session;
  private final SharedToken token;
  private final SecureRandom random = new SecureRandom();
  private final Object loadLock = new Object();
  private final Set<Pkcs11SessionKey> handles = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Key deviceKey;
  private volatile @Nullable Key transportKey;
  private volatile @Nullable Boolean oaepSha256;

  Pkcs11DeviceKeys(Pkcs11ProviderSession session) {
    this.session = session;
    this.token = session.token();
  }

  static String label(DeviceKeyRole role) {
    return role == DeviceKeyRole.DEVICE ? DEVICE_LABEL : TRANSPORT_LABEL;
  }

  @Override
  public PublicKey deviceKey() throws NgcException {
    session.ensureOpen();
    return get(DeviceKeyRole.DEVICE).publicKey();
  }

  @Override
  public PublicKey transportKey() throws NgcException {
    session.ensureOpen();
    return get(DeviceKeyRole.TRANSPORT).publicKey();
  }

  /**
   * Signs with the device key on the token (CKM_SHA256_RSA_PKCS), RS256 only; no PIN.
   *
   * @throws NgcException {@code UNSUPPORTED} for another algorithm or a token without CKM_SHA256_RSA_PKCS;
   *     {@code TOKEN_REMOVED}; the key's own failures
   */
  @Override
  public byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    SessionKeyEnvelopes.checkDeviceKeySign(session, algorithm, message);
    requireMechanism(CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS", "sign with the device key");
    byte[] id = get(DeviceKeyRole.DEVICE).ckaId();
    byte[] data = message.clone();
    return token.call("signing with the device key", s -> {
      Mechanism rs256 = new Mechanism(CKM_SHA256_RSA_PKCS);
      try {
        return s.signSingle(rs256, privateHandle(s, id, DeviceKeyRole.DEVICE), data);
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() != CKR_OBJECT_HANDLE_INVALID) {
          throw e;
        }
        return s.signSingle(rs256, privateHandle(s, id, DeviceKeyRole.DEVICE), data);
      }
    });
  }

  @Override
  public SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException {
    Objects.requireNonNull(envelope, "envelope");
    session.ensureOpen();
    requireMechanism(CKM_RSA_PKCS_OAEP, "CKM_RSA_PKCS_OAEP", "unwrap the PRT session key");
    requireMechanism(CKM_AES_KEY_GEN, "CKM_AES_KEY_GEN", "make the substitute key of a failed unwrap");
    requireMechanism(CKM_AES_GCM, "CKM_AES_GCM", "authenticate the PRT session key's envelope");
    requireMechanism(CKM_SHA256_HMAC, "CKM_SHA256_HMAC", "derive keys from the PRT session key");
    // Loading the key and probing the token do not depend on the envelope, so their errors reveal nothing about it.
    Key transport = get(DeviceKeyRole.TRANSPORT);
    if (envelope.algorithm() == KeyWrapAlgorithm.RSA_OAEP_SHA256) {
      requireOaepSha256(transport);
    }
    byte[] iv = envelope.initializationVector().toByteArray();
    byte[] tag = envelope.authenticationTag().toByteArray();
    if (iv.length != IV_LENGTH || tag.length != TAG_LENGTH) {
      throw SessionKeyEnvelopes.unwrapFailure();
    }
    byte[] ciphertext = envelope.ciphertext().toByteArray();
    byte[] sealed = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
    System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
    byte[] aad = envelope.protectedHeader().toByteArray();
    byte[] wrapped = envelope.encryptedKey().toByteArray();
    Mechanism oaep = oaep(envelope.algorithm());
    byte[] id = transport.ckaId();
    Pkcs11SessionKey handle = token.call("unwrapping the PRT session key", s -> {
      long unwrapping = privateHandle(s, id, DeviceKeyRole.TRANSPORT);
      // RFC 7516 §11.5: the substitute exists before the unwrap, so both outcomes take the same path.
      long substitute = s.generateKey(new Mechanism(CKM_AES_KEY_GEN), aesTemplate().valueLen(32));
      long aes = 0;
      long hmacKey = 0;
      boolean kept = false;
      try {
        try {
          aes = s.unwrapKey(oaep, unwrapping, wrapped, aesTemplate());
        } catch (PKCS11Exception e) {
          rethrowIfGone(e);
          aes = 0;
        }
        boolean authentic = gcmOpens(s, aes != 0 ? aes : substitute, iv, aad, sealed);
        if (!authentic || aes == 0) {
          throw envelopeFailure();
        }
        try {
          hmacKey = s.unwrapKey(oaep, unwrapping, wrapped, hmacTemplate());
        } catch (PKCS11Exception e) {
          rethrowIfGone(e);
          throw envelopeFailure();
        }
        if (!exactly32Bytes(s, hmacKey)) {
          throw envelopeFailure();
        }
        kept = true;
        return new Pkcs11SessionKey(this, token, hmacKey);
      } finally {
        destroyQuietly(s, substitute);
        destroyQuietly(s, aes);
        if (!kept) {
          destroyQuietly(s, hmacKey);
        }
      }
    });
    handles.add(handle);
    if (!session.isOpen()) {
      handle.close(); // the session closed meanwhile: do not hand out a handle forget() missed
      session.ensureOpen();
    }
    return handle;
  }

  /** A failure of the envelope, unless the token itself is gone (that is not the envelope's doing). */
  private NgcException envelopeFailure() {
    if (!token.present()) {
      return Ckr.removed(token.describe(), "unwrapping the PRT session key", null);
    }
    return SessionKeyEnvelopes.unwrapFailure();
  }

  private static void rethrowIfGone(PKCS11Exception e) throws PKCS11Exception {
    if (Ckr.tokenGone(e.getErrorCode())) {
      throw e;
    }
  }

  /** AES-256-GCM decryption on the token: true if the tag verifies. The plaintext is zeroed. */
  private static boolean gcmOpens(Session s, long key, byte[] iv, byte[] aad, byte[] sealed) throws PKCS11Exception {
    try {
      byte[] plaintext = s.decryptSingle(new Mechanism(CKM_AES_GCM, new GCM_PARAMS(iv, aad, TAG_LENGTH * 8)), key,
          sealed);
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
      return plaintext != null;
    } catch (PKCS11Exception e) {
      rethrowIfGone(e);
      return false;
    }
  }

  /**
   * Whether an unwrapped generic secret has exactly 32 bytes, proved on the token (see the class comment).
   *
   * @throws NgcException {@code UNSUPPORTED} if the token gives no way to tell
   */
  private boolean exactly32Bytes(Session s, long key) throws PKCS11Exception, NgcException {
    Integer length = null;
    try {
      length = s.getAttrValues(key, CKA_VALUE_LEN).valueLen();
    } catch (PKCS11Exception e) {
      rethrowIfGone(e);
    }
    if (length != null && length != 0) {
      return length == SessionKeyEnvelope.SESSION_KEY_BYTES;
    }
    if (hmacMinimumKeyBytes() < SessionKeyEnvelope.SESSION_KEY_BYTES) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "Token " + token.describe() + " reports no CKA_VALUE_LEN for an unwrapped key and its CKM_SHA256_HMAC"
              + " takes keys shorter than 32 bytes, so the PRT session key's length cannot be checked on it",
          "use a token that sets CKA_VALUE_LEN on C_UnwrapKey, or another provider", null);
    }
    try {
      byte[] probe = s.signSingle(new Mechanism(CKM_SHA256_HMAC), key, new byte[1]);
      return probe != null && probe.length == 32;
    } catch (PKCS11Exception e) {
      rethrowIfGone(e);
      if (e.getErrorCode() != CKR_KEY_SIZE_RANGE) {
        log.debug("the HMAC length probe failed: {}", e.getErrorName());
      }
      return false;
    }
  }

  private long hmacMinimumKeyBytes() {
    try {
      MechanismInfo info = token.slot().getToken().getMechanismInfo(CKM_SHA256_HMAC);
      return info == null ? 0 : info.getMinKeySize();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** CKM_RSA_PKCS_OAEP with the algorithm's hash for OAEP and MGF1, the empty label. */
  private static Mechanism oaep(KeyWrapAlgorithm algorithm) {
    return algorithm == KeyWrapAlgorithm.RSA_OAEP_SHA256
        ? new Mechanism(CKM_RSA_PKCS_OAEP, new RSA_PKCS_OAEP_PARAMS(CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED,
            null))
        : new Mechanism(CKM_RSA_PKCS_OAEP, new RSA_PKCS_OAEP_PARAMS(CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED,
            null));
  }

  /** The unwrapped AES key (and the substitute): a session object that only decrypts. */
  private static AttributeVector aesTemplate() {
    return AttributeVector.newAESSecretKey().token(false).private_(false).sensitive(true).extractable(false)
        .decrypt(true).encrypt(false).sign(false).verify(false).wrap(false).unwrap(false).derive(false);
  }

  /** The kept session key: a generic-secret session object that only signs (HMAC). */
  static AttributeVector hmacTemplate() {
    return AttributeVector.newSecretKey(CKK_GENERIC_SECRET).token(false).private_(false).sensitive(true)
        .extractable(false).sign(true).verify(false).decrypt(false).encrypt(false).wrap(false).unwrap(false)
        .derive(false);
  }

  /**
   * Whether the token unwraps with OAEP-SHA-256: probed once with a key made here for the transport key (never with
   * an envelope), so the answer says nothing about any envelope.
   */
  private void requireOaepSha256(Key transport) throws NgcException {
    Boolean known = oaepSha256;
    if (known == null) {
      byte[] probeKey = new byte[SessionKeyEnvelope.SESSION_KEY_BYTES];
      random.nextBytes(probeKey);
      byte[] wrapped;
      try {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        cipher.init(Cipher.ENCRYPT_MODE, transport.publicKey(), new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        wrapped = cipher.doFinal(probeKey);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("RSA-OAEP with SHA-256 is missing from this JDK", e);
      } finally {
        Arrays.fill(probeKey, (byte) 0);
      }
      byte[] id = transport.ckaId();
      known = token.call("probing RSA-OAEP with SHA-256", s -> {
        try {
          long probe = s.unwrapKey(oaep(KeyWrapAlgorithm.RSA_OAEP_SHA256), privateHandle(s, id,
              DeviceKeyRole.TRANSPORT), wrapped, hmacTemplate());
          destroyQuietly(s, probe);
          return Boolean.TRUE;
        } catch (PKCS11Exception e) {
          if (REFUSED_PARAMETERS.contains(e.getErrorCode())) {
            log.debug("token {} refuses CKM_RSA_PKCS_OAEP with SHA-256: {}", token.describe(), e.getErrorName());
            return Boolean.FALSE;
          }
          throw e;
        }
      });
      oaepSha256 = known;
    }
    if (!known) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "Token " + token.describe() + " cannot unwrap an RSA-OAEP-256 session key: it refuses CKM_RSA_PKCS_OAEP"
              + " with hashAlg CKM_SHA256 and MGF CKG_MGF1_SHA256 (SoftHSM2 2.6 supports only SHA-1)",
          "have the service wrap session keys with RSA-OAEP (SHA-1), as Entra ID does, or use a token that"
              + " supports OAEP with SHA-256", null);
    }
  }

  private void requireMechanism(long mechanism, String name, String what) throws NgcException {
    if (!token.hasMechanism(mechanism)) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "Token " + token.describe() + " cannot " + what + ": " + name + " is missing from its mechanism list",
          "use a token that offers " + name + ", or another provider", null);
    }
  }

  private static void destroyQuietly(Session s, long handle) {
    if (handle == 0) {
      return;
    }
    try {
      s.destroyObject(handle);
    } catch (PKCS11Exception | RuntimeException e) {
      log.trace("destroying a session object failed: {}", e.toString());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Session-key handles
  // ----------------------------------------------------------------------------------------------------------------

  void closed(Pkcs11SessionKey handle) {
    handles.remove(handle);
  }

  /** The provider session is closing: closes every session-key handle and forgets the keys. */
  void forget() {
    for (Pkcs11SessionKey h : List.copyOf(handles)) {
      h.close();
    }
    synchronized (loadLock) {
      deviceKey = null;
      transportKey = null;
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Finding and creating the keys
  // ----------------------------------------------------------------------------------------------------------------

  Key get(DeviceKeyRole role) throws NgcException {
    Key cached = role == DeviceKeyRole.DEVICE ? deviceKey : transportKey;
    if (cached != null) {
      return cached;
    }
    synchronized (loadLock) {
      cached = role == DeviceKeyRole.DEVICE ? deviceKey : transportKey;
      if (cached != null) {
        return cached;
      }
      Key loaded = loadOrCreate(role);
      session.ensureOpen();
      if (role == DeviceKeyRole.DEVICE) {
        deviceKey = loaded;
      } else {
        transportKey = loaded;
      }
      return loaded;
    }
  }

  private Path lockPath(DeviceKeyRole role) {
    return session.dataDirectory().resolve("tokens").resolve(TokenAttempts.safeName(token.serial()))
        .resolve(role.fileName());
  }

  @SuppressWarnings("try") // the lock is held for the block
  private Key loadOrCreate(DeviceKeyRole role) throws NgcException {
    try (ContainerLocks.Held held = ContainerLocks.lock(lockPath(role))) {
      Optional<Key> found = token.call("looking up the " + role.describe(), s -> find(s, role));
      if (found.isPresent()) {
        return found.get();
      }
      create(role);
      log.info("created the {} on token {}", role.describe(), token.describe());
      Optional<Key> created = token.call("reading the new " + role.describe(), s -> find(s, role));
      if (created.isEmpty()) {
        throw damaged(role, "the key just generated cannot be found");
      }
      return created.get();
    }
  }

  /** Generates the role's key pair on the token; needs no login. */
  private void create(DeviceKeyRole role) throws NgcException {
    byte[] id = new byte[TokenObjects.ID_BYTES];
    random.nextBytes(id);
    boolean device = role == DeviceKeyRole.DEVICE;
    String label = label(role);
    AttributeVector pub = AttributeVector.newRSAPublicKey().token(true).private_(false).verify(device)
        .encrypt(false).wrap(!device).verifyRecover(false).derive(false).modulusBits(RSA_BITS).publicExponent(F4)
        .id(id).label(label);
    AttributeVector priv = AttributeVector.newRSAPrivateKey().token(true).private_(false).sensitive(true)
        .extractable(false).sign(device).signRecover(false).decrypt(false).unwrap(!device).derive(false).id(id)
        .label(label);
    try {
      token.callRawWriting("generating the " + role.describe(), s -> {
        PKCS11KeyPair pair = s.generateKeyPair(new Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN),
            new KeyPairTemplate(priv, pub));
        if (pair.getPublicKey() == 0 || pair.getPrivateKey() == 0) {
          throw new TokenException("the token returned no key handles");
        }
        return Boolean.TRUE;
      });
    } catch (PKCS11Exception e) {
      if (REFUSED_TEMPLATE.contains(e.getErrorCode()) && token.present()) {
        throw new NgcException(ErrorCode.UNSUPPORTED,
            "Token " + token.describe() + " refuses to generate the " + role.describe() + " as a private key usable"
                + " without the user PIN (CKA_PRIVATE=false, sensitive, not extractable): " + Ckr.name(e),
            "device keys need a token that allows private keys outside the user's login (SoftHSM2 does; many smart"
                + " cards and HSMs do not); use such a token, or the TPM or software provider for device keys", e);
      }
      throw token.failure("generating the " + role.describe(), e);
    } catch (TokenException e) {
      throw token.failure("generating the " + role.describe(), e);
    }
  }

  /** Finds the role's key by label and checks it; several: the smallest CKA_ID wins, so every process agrees. */
  private Optional<Key> find(Session s, DeviceKeyRole role) throws TokenException, NgcException {
    long[] found = s.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).label(label(role)));
    if (found.length == 0) {
      return Optional.empty();
    }
    List<byte[]> ids = new ArrayList<>();
    for (long h : found) {
      byte[] id = s.getAttrValues(h, CKA_ID).id();
      if (id != null && id.length > 0) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      throw damaged(role, "the private key labelled '" + label(role) + "' has no CKA_ID");
    }
    if (ids.size() > 1) {
      log.debug("token {} holds {} keys labelled '{}'; using the one with the smallest CKA_ID", token.describe(),
          ids.size(), label(role));
    }
    byte[] id = ids.stream().min(Comparator.comparing(TokenObjects::hex)).orElseThrow();
    long handle = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(id).label(label(role)), 1)[0];
    AttributeVector a = s.getAttrValues(handle, CKA_KEY_TYPE, CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_SIGN,
        CKA_UNWRAP, CKA_DECRYPT, CKA_MODULUS);
    boolean device = role == DeviceKeyRole.DEVICE;
    List<String> problems = new ArrayList<>();
    Long type = a.keyType();
    if (type == null || type != CKK_RSA) {
      problems.add("it is not an RSA key");
    }
    if (!Boolean.FALSE.equals(a.private_())) {
      problems.add("CKA_PRIVATE is not false");
    }
    if (!Boolean.TRUE.equals(a.sensitive())) {
      problems.add("CKA_SENSITIVE is not true");
    }
    if (!Boolean.FALSE.equals(a.extractable())) {
      problems.add("CKA_EXTRACTABLE is not false");
    }
    if (!Boolean.valueOf(device).equals(a.sign())) {
      problems.add("CKA_SIGN is not " + device);
    }
    if (!Boolean.valueOf(!device).equals(a.unwrap())) {
      problems.add("CKA_UNWRAP is not " + !device);
    }
    if (Boolean.TRUE.equals(a.decrypt())) {
      problems.add("CKA_DECRYPT is true");
    }
    BigInteger n = a.modulus();
    RSAPublicKey publicKey = null;
    Optional<Long> pub = TokenObjects.publicKey(s, id);
    if (pub.isEmpty()) {
      problems.add("there is no public key object with its CKA_ID");
    } else {
      try {
        publicKey = TokenObjects.readRsaPublic(s, pub.get());
        if (publicKey.getModulus().bitLength() != RSA_BITS || !F4.equals(publicKey.getPublicExponent())) {
          problems.add("its public key is not RSA-2048 with exponent 65537");
        } else if (n != null && !n.equals(publicKey.getModulus())) {
          problems.add("its public key object has another modulus");
        }
      } catch (IllegalArgumentException e) {
        problems.add("its public key object is " + e.getMessage());
      }
    }
    if (!problems.isEmpty() || publicKey == null) {
      throw damaged(role, String.join("; ", problems));
    }
    return Optional.of(new Key(id, publicKey));
  }

  /** The handle of the role's private key (looked up by CKA_ID each time; SoftHSM2 finds in microseconds). */
  private long privateHandle(Session s, byte[] id, DeviceKeyRole role) throws TokenException, NgcException {
    long[] found = s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(id).label(label(role)), 2);
    if (found.length != 1) {
      if (!token.present()) {
        throw Ckr.removed(token.describe(), "looking up the " + role.describe(), null);
      }
      throw damaged(role, found.length == 0 ? "it was deleted from the token" : "it is duplicated");
    }
    return found[0];
  }

  private NgcException damaged(DeviceKeyRole role, String why) {
    return new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
        "The " + role.describe() + " on token " + token.describe() + " is not usable: " + why,
        "delete the objects labelled '" + DEVICE_LABEL + "' and '" + TRANSPORT_LABEL + "' from the token (pkcs11-tool"
            + " --delete-object) and join the device again", null);
  }

  @Override
  public String toString() {
    return "Pkcs11DeviceKeys[" + token.describe() + "]";
  }
}
