package dev.ngc4j.server.internal.keytrust;

import dev.ngc4j.server.KeyCredentialLinkException;
import dev.ngc4j.server.KeyCredentialLinkException.Reason;
import dev.ngc4j.server.internal.crypto.Jca;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The byte layout of {@code KEYCREDENTIALLINK_BLOB} (MS-ADTS 2.2.20.2, 2.2.20.3, 2.2.20.6): a little-endian uint32
 * version {@code 0x00000200}, then entries sorted by identifier, each a little-endian uint16 value length, a uint8
 * identifier and the value.
 *
 * <p>The decoder is strict, in this order: the version; every entry complete, its identifier known (0x01 to 0x09),
 * in increasing order without repeats, its length the one fixed for it (KeyID and KeyHash 32, KeyUsage and KeySource
 * 1, DeviceId 16, the two FILETIMEs 8, others at least 1); KeyID, KeyMaterial and KeyUsage present; KeyID equal to
 * SHA-256 of the KeyMaterial value; KeyHash (when present) equal to SHA-256 of every byte after the KeyHash entry;
 * then the values: KeyUsage NGC (0x01), FIDO (0x07) or FEK (0x08), KeySource AD (0x00), CustomKeyInformation a
 * version-1 structure of 2 or at least 16 bytes, FILETIMEs below 2^63. Each failure is a
 * {@link KeyCredentialLinkException} with its own reason.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class LinkBlob {
  /** KEY_CREDENTIAL_LINK_VERSION_2. */
  public static final int VERSION_2 = 0x0000_0200;

  /** Entry identifier: SHA-256 of the KeyMaterial value. */
  public static final int KEY_ID = 0x01;
  /** Entry identifier: SHA-256 of all entries after this one. */
  public static final int KEY_HASH = 0x02;
  /** Entry identifier: the key material. */
  public static final int KEY_MATERIAL = 0x03;
  /** Entry identifier: the key usage. */
  public static final int KEY_USAGE = 0x04;
  /** Entry identifier: the key source. */
  public static final int KEY_SOURCE = 0x05;
  /** Entry identifier: the device object id. */
  public static final int DEVICE_ID = 0x06;
  /** Entry identifier: CUSTOM_KEY_INFORMATION. */
  public static final int CUSTOM_KEY_INFORMATION = 0x07;
  /** Entry identifier: KeyApproximateLastLogonTimeStamp, a FILETIME. */
  public static final int LAST_LOGON = 0x08;
  /** Entry identifier: KeyCreationTime, a FILETIME. */
  public static final int CREATION_TIME = 0x09;

  /** KEY_USAGE_NGC. */
  public static final int USAGE_NGC = 0x01;
  /** KEY_USAGE_FIDO. */
  public static final int USAGE_FIDO = 0x07;
  /** KEY_USAGE_FEK. */
  public static final int USAGE_FEK = 0x08;
  /** KEY_SOURCE_AD. */
  public static final int SOURCE_AD = 0x00;

  /** The longest value an entry can hold (its length is a uint16). */
  public static final int MAX_VALUE_BYTES = 0xFFFF;
  /** The short CUSTOM_KEY_INFORMATION (Version, Flags), and the shortest long one (up to the 10 reserved bytes). */
  public static final int CKI_SHORT = 2;
  /** The shortest long CUSTOM_KEY_INFORMATION: Version, Flags, VolType, SupportsNotification, FekKeyVersion,
   * KeyStrength and 10 reserved bytes. */
  public static final int CKI_LONG_MIN = 16;

  private static final int HEADER = 3;
  private static final int VARIABLE = -1;
  /** The fixed value length of each identifier, or {@link #VARIABLE}; index 0 is unused. */
  private static final int[] LENGTH = {0, 32, 32, VARIABLE, 1, 1, 16, VARIABLE, 8, 8};
  private static final String[] NAME = {"", "KeyID", "KeyHash", "KeyMaterial", "KeyUsage", "KeySource", "DeviceId",
      "CustomKeyInformation", "KeyApproximateLastLogonTimeStamp", "KeyCreationTime"};

  private LinkBlob() {}

  /**
   * Returns the name MS-ADTS gives an identifier.
   *
   * @param identifier 1 to 9
   * @return the name, such as {@code KeyMaterial}
   */
  public static String name(int identifier) {
    return NAME[identifier];
  }

  /**
   * Writes a blob: the version, KeyID (computed), KeyHash (computed, if asked for), then the given entries in
   * identifier order.
   *
   * @param entries the values of KeyMaterial (required) and of any of the entries 0x04 to 0x09, by identifier
   * @param withKeyHash whether to write the KeyHash entry
   * @return the blob
   * @throws IllegalArgumentException if KeyMaterial is missing, an identifier is outside 0x03 to 0x09, or a value
   *     has a length that entry cannot have
   */
  public static byte[] encode(Map<Integer, byte[]> entries, boolean withKeyHash) {
    SortedMap<Integer, byte[]> sorted = new TreeMap<>(entries);
    byte[] keyMaterial = sorted.get(KEY_MATERIAL);
    if (keyMaterial == null) {
      throw new IllegalArgumentException("KeyMaterial is required");
    }
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    for (Map.Entry<Integer, byte[]> e : sorted.entrySet()) {
      int id = e.getKey();
      if (id < KEY_MATERIAL || id > CREATION_TIME) {
        throw new IllegalArgumentException("entry 0x" + Integer.toHexString(id) + " cannot be given");
      }
      if (!lengthAllowed(id, e.getValue().length)) {
        throw new IllegalArgumentException(NAME[id] + " cannot have " + e.getValue().length + " bytes");
      }
      writeEntry(tail, id, e.getValue());
    }
    byte[] tailBytes = tail.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 2 * (HEADER + 32) + tailBytes.length);
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(VERSION_2).array());
    writeEntry(out, KEY_ID, Jca.sha256(keyMaterial));
    if (withKeyHash) {
      writeEntry(out, KEY_HASH, Jca.sha256(tailBytes));
    }
    out.writeBytes(tailBytes);
    return out.toByteArray();
  }

  private static void writeEntry(ByteArrayOutputStream out, int id, byte[] value) {
    out.write(value.length & 0xFF);
    out.write(value.length >>> 8);
    out.write(id);
    out.writeBytes(value);
  }

  private static boolean lengthAllowed(int id, int length) {
    int fixed = LENGTH[id];
    return fixed == VARIABLE ? length > 0 && length <= MAX_VALUE_BYTES : length == fixed;
  }

  /**
   * Reads a blob strictly (see the class description for the order of the checks).
   *
   * @param blob the blob; not modified
   * @return copies of the entry values by identifier, in identifier order (KeyID and KeyHash included)
   * @throws KeyCredentialLinkException naming the first rule the blob breaks
   */
  public static SortedMap<Integer, byte[]> decode(byte[] blob) throws KeyCredentialLinkException {
    if (blob.length < 4) {
      throw new KeyCredentialLinkException(Reason.TRUNCATED, "the blob has " + blob.length
          + " bytes, fewer than its 4-byte version");
    }
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int version = in.getInt();
    if (version != VERSION_2) {
      throw new KeyCredentialLinkException(Reason.VERSION, String.format("the version is 0x%08x, not 0x%08x",
          version, VERSION_2));
    }
    SortedMap<Integer, byte[]> values = new TreeMap<>();
    int hashedFrom = -1;
    int last = 0;
    while (in.hasRemaining()) {
      int at = in.position();
      if (in.remaining() < HEADER) {
        throw new KeyCredentialLinkException(Reason.TRUNCATED, "the blob ends inside an entry header at offset " + at);
      }
      int length = Short.toUnsignedInt(in.getShort());
      int id = Byte.toUnsignedInt(in.get());
      if (id < KEY_ID || id > CREATION_TIME) {
        throw new KeyCredentialLinkException(Reason.UNKNOWN_ENTRY, String.format(
            "unknown entry identifier 0x%02x at offset %d", id, at));
      }
      if (id == last) {
        throw new KeyCredentialLinkException(Reason.DUPLICATE, NAME[id] + " appears twice (offset " + at + ")");
      }
      if (id < last) {
        throw new KeyCredentialLinkException(Reason.ORDER, NAME[id] + " at offset " + at + " follows " + NAME[last]);
      }
      if (length > in.remaining()) {
        throw new KeyCredentialLinkException(Reason.TRUNCATED, NAME[id] + " at offset " + at + " declares "
            + length + " bytes, but " + in.remaining() + " remain");
      }
      if (!lengthAllowed(id, length)) {
        throw new KeyCredentialLinkException(Reason.ENTRY_LENGTH, NAME[id] + " has " + length + " bytes; it must have "
            + (LENGTH[id] == VARIABLE ? "at least 1" : String.valueOf(LENGTH[id])));
      }
      byte[] value = new byte[length];
      in.get(value);
      values.put(id, value);
      if (id == KEY_HASH) {
        hashedFrom = in.position();
      }
      last = id;
    }
    for (int required : new int[] {KEY_ID, KEY_MATERIAL, KEY_USAGE}) {
      if (!values.containsKey(required)) {
        throw new KeyCredentialLinkException(Reason.MISSING_ENTRY, "the " + NAME[required] + " entry is missing");
      }
    }
    byte[] keyId = values.get(KEY_ID);
    byte[] keyMaterial = values.get(KEY_MATERIAL);
    if (keyId == null || keyMaterial == null || !MessageDigest.isEqual(keyId, Jca.sha256(keyMaterial))) {
      throw new KeyCredentialLinkException(Reason.KEY_ID, "KeyID is not SHA-256 of the KeyMaterial value");
    }
    byte[] keyHash = values.get(KEY_HASH);
    if (keyHash != null
        && !MessageDigest.isEqual(keyHash, Jca.sha256(Arrays.copyOfRange(blob, hashedFrom, blob.length)))) {
      throw new KeyCredentialLinkException(Reason.KEY_HASH, "KeyHash is not SHA-256 of the entries after it");
    }
    checkValues(values);
    return Collections.unmodifiableSortedMap(values);
  }

  private static void checkValues(SortedMap<Integer, byte[]> values) throws KeyCredentialLinkException {
    byte[] usage = values.get(KEY_USAGE);
    if (usage != null && usage[0] != USAGE_NGC && usage[0] != USAGE_FIDO && usage[0] != USAGE_FEK) {
      throw new KeyCredentialLinkException(Reason.KEY_USAGE, String.format(
          "KeyUsage is 0x%02x, not NGC (0x01), FIDO (0x07) or FEK (0x08)", usage[0]));
    }
    byte[] source = values.get(KEY_SOURCE);
    if (source != null && source[0] != SOURCE_AD) {
      throw new KeyCredentialLinkException(Reason.KEY_SOURCE, String.format(
          "KeySource is 0x%02x, not AD (0x00)", source[0]));
    }
    byte[] cki = values.get(CUSTOM_KEY_INFORMATION);
    if (cki != null) {
      checkCustomKeyInformation(cki);
    }
    for (int id : new int[] {LAST_LOGON, CREATION_TIME}) {
      byte[] time = values.get(id);
      if (time != null && fileTime(time) < 0) {
        throw new KeyCredentialLinkException(Reason.TIMESTAMP, NAME[id] + " is at or above 2^63");
      }
    }
  }

  /**
   * Checks a CUSTOM_KEY_INFORMATION value (MS-ADTS 2.2.20.4): version 1, and either the short form (Version,
   * Flags) or the long form with at least VolType, SupportsNotification, FekKeyVersion, KeyStrength and the 10
   * reserved bytes (extended data may follow).
   *
   * @param cki the value
   * @throws KeyCredentialLinkException ({@link Reason#CUSTOM_KEY_INFORMATION}) otherwise
   */
  public static void checkCustomKeyInformation(byte[] cki) throws KeyCredentialLinkException {
    if (cki.length != CKI_SHORT && (cki.length < CKI_LONG_MIN || cki.length > MAX_VALUE_BYTES)) {
      throw new KeyCredentialLinkException(Reason.CUSTOM_KEY_INFORMATION, "CustomKeyInformation has " + cki.length
          + " bytes, neither 2 nor 16 or more");
    }
    if (cki[0] != 1) {
      throw new KeyCredentialLinkException(Reason.CUSTOM_KEY_INFORMATION, "CustomKeyInformation has version "
          + Byte.toUnsignedInt(cki[0]) + ", not 1");
    }
  }

  /**
   * Reads a little-endian FILETIME value.
   *
   * @param value the 8 bytes
   * @return the FILETIME as a signed long (negative if at or above 2^63)
   */
  public static long fileTime(byte[] value) {
    return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /**
   * Writes a FILETIME value little-endian.
   *
   * @param fileTime the FILETIME
   * @return the 8 bytes
   */
  public static byte[] fileTime(long fileTime) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fileTime).array();
  }
}
