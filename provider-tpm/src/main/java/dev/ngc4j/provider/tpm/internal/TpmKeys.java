package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.tpm.internal.session.CreatedObject;
import dev.ngc4j.provider.tpm.internal.session.LoadedObject;
import dev.ngc4j.provider.tpm.internal.session.SaltedSession;
import dev.ngc4j.provider.tpm.internal.session.TpmCommandException;
import dev.ngc4j.provider.tpm.internal.session.TpmIntegrityException;
import dev.ngc4j.provider.tpm.internal.session.TpmResponseCodes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.CreatePrimaryResponse;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.ReadPublicResponse;
import tss.tpm.TPM2B_DIGEST_KEYEDHASH;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_NULL_SCHEME_KEYEDHASH;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMS_SIGNATURE_RSA;
import tss.tpm.TPMS_TAGGED_PROPERTY;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SIGNATURE;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;

/**
 * Every TPM command this provider sends about keys, in one place: the storage root key (SRK), creating the user
 * key and sealed objects, and the load-use-flush sequences for signing, changing an authValue and unsealing. Each
 * public operation takes the connection's lock once, loads what it needs under the SRK, and flushes it again before
 * returning, so at most two transient objects (the SRK and one other) are loaded at any time: three slots (the
 * minimum TPMs guarantee, and what swtpm has) are always enough.
 *
 * <h2>Templates</h2>
 *
 * <ul>
 *   <li>SRK: the TCG "storage root key" template (TCG TPM v2.0 Provisioning Guidance): RSA-2048, AES-128-CFB,
 *       restricted decrypt, fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, noDA, empty authValue and
 *       policy, zero exponent and empty unique. CreatePrimary with this template is deterministic per owner seed.
 *   <li>User key: RSA-2048, default exponent, name algorithm SHA-256, attributes sign, fixedTPM, fixedParent,
 *       sensitiveDataOrigin, userWithAuth ({@code 0x00040072}) and nothing else: no noDA (the TPM's dictionary-attack
 *       logic protects its authValue), no adminWithPolicy (the authValue also gates admin commands such as
 *       ObjectChangeAuth and Certify), not restricted, no decrypt; empty authPolicy. Its scheme is TPM_ALG_NULL so
 *       each TPM2_Sign picks RSASSA-PKCS1-v1_5 or RSASSA-PSS with SHA-256: ngc4j signs both RS256 and PS256. The
 *       digest is computed in Java and signed with a null hash-check ticket (fine for an unrestricted key).
 *   <li>Sealed data (biometric protectors): a keyed-hash object with a null scheme, fixedTPM, fixedParent,
 *       userWithAuth, no sign/decrypt, not noDA, holding up to 128 bytes given at creation.
 * </ul>
 *
 * <h2>Authorisation: no secret crosses the TPM interface in clear</h2>
 *
 * <p>Every command that carries an authValue or another secret is built by
 * {@link dev.ngc4j.provider.tpm.internal.session.SaltedSession} and runs in one salted, unbound HMAC session with
 * AES-128-CFB parameter encryption, salted to the SRK's public key: TPM2_Sign, TPM2_ObjectChangeAuth (which also
 * checks a PIN), TPM2_Unseal (the biometric path; the unsealed key authValue comes back encrypted), and TPM2_Create
 * for every object (the new object's authValue, and a sealed object's data, are in {@code inSensitive}, which
 * travels encrypted: pool keys are created with a random throwaway authValue that must stay as secret as the PIN
 * value it is later changed to, and a sealed object holds a key's authValue; an imported PRT session key is its
 * sensitive data), and for the device keys TPM2_RSA_Decrypt and TPM2_HMAC (the decrypted session key and the
 * derived keys come back encrypted). The authValues only key the HMACs.
 * Commands without secrets stay with TSS.Java: TPM2_Load (the blob is encrypted under the SRK, whose authValue is
 * empty), TPM2_FlushContext, TPM2_GetCapability, TPM2_CreatePrimary/ReadPublic/EvictControl of the SRK.
 *
 * <p>One session is kept per connection (see {@link #secure}): a fresh one per command would cost one
 * TPM2_StartAuthSession, whose RSA decryption made a sign about 2.5 times as slow on swtpm; a kept one costs a few
 * HMACs in Java. It is started on first use, flushed by {@link #release()}, forgotten when the connection is
 * re-established (the TPM lost it; connecting flushes stale sessions of a dead client anyway),
 * and started again when the TPM answers TPM_RC_REFERENCE_S0 (it no longer holds it). It takes one of the TPM's
 * session slots (libtpms has three loaded) for the life of the provider session.
 *
 * <p>The salt key's public area is the one TPM2_CreatePrimary or TPM2_ReadPublic returned on this connection. A
 * passive observer of the TPM interface learns nothing from the sessions; an active interposer that answered with
 * its own SRK would be detected for every existing container, whose file pins the SRK's name (a hash of that public
 * area), and every HMAC would then fail.
 *
 * <p>Thread safety: safe for concurrent use; commands are serialised by the connection.
 */
public final class TpmKeys {
  /** The attributes of the user key: sign|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth. */
  static final int USER_KEY_ATTRIBUTES = 0x00040072;
  /** The attributes of a sealed data object: fixedTPM|fixedParent|userWithAuth. */
  static final int SEALED_ATTRIBUTES = 0x00000052;
  static final int RSA_BITS = 2048;
  static final int SIGNATURE_LENGTH = 256;
  static final int MAX_SEALED_DATA = 128;
  private static final int PT_PERMANENT = 0x200;
  private static final int PT_LOCKOUT_COUNTER = 0x20E;
  private static final int PT_MAX_AUTH_FAIL = 0x20F;
  private static final int PT_LOCKOUT_INTERVAL = 0x210;
  private static final int PT_LOCKOUT_RECOVERY = 0x211;
  private static final int PERMANENT_IN_LOCKOUT = 1 << 9;
  private static final int TPM_ALG_SHA256 = 0x000B;
  private static final Logger log = LoggerFactory.getLogger(TpmKeys.class);

  private final TpmConnection connection;
  private final TpmSettings settings;
  private final SecureRandom random = new SecureRandom();
  private @Nullable TPM_HANDLE srk;
  private byte @Nullable [] srkName;
  private @Nullable LoadedObject srkObject;
  private long srkGeneration;
  private @Nullable SaltedSession kept;
  private long keptGeneration;

  /**
   * Makes the key operations on a connection and makes sure the SRK exists (derives or loads it now).
   *
   * @param connection the TPM connection
   * @throws NgcException if the SRK cannot be created or loaded
   */
  public TpmKeys(TpmConnection connection) throws NgcException {
    this.connection = connection;
    this.settings = connection.settings();
    connection.call("preparing the storage root key", t -> {
      srk(t);
      return true;
    });
  }

  /** The result of a command whose authorisation may be refused. */
  private static final class Outcome<T> {
    private final @Nullable T value;
    private final int refusal;

    private Outcome(@Nullable T value, int refusal) {
      this.value = value;
      this.refusal = refusal;
    }

    static <T> Outcome<T> ok(T value) {
      return new Outcome<>(value, 0);
    }

    static <T> Outcome<T> refused(int rc) {
      return new Outcome<>(null, rc);
    }

    T get() throws AuthFailure {
      T v = value;
      if (v == null) {
        throw new AuthFailure(refusal);
      }
      return v;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Storage root key
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Returns the name of the storage root key this provider's blobs are bound to.
   *
   * @return a copy of the SRK's name
   * @throws NgcException if the SRK cannot be prepared
   */
  public byte[] srkName() throws NgcException {
    return connection.call("reading the storage root key's name", t -> {
      srk(t);
      byte[] n = srkName;
      if (n == null) {
        throw new IllegalStateException("no SRK name");
      }
      return n.clone();
    });
  }

  /** The SRK handle for the current connection generation; created or loaded on first use after a (re)connect. */
  private TPM_HANDLE srk(Tpm t) throws NgcException {
    TPM_HANDLE h = srk;
    long generation = connection.generation();
    if (h != null && srkGeneration == generation) {
      return h;
    }
    byte[][] publicArea = new byte[1][];
    h = settings.persistSrk() ? persistentSrk(t, publicArea) : derivedSrk(t, publicArea);
    h.AuthValue = new byte[0];
    LoadedObject object;
    try {
      object = LoadedObject.of(h.handle, publicArea[0]);
    } catch (IllegalArgumentException e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The storage root key's public area is not usable as a session salt key: " + e.getMessage(),
          "check the TPM's health; with ngc4j.tpm." + TpmSettings.KEY_SRK + "=persist, check that the key at 0x"
              + Integer.toHexString(settings.srkHandle()) + " is an RSA storage key",
          e);
    }
    byte[] reportedName = srkName;
    if (reportedName == null || !MessageDigest.isEqual(object.name(), reportedName)) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM reported a storage root key name that does not match its public area",
          "do not trust this TPM connection: check for software or hardware between the SDK and the TPM", null);
    }
    srk = h;
    srkObject = object;
    srkGeneration = generation;
    return h;
  }

  /** The SRK as the salt key and parent of the salted sessions' commands, for the current connection generation. */
  private LoadedObject srkObject(Tpm t) throws NgcException {
    srk(t);
    LoadedObject o = srkObject;
    if (o == null) {
      throw new IllegalStateException("no SRK object");
    }
    return o;
  }

  private TPM_HANDLE derivedSrk(Tpm t, byte[][] publicArea) throws NgcException {
    CreatePrimaryResponse r = t._allowErrors().CreatePrimary(
        TPM_HANDLE.from(TPM_RH.OWNER), new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), srkTemplate(),
        new byte[0], new TPMS_PCR_SELECTION[0]);
    int rc = connection.lastResponseCode();
    if (rc != TpmRc.SUCCESS) {
      throw srkFailure("TPM2_CreatePrimary of the storage root key", rc);
    }
    srkName = r.name.clone();
    publicArea[0] = r.outPublic.toBytes();
    log.debug("derived the storage root key (transient handle {})", Integer.toHexString(r.handle.handle));
    return r.handle;
  }

  private TPM_HANDLE persistentSrk(Tpm t, byte[][] publicArea) throws NgcException {
    TPM_HANDLE persistent = TPM_HANDLE.from(settings.srkHandle());
    ReadPublicResponse existing = t._allowErrors().ReadPublic(persistent);
    int rc = connection.lastResponseCode();
    if (rc != TpmRc.SUCCESS) {
      TPM_HANDLE transientSrk = derivedSrk(t, publicArea);
      try {
        t._allowErrors().EvictControl(TPM_HANDLE.from(TPM_RH.OWNER), transientSrk, persistent);
        int evict = connection.lastResponseCode();
        if (evict != TpmRc.SUCCESS) {
          throw srkFailure("TPM2_EvictControl of the storage root key to 0x"
              + Integer.toHexString(settings.srkHandle()), evict);
        }
        log.info("created the storage root key at persistent handle 0x{}", Integer.toHexString(settings.srkHandle()));
      } finally {
        flush(t, transientSrk);
      }
      existing = t._allowErrors().ReadPublic(persistent);
      rc = connection.lastResponseCode();
      if (rc != TpmRc.SUCCESS) {
        throw srkFailure("TPM2_ReadPublic of the persisted storage root key", rc);
      }
    }
    int attributes = existing.outPublic.objectAttributes.toInt();
    int storage = TPMA_OBJECT.restricted.toInt() | TPMA_OBJECT.decrypt.toInt() | TPMA_OBJECT.fixedTPM.toInt();
    if ((attributes & storage) != storage) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "The object at persistent handle 0x" + Integer.toHexString(settings.srkHandle())
              + " is not a storage key (attributes 0x" + Integer.toHexString(attributes) + ")",
          "set ngc4j.tpm." + TpmSettings.KEY_SRK_HANDLE + " to the handle of the owner's storage root key, or "
              + "free that handle",
          null);
    }
    srkName = existing.name.clone();
    publicArea[0] = existing.outPublic.toBytes();
    return persistent;
  }

  private NgcException srkFailure(String what, int rc) {
    String remedy = TpmRc.isWrongAuth(rc)
        ? "the owner hierarchy has an authorisation value set; provision an SRK at 0x81000001 with the OS's TPM tools "
            + "and set ngc4j.tpm." + TpmSettings.KEY_SRK + "=persist"
        : TpmConnection.remedy(settings);
    return new ProviderUnavailableException(
        ErrorCode.PROVIDER_UNAVAILABLE, what + " failed with TPM response code " + TpmRc.hex(rc), remedy, null);
  }

  static TPMT_PUBLIC srkTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.restricted, TPMA_OBJECT.decrypt),
        new byte[0],
        new TPMS_RSA_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, 128, TPM_ALG_ID.CFB), new TPMS_NULL_ASYM_SCHEME(),
            RSA_BITS, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  static TPMT_PUBLIC userKeyTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth),
        new byte[0],
        new TPMS_RSA_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), new TPMS_NULL_ASYM_SCHEME(),
            RSA_BITS, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  static TPMT_PUBLIC sealedTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.userWithAuth),
        new byte[0],
        new TPMS_KEYEDHASH_PARMS(new TPMS_NULL_SCHEME_KEYEDHASH()),
        new TPM2B_DIGEST_KEYEDHASH());
  }

  /**
   * Flushes the kept salted session and the derived SRK from the TPM (a persistent SRK stays). Used when the
   * session closes. If the connection is busy, nothing is sent (the next client's connect flushes what is left) but
   * the session key is still zeroed.
   *
   * @throws NgcException if the TPM cannot be reached
   */
  void release() throws NgcException {
    boolean ran = connection.callIfFree("flushing the salted session and the storage root key", t -> {
      dropSession(true);
      TPM_HANDLE h = srk;
      if (h != null && srkGeneration == connection.generation() && !settings.persistSrk()) {
        flush(t, h);
      }
      srk = null;
      srkObject = null;
      return true;
    }, Duration.ofMillis(200));
    if (!ran) {
      SaltedSession s = kept;
      if (s != null) {
        s.forget();
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The kept salted session
  // -------------------------------------------------------------------------------------------------------------

  /** One command in a salted session. */
  @FunctionalInterface
  interface SecureCommand<T> {
    /**
     * Runs the command.
     *
     * @param session the kept session
     * @return the command's result
     * @throws NgcException as the session's commands
     */
    T run(SaltedSession session) throws NgcException;
  }

  /**
   * Runs one command in this connection's kept salted session, starting the session first if there is none (or it
   * belongs to an earlier connection, or a failure made it unusable). Call inside {@link TpmConnection#call}: the
   * session's commands, StartAuthSession and FlushContext included, are sent under the connection's lock.
   *
   * <p>If the TPM answers TPM_RC_REFERENCE_S0 (it no longer holds the session: the command did not run), the command
   * runs once more in a new session. A response that fails its HMAC check becomes a
   * {@link ProviderUnavailableException} (so a container's attempt stays counted: the TPM did see the value) and
   * drops the session, as does a transport failure.
   *
   * @param t the connected TPM (for the SRK)
   * @param command one command of the session
   * @param <T> its result
   * @return the command's result
   * @throws TpmCommandException if the TPM refuses the command (a wrong authValue included)
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the TPM cannot be reached or its answer is not trustworthy
   */
  <T> T secure(Tpm t, SecureCommand<T> command) throws NgcException {
    boolean restarted = false;
    while (true) {
      SaltedSession session = session(t);
      try {
        return command.run(session);
      } catch (TpmCommandException e) {
        if (!restarted && TpmResponseCodes.isSessionNotLoaded(e.responseCode())) {
          log.debug("the TPM no longer holds salted session 0x{} ({}); starting a new one",
              Integer.toHexString(session.handle()), TpmResponseCodes.describe(e.responseCode()));
          dropSession(false);
          restarted = true;
          continue;
        }
        throw e;
      } catch (TpmIntegrityException e) {
        dropSession(true);
        throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE, e.detail(), e.remedy(), e);
      } catch (NgcException e) {
        dropSession(true);
        throw TpmConnection.unwrap(e);
      }
    }
  }

  /** The kept session for the current connection generation; starts one if needed. */
  private SaltedSession session(Tpm t) throws NgcException {
    long generation = connection.generation();
    SaltedSession s = kept;
    if (s != null && keptGeneration == generation && s.isUsable()) {
      return s;
    }
    dropSession(true);
    LoadedObject saltKey = srkObject(t);
    SaltedSession started;
    try {
      started = SaltedSession.start(connection.raw(), saltKey, random);
    } catch (TpmIntegrityException e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE, e.detail(), e.remedy(), e);
    } catch (TpmCommandException e) {
      throw e;
    } catch (NgcException e) {
      throw TpmConnection.unwrap(e);
    }
    kept = started;
    keptGeneration = generation;
    log.debug("started the connection's salted session 0x{}", Integer.toHexString(started.handle()));
    return started;
  }

  /**
   * Ends the kept session: flushed from the TPM if {@code flush} and it belongs to the current connection,
   * otherwise only forgotten (its key zeroed).
   */
  private void dropSession(boolean flush) {
    SaltedSession s = kept;
    kept = null;
    if (s == null) {
      return;
    }
    if (flush && keptGeneration == connection.generation()) {
      s.close();
    } else {
      s.forget();
    }
  }

  /** A refused authorisation becomes an {@link Outcome} for {@link AuthFailure}; any other refusal a failure. */
  private <T> Outcome<T> refusedOrFail(TpmCommandException e) throws NgcException {
    if (TpmRc.isWrongAuth(e.responseCode()) || TpmRc.isLockout(e.responseCode())) {
      return Outcome.refused(e.responseCode());
    }
    throw failure(e.command(), e.responseCode());
  }

  /** A TPM refusal of a command that carries no user authorisation (Create under the SRK): a failure. */
  private NgcException failure(TpmCommandException e) {
    return failure(e.command(), e.responseCode());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Creating objects
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Creates an RSA-2048 user key under the SRK (TPM2_Create: the private key is generated inside the TPM and
   * never leaves it in clear). Takes 0.05-0.5 s on swtpm, seconds on hardware; holds the connection meanwhile.
   *
   * @param auth the key's authValue ({@value AuthValues#LENGTH} bytes); read, not zeroed
   * @return the key's blobs
   * @throws NgcException if the TPM fails
   */
  KeyBlob createSigningKey(byte[] auth) throws NgcException {
    return create("creating an RSA-2048 key", auth, new byte[0], userKeyTemplate());
  }

  /**
   * Creates a sealed data object under the SRK holding {@code data}, opened by {@code auth}.
   *
   * @param auth the object's authValue; read, not zeroed
   * @param data at most {@value #MAX_SEALED_DATA} bytes; read, not zeroed
   * @return the object's blobs
   * @throws NgcException if the TPM fails
   */
  KeyBlob seal(byte[] auth, byte[] data) throws NgcException {
    if (data.length == 0 || data.length > MAX_SEALED_DATA) {
      throw new IllegalArgumentException("sealed data must be 1 to " + MAX_SEALED_DATA + " bytes");
    }
    return create("sealing a protector secret", auth, data, sealedTemplate());
  }

  /**
   * TPM2_Create under the SRK in the kept salted session: {@code inSensitive} (the authValue and the data) travels
   * encrypted.
   *
   * @param what what is created, for messages
   * @param auth the new object's authValue; read, not zeroed
   * @param data its sensitive data, or empty for a key the TPM generates; read, not zeroed
   * @param template its public template
   * @return the new object's blobs
   * @throws NgcException if the TPM fails
   */
  KeyBlob create(String what, byte[] auth, byte[] data, TPMT_PUBLIC template) throws NgcException {
    return connection.call(what, t -> {
      LoadedObject parent = srkObject(t);
      CreatedObject created;
      try {
        created = secure(t, session -> session.create(parent, new byte[0], auth, data, template));
      } catch (TpmCommandException e) {
        throw failure(e);
      }
      byte[] privateArea = created.privateArea();
      try {
        return new KeyBlob(created.publicArea(), privateArea);
      } finally {
        Arrays.fill(privateArea, (byte) 0);
        created.destroy();
      }
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Using objects: load, one command, flush
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Signs a SHA-256 digest with a user key: Load, TPM2_Sign (RSASSA or RSAPSS with SHA-256, null ticket),
   * FlushContext. This is the one place that sends TPM2_Sign.
   *
   * @param key the key's blobs
   * @param auth the key's authValue; read, not zeroed
   * @param digest the 32-byte SHA-256 digest of the message
   * @param algorithm the scheme
   * @return the 256-byte signature
   * @throws AuthFailure if the TPM refuses the authValue or is in dictionary-attack lockout
   * @throws NgcException if the blob does not load or the TPM fails
   */
  byte[] sign(KeyBlob key, byte[] auth, byte[] digest, SignatureAlgorithm algorithm)
      throws NgcException, AuthFailure {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
    }
    SaltedSession.SigningScheme scheme = algorithm == SignatureAlgorithm.RSA_PSS_SHA256
        ? SaltedSession.SigningScheme.RSAPSS_SHA256
        : SaltedSession.SigningScheme.RSASSA_SHA256;
    Outcome<byte[]> outcome = connection.call("signing with a TPM key", t -> {
      TPM_HANDLE h = load(t, key);
      try {
        LoadedObject object = LoadedObject.of(h.handle, key.publicArea());
        TPMT_SIGNATURE s;
        try {
          s = secure(t, session -> session.sign(object, auth, digest, scheme));
        } catch (TpmCommandException e) {
          return refusedOrFail(e);
        }
        return Outcome.ok(rsaSignature(s));
      } finally {
        flush(t, h);
      }
    });
    return outcome.get();
  }

  /**
   * Gives an object a new authValue: Load, TPM2_ObjectChangeAuth (authorised with the old value), FlushContext.
   * The TPM returns a new private blob for the same object; the old blob keeps working with the old value, so the
   * caller must destroy it. This is the one place that sends TPM2_ObjectChangeAuth.
   *
   * @param blob the object's current blobs
   * @param oldAuth the current authValue; read, not zeroed
   * @param newAuth the new authValue; read, not zeroed
   * @return the new private area (the public area is unchanged)
   * @throws AuthFailure if the TPM refuses the old value or is in lockout
   * @throws NgcException if the blob does not load or the TPM fails
   */
  byte[] changeAuth(KeyBlob blob, byte[] oldAuth, byte[] newAuth) throws NgcException, AuthFailure {
    Outcome<byte[]> outcome = connection.call("changing an authorisation value", t -> {
      TPM_HANDLE h = load(t, blob);
      try {
        LoadedObject object = LoadedObject.of(h.handle, blob.publicArea());
        LoadedObject parent = srkObject(t);
        TPM2B_PRIVATE p;
        try {
          p = secure(t, session -> session.objectChangeAuth(object, oldAuth, parent, newAuth));
        } catch (TpmCommandException e) {
          return refusedOrFail(e);
        }
        byte[] out = p.buffer.clone();
        Arrays.fill(p.buffer, (byte) 0);
        return Outcome.ok(out);
      } finally {
        flush(t, h);
      }
    });
    return outcome.get();
  }

  /**
   * Checks an authValue without using the key: a TPM2_ObjectChangeAuth to the same value, whose result is
   * discarded. A wrong value counts with the TPM like any failed authorisation.
   *
   * @param blob the object
   * @param auth the value to check; read, not zeroed
   * @throws AuthFailure if the TPM refuses it
   * @throws NgcException if the blob does not load or the TPM fails
   */
  void verifyAuth(KeyBlob blob, byte[] auth) throws NgcException, AuthFailure {
    byte[] discarded = changeAuth(blob, auth, auth);
    Arrays.fill(discarded, (byte) 0);
  }

  /**
   * Reads the data of a sealed object: Load, TPM2_Unseal, FlushContext.
   *
   * @param sealed the object
   * @param auth its authValue; read, not zeroed
   * @return the data; the caller zeroes it
   * @throws AuthFailure if the TPM refuses the value or is in lockout
   * @throws NgcException if the blob does not load or the TPM fails
   */
  byte[] unseal(KeyBlob sealed, byte[] auth) throws NgcException, AuthFailure {
    Outcome<byte[]> outcome = connection.call("unsealing a protector secret", t -> {
      TPM_HANDLE h = load(t, sealed);
      try {
        LoadedObject object = LoadedObject.of(h.handle, sealed.publicArea());
        try {
          return Outcome.ok(secure(t, session -> session.unseal(object, auth)));
        } catch (TpmCommandException e) {
          return refusedOrFail(e);
        }
      } finally {
        flush(t, h);
      }
    });
    return outcome.get();
  }

  /**
   * Decrypts with an RSA decryption key whose authValue is empty (the transport key): Load, TPM2_RSA_Decrypt with
   * OAEP in the kept salted session (the message comes back encrypted), FlushContext.
   *
   * @param key the key's blobs
   * @param cipherText the ciphertext
   * @param oaepHash {@link SaltedSession#ALG_SHA1} or {@link SaltedSession#ALG_SHA256}
   * @return the message, which the caller zeroes; {@code null} if the TPM refused the ciphertext (wrong padding,
   *     label or length: TPM2_RSA_Decrypt answered an error that is neither a warning nor a wrong authorisation)
   * @throws NgcException if the blob does not load or the TPM fails otherwise
   */
  byte @Nullable [] rsaDecrypt(KeyBlob key, byte[] cipherText, int oaepHash) throws NgcException {
    return connection.call("decrypting with a TPM key", t -> {
      TPM_HANDLE h = load(t, key);
      try {
        LoadedObject object = LoadedObject.of(h.handle, key.publicArea());
        try {
          return Optional.of(secure(t, session -> session.rsaDecrypt(object, new byte[0], cipherText, oaepHash)));
        } catch (TpmCommandException e) {
          // An error about the ciphertext (TPM_RC_VALUE for a padding that does not decode on hardware TPMs, and
          // TPM_RC_FAILURE on libtpms 0.9, which stays operational; TPM_RC_SIZE...) is the envelope's fault; a
          // warning (no memory, retry, lockout) or a wrong authValue is not.
          if (e.command().equals("TPM2_RSA_Decrypt") && !TpmResponseCodes.isWarning(e.responseCode())
              && !TpmRc.isWrongAuth(e.responseCode())) {
            return Optional.<byte[]>empty();
          }
          throw failure(e);
        }
      } finally {
        flush(t, h);
      }
    }).orElse(null);
  }

  /**
   * Computes HMAC-SHA256 with a keyed-hash key inside the TPM: Load, TPM2_HMAC in the kept salted session (the
   * HMAC comes back encrypted), FlushContext.
   *
   * @param key the keyed-hash object's blobs
   * @param auth its authValue; read, not zeroed
   * @param data at most {@link SaltedSession#MAX_HMAC_DATA} bytes
   * @return the 32-byte HMAC, which the caller zeroes
   * @throws NgcException if the blob does not load or the TPM fails
   */
  byte[] hmac(KeyBlob key, byte[] auth, byte[] data) throws NgcException {
    return connection.call("computing an HMAC with a TPM key", t -> {
      TPM_HANDLE h = load(t, key);
      try {
        LoadedObject object = LoadedObject.of(h.handle, key.publicArea());
        try {
          return secure(t, session -> session.hmac(object, auth, data));
        } catch (TpmCommandException e) {
          throw failure(e);
        }
      } finally {
        flush(t, h);
      }
    });
  }

  /** The 256 bytes of an RSA-2048 signature (RSASSA or RSAPSS), or a failure for anything else. */
  static byte[] rsaSignature(TPMT_SIGNATURE s) throws ProviderUnavailableException {
    if (!(s.signature instanceof TPMS_SIGNATURE_RSA rsa) || rsa.sig == null || rsa.sig.length != SIGNATURE_LENGTH) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE, "TPM2_Sign returned no RSA-2048 signature",
          "check the TPM's health; this is unexpected", null);
    }
    return rsa.sig.clone();
  }

  /**
   * Loads a blob under the SRK (TPM2_Load through TSS.Java: the blob carries no secret in clear, and the SRK's
   * authValue is empty). The caller flushes the handle.
   *
   * @param t the connected TPM
   * @param blob the object's blobs
   * @return the transient handle
   * @throws ContainerCorruptedException if the TPM refuses the blob (altered, or made under another SRK)
   * @throws NgcException if the TPM fails
   */
  TPM_HANDLE load(Tpm t, KeyBlob blob) throws NgcException {
    TPMT_PUBLIC pub;
    try {
      pub = TPMT_PUBLIC.fromBytes(blob.publicArea());
    } catch (RuntimeException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "A stored TPM public area does not parse", e);
    }
    TPM_HANDLE h = t._allowErrors().Load(srk(t), new TPM2B_PRIVATE(blob.privateArea()), pub);
    int rc = connection.lastResponseCode();
    if (rc == TpmRc.SUCCESS && h != null) {
      return h;
    }
    if ((rc & 0x080) != 0) {
      // A format-one error about the blobs: altered, truncated, or made under another SRK (TPM cleared or replaced).
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "The TPM refused to load a stored key blob (TPM2_Load response code " + TpmRc.hex(rc) + "): it was altered, "
              + "or made under another storage root key (the TPM was cleared or is another TPM)",
          "delete the credential and provision it again on this device",
          null);
    }
    throw failure("TPM2_Load", rc);
  }

  /**
   * Flushes a transient handle; a failure is only logged.
   *
   * @param t the connected TPM
   * @param h the handle
   */
  void flush(Tpm t, TPM_HANDLE h) {
    t._allowErrors().FlushContext(h);
    int rc = connection.lastResponseCode();
    if (rc != TpmRc.SUCCESS) {
      log.debug("TPM2_FlushContext of {} failed with {}", Integer.toHexString(h.handle), TpmRc.hex(rc));
    }
  }

  private NgcException failure(String command, int rc) {
    String remedy = switch (rc) {
      case TpmRc.OBJECT_MEMORY, TpmRc.SESSION_MEMORY ->
          "the TPM has no free object or session slot: another client without a resource manager holds them; use "
              + "/dev/tpmrm0, or restart the TPM client that leaks handles";
      case TpmRc.TESTING -> "the TPM is running its self test; retry in a moment";
      default -> "check the TPM's health (TPM2_GetTestResult); this response is unexpected";
    };
    return new ProviderUnavailableException(
        ErrorCode.PROVIDER_UNAVAILABLE, command + " failed with TPM response code " + TpmRc.hex(rc), remedy, null);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Dictionary-attack state and diagnostics
  // -------------------------------------------------------------------------------------------------------------

  /**
   * The TPM's dictionary-attack state (TPM_PT_PERMANENT.inLockout, TPM_PT_LOCKOUT_COUNTER, TPM_PT_MAX_AUTH_FAIL,
   * TPM_PT_LOCKOUT_INTERVAL, TPM_PT_LOCKOUT_RECOVERY).
   *
   * @param inLockout whether DA-protected objects are refused now
   * @param failures the failure counter
   * @param maxTries failures that cause lockout
   * @param recoverySeconds seconds for the counter to drop by one
   * @param lockoutRecoverySeconds the lockout authorisation's own back-off
   */
  record DaState(boolean inLockout, int failures, int maxTries, int recoverySeconds, int lockoutRecoverySeconds) {
    /** The longest time until the TPM accepts DA-protected authorisations again; empty if it never does by itself. */
    java.util.Optional<Duration> timeToWait() {
      if (!inLockout) {
        return java.util.Optional.of(Duration.ZERO);
      }
      if (recoverySeconds == 0) {
        return java.util.Optional.empty();
      }
      long steps = Math.max(1L, (long) failures - maxTries + 1);
      return java.util.Optional.of(Duration.ofSeconds(steps * recoverySeconds));
    }
  }

  /**
   * Reads the dictionary-attack state.
   *
   * @return the state
   * @throws NgcException if the TPM cannot be reached
   */
  DaState dictionaryAttackState() throws NgcException {
    return connection.call("reading the dictionary-attack state", t -> {
      GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.TPM_PROPERTIES, PT_PERMANENT, 32);
      int rc = connection.lastResponseCode();
      if (rc != TpmRc.SUCCESS || !(r.capabilityData instanceof TPML_TAGGED_TPM_PROPERTY list)
          || list.tpmProperty == null) {
        throw failure("TPM2_GetCapability(TPM_PROPERTIES)", rc);
      }
      int permanent = 0;
      int counter = 0;
      int max = 0;
      int interval = 0;
      int recovery = 0;
      for (TPMS_TAGGED_PROPERTY p : list.tpmProperty) {
        switch (p.property.toInt()) {
          case PT_PERMANENT -> permanent = p.value;
          case PT_LOCKOUT_COUNTER -> counter = p.value;
          case PT_MAX_AUTH_FAIL -> max = p.value;
          case PT_LOCKOUT_INTERVAL -> interval = p.value;
          case PT_LOCKOUT_RECOVERY -> recovery = p.value;
          default -> {
            // other properties
          }
        }
      }
      return new DaState((permanent & PERMANENT_IN_LOCKOUT) != 0, counter, max, interval, recovery);
    });
  }

  /**
   * Returns the transient object handles loaded in the TPM now (for tests: none of ours survive an operation
   * except the SRK).
   *
   * @return the handles
   * @throws NgcException if the TPM cannot be reached
   */
  int[] loadedTransientHandles() throws NgcException {
    return connection.call("listing transient handles", t -> {
      GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.HANDLES, 0x80000000, 64);
      int rc = connection.lastResponseCode();
      if (rc != TpmRc.SUCCESS || !(r.capabilityData instanceof TPML_HANDLE list) || list.handle == null) {
        throw failure("TPM2_GetCapability(HANDLES)", rc);
      }
      return Arrays.stream(list.handle).mapToInt(h -> h.handle).filter(h -> (h >>> 24) == 0x80).toArray();
    });
  }

  /**
   * Returns the SRK's transient or persistent handle (for tests).
   *
   * @return the handle
   * @throws NgcException if the SRK cannot be prepared
   */
  int srkHandle() throws NgcException {
    return connection.call("reading the SRK handle", t -> srk(t).handle);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Public areas
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Decodes and checks a user key's public area: RSA-2048, SHA-256 name algorithm, exactly the user-key attributes,
   * empty policy, no symmetric algorithm, NULL scheme, exponent 65537.
   *
   * @param publicArea the marshalled TPMT_PUBLIC
   * @return the RSA public key
   * @throws IllegalArgumentException saying which property does not fit
   */
  static RSAPublicKey rsaPublicKey(byte[] publicArea) {
    TPMT_PUBLIC pub;
    try {
      pub = TPMT_PUBLIC.fromBytes(publicArea);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the public area does not parse", e);
    }
    if (pub.nameAlg == null || pub.nameAlg.toInt() != TPM_ALG_SHA256) {
      throw new IllegalArgumentException("the name algorithm is not SHA-256");
    }
    if (pub.objectAttributes == null || pub.objectAttributes.toInt() != USER_KEY_ATTRIBUTES) {
      throw new IllegalArgumentException("the object attributes are not those of an ngc4j user key");
    }
    if (pub.authPolicy != null && pub.authPolicy.length != 0) {
      throw new IllegalArgumentException("the key has an authorisation policy");
    }
    if (!(pub.parameters instanceof TPMS_RSA_PARMS rsa) || !(pub.unique instanceof TPM2B_PUBLIC_KEY_RSA modulus)) {
      throw new IllegalArgumentException("the key is not an RSA key");
    }
    if (rsa.keyBits != RSA_BITS || modulus.buffer == null || modulus.buffer.length != RSA_BITS / 8) {
      throw new IllegalArgumentException("the key is not RSA-2048");
    }
    if (rsa.symmetric != null && rsa.symmetric.algorithm != null && rsa.symmetric.algorithm.toInt() != 0x0010) {
      throw new IllegalArgumentException("the key has a symmetric algorithm");
    }
    if (rsa.schemeScheme() != null && rsa.schemeScheme().toInt() != 0x0010) {
      throw new IllegalArgumentException("the key's scheme is not TPM_ALG_NULL");
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

  @Override
  public String toString() {
    return "TpmKeys[" + settings.device() + (settings.persistSrk() ? ", persistent SRK]" : ", derived SRK]");
  }
}
