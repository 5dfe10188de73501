package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_APPLICATION;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_MODULUS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_PUBLIC_EXPONENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_RSA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_RSA_PKCS_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_DATA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The objects the provider keeps on a token, and how it makes and finds them.
 *
 * <ul>
 *   <li>Key pairs: RSA-2048 made on the token with CKM_RSA_PKCS_KEY_PAIR_GEN as token objects with every attribute
 *       set explicitly (never the token's defaults). Private: CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, not
 *       CKA_EXTRACTABLE, CKA_SIGN only (no decrypt, unwrap, derive). Public: CKA_TOKEN, not CKA_PRIVATE (readable
 *       without the PIN), CKA_VERIFY only. Both share a random 20-byte CKA_ID and a label: {@value #POOL_LABEL} for
 *       a pool entry, {@value #KEY_LABEL_PREFIX}{@code <container id>} once bound.
 *   <li>Container records: a CKO_DATA token object, not CKA_PRIVATE, CKA_APPLICATION {@value #APPLICATION}, label
 *       {@value #RECORD_LABEL_PREFIX}{@code <container id>}, value a {@link ContainerRecord}.
 * </ul>
 *
 * <p>Thread safety: stateless and safe for concurrent use; sessions are the caller's.
 */
public final class TokenObjects {
  /** CKA_APPLICATION of every data object of the provider. */
  public static final String APPLICATION = "ngc4j";
  /** CKA_LABEL of both halves of an unclaimed pool entry. */
  public static final String POOL_LABEL = "ngc4j-pool";
  /** CKA_LABEL prefix of both halves of a bound key. */
  public static final String KEY_LABEL_PREFIX = "ngc4j:";
  /** CKA_LABEL prefix of a container record. */
  public static final String RECORD_LABEL_PREFIX = "ngc4j-container:";
  /** CKA_LABEL of both halves of the device key. */
  public static final String DEVICE_KEY_LABEL = "ngc4j-device-key";
  /** CKA_LABEL of both halves of the transport key. */
  public static final String TRANSPORT_KEY_LABEL = "ngc4j-transport-key";
  /** Bytes of a CKA_ID the provider makes. */
  public static final int ID_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger F4 = BigInteger.valueOf(65537);

  private TokenObjects() {}

  /**
   * Generates an RSA-2048 key pair on the token (needs the login).
   *
   * @param s a logged-in session
   * @param label both halves' CKA_LABEL
   * @return the new pair's CKA_ID
   * @throws TokenException if the token refuses
   */
  public static byte[] generate(Session s, String label) throws TokenException {
    byte[] id = new byte[ID_BYTES];
    RANDOM.nextBytes(id);
    AttributeVector pub = AttributeVector.newRSAPublicKey().token(true).private_(false).verify(true).encrypt(false)
        .wrap(false).verifyRecover(false).derive(false).modulusBits(2048).publicExponent(F4).id(id).label(label);
    AttributeVector priv = AttributeVector.newRSAPrivateKey().token(true).private_(true).sensitive(true)
        .extractable(false).sign(true).signRecover(false).decrypt(false).unwrap(false).derive(false).id(id)
        .label(label);
    PKCS11KeyPair pair = s.generateKeyPair(new Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN), new KeyPairTemplate(priv, pub));
    if (pair.getPublicKey() == 0 || pair.getPrivateKey() == 0) {
      throw new TokenException("the token returned no key handles");
    }
    return id;
  }

  /**
   * Finds the public key with a CKA_ID.
   *
   * @param s a session
   * @param id the CKA_ID
   * @return its handle, if exactly one exists
   * @throws TokenException if the token refuses
   */
  public static Optional<Long> publicKey(Session s, byte[] id) throws TokenException {
    long[] found = s.findObjectsSingle(new AttributeVector().class_(CKO_PUBLIC_KEY).id(id), 2);
    return found.length == 1 ? Optional.of(found[0]) : Optional.empty();
  }

  /**
   * Reads an RSA public key object.
   *
   * @param s a session
   * @param handle the public key's handle
   * @return the key
   * @throws TokenException if the token refuses
   * @throws IllegalArgumentException if it is not a readable RSA key
   */
  public static RSAPublicKey readRsaPublic(Session s, long handle) throws TokenException {
    AttributeVector a = s.getAttrValues(handle, CKA_KEY_TYPE, CKA_MODULUS, CKA_PUBLIC_EXPONENT);
    Long type = a.keyType();
    BigInteger n = a.modulus();
    BigInteger e = a.publicExponent();
    if (type == null || type != CKK_RSA || n == null || e == null) {
      throw new IllegalArgumentException("not a readable RSA public key");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException("not a valid RSA public key", ex);
    }
  }

  /**
   * Lists the CKA_IDs of public keys with a label (readable without the PIN).
   *
   * @param s a session
   * @param label the label
   * @return the CKA_IDs
   * @throws TokenException if the token refuses
   */
  public static List<byte[]> publicKeyIds(Session s, String label) throws TokenException {
    List<byte[]> ids = new ArrayList<>();
    for (long h : s.findAllObjectsSingle(new AttributeVector().class_(CKO_PUBLIC_KEY).label(label))) {
      byte[] id = s.getAttrValues(h, CKA_ID).id();
      if (id != null && id.length > 0) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Sets the label of both halves of a key pair (the private half needs the login).
   *
   * @param s a session
   * @param privateHandle the private key
   * @param id the CKA_ID (the public half is found by it)
   * @param label the new label
   * @throws TokenException if the token refuses
   */
  public static void relabel(Session s, long privateHandle, byte[] id, String label) throws TokenException {
    s.setAttributeValues(privateHandle, new AttributeVector().label(label));
    Optional<Long> pub = publicKey(s, id);
    if (pub.isPresent()) {
      s.setAttributeValues(pub.get(), new AttributeVector().label(label));
    }
  }

  /**
   * Lists the private keys (needs the login): handle, CKA_ID and label.
   *
   * @param s a logged-in session
   * @return the keys
   * @throws TokenException if the token refuses
   */
  public static List<KeyInfo> privateKeys(Session s) throws TokenException {
    List<KeyInfo> out = new ArrayList<>();
    for (long h : s.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY))) {
      AttributeVector a = s.getAttrValues(h, CKA_ID, CKA_LABEL);
      byte[] id = a.id();
      out.add(new KeyInfo(h, id == null ? new byte[0] : id, Optional.ofNullable(a.label()).orElse("")));
    }
    return out;
  }

  /** A private key's handle, CKA_ID and label. */
  public static final class KeyInfo {
    private final long handle;
    private final byte[] id;
    private final String label;

    KeyInfo(long handle, byte[] id, String label) {
      this.handle = handle;
      this.id = id.clone();
      this.label = label;
    }

    /**
     * Returns the handle.
     *
     * @return the object handle
     */
    public long handle() {
      return handle;
    }

    /**
     * Returns the CKA_ID.
     *
     * @return a copy
     */
    public byte[] id() {
      return id.clone();
    }

    /**
     * Returns the label.
     *
     * @return the label, or empty
     */
    public String label() {
      return label;
    }
  }

  /**
   * Finds a key pair to adopt: by CKA_ID or by label (needs the login), and checks it.
   *
   * @param s a logged-in session
   * @param id the CKA_ID, or {@code null}
   * @param label the label, or {@code null}
   * @param token the token in messages
   * @return the private key's handle and CKA_ID
   * @throws TokenException if the token refuses
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if there is no single match; {@code UNSUPPORTED} naming the
   *     check a key fails
   */
  public static KeyInfo findForAdoption(Session s, byte @Nullable [] id, @Nullable String label, String token)
      throws TokenException, NgcException {
    AttributeVector template = new AttributeVector().class_(CKO_PRIVATE_KEY);
    if (id != null) {
      template.id(id);
    }
    if (label != null) {
      template.label(label);
    }
    long[] found = s.findObjectsSingle(template, 2);
    String what = id != null ? "CKA_ID " + hex(id) : "label '" + label + "'";
    if (found.length != 1) {
      throw new NgcException(ErrorCode.CONTAINER_NOT_FOUND,
          "Token " + token + " has " + (found.length == 0 ? "no" : "more than one") + " private key with " + what,
          "name exactly one key pair (pkcs11-tool --list-objects --login shows them)", null);
    }
    long h = found[0];
    AttributeVector a = s.getAttrValues(h, CKA_KEY_TYPE, CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_SIGN, CKA_ID,
        CKA_MODULUS, CKA_LABEL);
    String foundLabel = a.label();
    if (foundLabel != null && reservedLabel(foundLabel)) {
      throw reservedForAdoption(what + " (labelled '" + foundLabel + "')", token);
    }
    List<String> problems = new ArrayList<>();
    Long type = a.keyType();
    if (type == null || type != CKK_RSA) {
      problems.add("it is not an RSA key");
    }
    BigInteger n = a.modulus();
    if (n != null && n.bitLength() != 2048) {
      problems.add("its modulus has " + n.bitLength() + " bits, not 2048");
    }
    if (!Boolean.TRUE.equals(a.sensitive())) {
      problems.add("CKA_SENSITIVE is not true");
    }
    if (!Boolean.FALSE.equals(a.extractable())) {
      problems.add("CKA_EXTRACTABLE is not false");
    }
    if (!Boolean.TRUE.equals(a.sign())) {
      problems.add("CKA_SIGN is not true");
    }
    byte[] keyId = a.id();
    if (keyId == null || keyId.length == 0) {
      problems.add("it has no CKA_ID");
      keyId = new byte[0];
    } else if (publicKey(s, keyId).isEmpty()) {
      problems.add("there is no public key object with its CKA_ID");
    } else if (n != null && !readRsaPublic(s, publicKey(s, keyId).get()).getModulus().equals(n)) {
      problems.add("the public key object with its CKA_ID has another modulus");
    }
    if (!problems.isEmpty()) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "The key with " + what + " on token " + token + " cannot be adopted: " + String.join("; ", problems),
          "generate an RSA-2048 key pair that is sensitive, not extractable and allowed to sign, with a public key"
              + " object of the same CKA_ID (or let ngc4j generate the key)", null);
    }
    return new KeyInfo(h, keyId, "");
  }

  /**
   * Returns whether the provider owns objects with this label: the device and transport keys, pool entries, bound
   * keys ({@value #KEY_LABEL_PREFIX}...) and container records ({@value #RECORD_LABEL_PREFIX}...).
   *
   * @param label a CKA_LABEL
   * @return true if a key with it must not be adopted
   */
  public static boolean reservedLabel(String label) {
    return label.equals(DEVICE_KEY_LABEL) || label.equals(TRANSPORT_KEY_LABEL) || label.equals(POOL_LABEL)
        || label.startsWith(KEY_LABEL_PREFIX) || label.startsWith(RECORD_LABEL_PREFIX);
  }

  /**
   * The refusal to adopt a key the provider owns.
   *
   * @param what the key, for example {@code label 'ngc4j-device-key'}
   * @param token the token in words
   * @return the error, {@code UNSUPPORTED}
   */
  public static NgcException reservedForAdoption(String what, String token) {
    return new NgcException(ErrorCode.UNSUPPORTED,
        "The key with " + what + " on token " + token + " belongs to ngc4j (its device or transport key, a pool "
            + "entry or a container's key) and cannot be adopted",
        "adopt a key pair with a label of your own (not '" + DEVICE_KEY_LABEL + "', '" + TRANSPORT_KEY_LABEL + "', '"
            + POOL_LABEL + "', '" + KEY_LABEL_PREFIX + "...' or '" + RECORD_LABEL_PREFIX + "...')", null);
  }

  // -----------------------------------------------------------------------------------------------------------
  // Container records
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Returns the label of a container's record.
   *
   * @param id the container
   * @return {@code ngc4j-container:<id>}
   */
  public static String recordLabel(ContainerId id) {
    return RECORD_LABEL_PREFIX + id.value();
  }

  /**
   * Finds the record objects of a container (readable without the PIN).
   *
   * @param s a session
   * @param id the container
   * @return the handles (normally zero or one)
   * @throws TokenException if the token refuses
   */
  public static long[] records(Session s, ContainerId id) throws TokenException {
    return s.findAllObjectsSingle(new AttributeVector().class_(CKO_DATA).application(APPLICATION)
        .label(recordLabel(id)));
  }

  /**
   * Creates a container's record object: the commit point of a creation.
   *
   * @param s a session
   * @param id the container
   * @param value the encoded record
   * @return the handle
   * @throws TokenException if the token refuses
   */
  public static long createRecord(Session s, ContainerId id, byte[] value) throws TokenException {
    return s.createObject(new AttributeVector().class_(CKO_DATA).token(true).private_(false).modifiable(true)
        .application(APPLICATION).label(recordLabel(id)).value(value));
  }

  /**
   * Reads a record object's value.
   *
   * @param s a session
   * @param handle the object
   * @return the value (empty if it has none)
   * @throws TokenException if the token refuses
   */
  public static byte[] value(Session s, long handle) throws TokenException {
    byte[] v = s.getAttrValues(handle, CKA_VALUE).value();
    return v == null ? new byte[0] : v;
  }

  /**
   * Lists the container ids that have a record object.
   *
   * @param s a session
   * @return the ids, unsorted, possibly repeated
   * @throws TokenException if the token refuses
   */
  public static List<ContainerId> recordIds(Session s) throws TokenException {
    List<ContainerId> ids = new ArrayList<>();
    for (long h : s.findAllObjectsSingle(new AttributeVector().class_(CKO_DATA).application(APPLICATION))) {
      String label = s.getAttrValues(h, CKA_LABEL).label();
      if (label != null && label.startsWith(RECORD_LABEL_PREFIX)) {
        try {
          ids.add(ContainerId.of(label.substring(RECORD_LABEL_PREFIX.length())));
        } catch (IllegalArgumentException e) {
          // not a container id: not ours
        }
      }
    }
    return ids;
  }

  /**
   * Hex of bytes, for messages.
   *
   * @param b the bytes
   * @return lower-case hex
   */
  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /**
   * Reads the label attribute of an object.
   *
   * @param s a session
   * @param handle the object
   * @return the label, or empty
   * @throws TokenException if the token refuses
   */
  public static String label(Session s, long handle) throws TokenException {
    return Optional.ofNullable(s.getAttrValues(handle, CKA_LABEL).label()).orElse("");
  }

  /**
   * Returns whether a data object is the provider's (its application attribute), for tests.
   *
   * @param s a session
   * @param handle the object
   * @return true if CKA_APPLICATION is {@value #APPLICATION}
   * @throws TokenException if the token refuses
   */
  static boolean ours(Session s, long handle) throws TokenException {
    return APPLICATION.equals(s.getAttrValues(handle, CKA_APPLICATION).application());
  }
}
