package dev.ngc4j.server;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.KeyCredentialLinkException.Reason;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.keytrust.FileTime;
import dev.ngc4j.server.internal.keytrust.LinkBlob;
import dev.ngc4j.server.internal.keytrust.WindowsGuid;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One value of the Active Directory attribute {@code msDS-KeyCredentialLink}: a {@code KEYCREDENTIALLINK_BLOB}
 * (MS-ADTS 2.2.20), the form in which a directory holds a user's Windows Hello for Business key for PKINIT key
 * trust. The DN-Binary attribute value around it is {@link KeyCredentialLinkValue}.
 *
 * <p>Layout: version {@code 0x00000200} (uint32, little-endian), then entries sorted by identifier, each
 * {@code uint16 LE length, uint8 identifier, value}:
 *
 * <table>
 *   <caption>Entries</caption>
 *   <tr><th>Id</th><th>Entry</th><th>Value</th></tr>
 *   <tr><td>0x01</td><td>KeyID</td><td>SHA-256 of the KeyMaterial value (32 bytes); required</td></tr>
 *   <tr><td>0x02</td><td>KeyHash</td><td>SHA-256 of every byte after this entry (32 bytes)</td></tr>
 *   <tr><td>0x03</td><td>KeyMaterial</td><td>for NGC user keys a BCRYPT_RSAPUBLIC_BLOB ("RSA1"); required</td></tr>
 *   <tr><td>0x04</td><td>KeyUsage</td><td>NGC 0x01, FIDO 0x07, FEK 0x08 (1 byte); required</td></tr>
 *   <tr><td>0x05</td><td>KeySource</td><td>AD 0x00 (1 byte)</td></tr>
 *   <tr><td>0x06</td><td>DeviceId</td><td>16-byte GUID in the Windows GUID structure's byte order (MS-DTYP
 *       2.3.4.2: the first three fields little-endian)</td></tr>
 *   <tr><td>0x07</td><td>CustomKeyInformation</td><td>CUSTOM_KEY_INFORMATION version 1, 2 or 16+ bytes</td></tr>
 *   <tr><td>0x08</td><td>KeyApproximateLastLogonTimeStamp</td><td>FILETIME (8 bytes, LE)</td></tr>
 *   <tr><td>0x09</td><td>KeyCreationTime</td><td>FILETIME (8 bytes, LE)</td></tr>
 * </table>
 *
 * <p>{@link #decode} is strict: version, ordering, duplicates, lengths, required entries, KeyID and KeyHash
 * recomputed and compared, and each value's allowed range; every failure is a {@link KeyCredentialLinkException}
 * with a stable {@link KeyCredentialLinkException.Reason}. {@link #encode} always writes KeyID and (unless the
 * link was decoded from a blob without it) KeyHash, so {@code decode(b).encode()} gives back {@code b} for any
 * blob {@code decode} accepts.
 *
 * <pre>{@code
 * KeyCredentialLink link = KeyCredentialLink.ngcKey(rsaPublicKey).deviceId(deviceId).creationTime(created).build();
 * byte[] blob = link.encode();
 * }</pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use; {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class KeyCredentialLink {
  /** {@code KEY_CREDENTIAL_LINK_VERSION_2}, the only version written and read. */
  public static final int VERSION_2 = LinkBlob.VERSION_2;
  /** {@code KEY_USAGE_NGC}: a Windows Hello for Business (NGC) key. */
  public static final int KEY_USAGE_NGC = LinkBlob.USAGE_NGC;
  /** {@code KEY_USAGE_FIDO}: a FIDO key. */
  public static final int KEY_USAGE_FIDO = LinkBlob.USAGE_FIDO;
  /** {@code KEY_USAGE_FEK}: a file encryption key. */
  public static final int KEY_USAGE_FEK = LinkBlob.USAGE_FEK;
  /** {@code KEY_SOURCE_AD}: the key comes from Active Directory. */
  public static final int KEY_SOURCE_AD = LinkBlob.SOURCE_AD;

  private final Bytes keyMaterial;
  private final Bytes keyId;
  private final int keyUsage;
  private final boolean keySource;
  private final @Nullable UUID deviceId;
  private final @Nullable Bytes customKeyInformation;
  private final @Nullable Instant lastLogon;
  private final @Nullable Instant creationTime;
  private final boolean keyHash;
  private final byte[] encoded;

  private KeyCredentialLink(Builder b) {
    this.keyMaterial = b.keyMaterial;
    this.keyId = Bytes.of(Jca.sha256(b.keyMaterial.toByteArray()));
    this.keyUsage = b.keyUsage;
    this.keySource = b.keySource;
    this.deviceId = b.deviceId;
    this.customKeyInformation = b.customKeyInformation;
    this.lastLogon = b.lastLogon;
    this.creationTime = b.creationTime;
    this.keyHash = b.keyHash;
    SortedMap<Integer, byte[]> entries = new TreeMap<>();
    entries.put(LinkBlob.KEY_MATERIAL, keyMaterial.toByteArray());
    entries.put(LinkBlob.KEY_USAGE, new byte[] {(byte) keyUsage});
    if (keySource) {
      entries.put(LinkBlob.KEY_SOURCE, new byte[] {(byte) KEY_SOURCE_AD});
    }
    if (deviceId != null) {
      entries.put(LinkBlob.DEVICE_ID, WindowsGuid.toBytes(deviceId));
    }
    if (customKeyInformation != null) {
      entries.put(LinkBlob.CUSTOM_KEY_INFORMATION, customKeyInformation.toByteArray());
    }
    if (lastLogon != null) {
      entries.put(LinkBlob.LAST_LOGON, LinkBlob.fileTime(FileTime.of(lastLogon)));
    }
    if (creationTime != null) {
      entries.put(LinkBlob.CREATION_TIME, LinkBlob.fileTime(FileTime.of(creationTime)));
    }
    this.encoded = LinkBlob.encode(entries, keyHash);
  }

  /**
   * Starts a link for a Windows Hello for Business user key: KeyMaterial the key's BCRYPT_RSAPUBLIC_BLOB, KeyUsage
   * NGC, KeySource AD, with a KeyHash.
   *
   * @param key the RSA public key, 2048 to 16384 bits, exponent at most 8 bytes
   * @return a builder
   * @throws IllegalArgumentException if the key cannot be written as an RSA1 blob
   * @since 0.1.0
   */
  public static Builder ngcKey(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    try {
      return builder(Bytes.of(Rsa1KeyBlob.encode(key))).keyUsage(KEY_USAGE_NGC).keySource(true);
    } catch (NgcException e) {
      throw new IllegalArgumentException("the key cannot be written as a BCRYPT_RSAPUBLIC_BLOB: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a link with any key material. Defaults: KeyUsage NGC, no KeySource, with a KeyHash, no optional entry.
   *
   * @param keyMaterial the KeyMaterial value, 1 to 65,535 bytes
   * @return a builder
   * @throws IllegalArgumentException if the key material is empty or too long
   * @since 0.1.0
   */
  public static Builder builder(Bytes keyMaterial) {
    return new Builder(keyMaterial);
  }

  /**
   * Decodes a {@code KEYCREDENTIALLINK_BLOB} strictly.
   *
   * @param blob the blob; not modified
   * @return the link
   * @throws KeyCredentialLinkException naming the first rule the blob breaks
   * @since 0.1.0
   */
  public static KeyCredentialLink decode(byte[] blob) throws KeyCredentialLinkException {
    SortedMap<Integer, byte[]> entries = LinkBlob.decode(Objects.requireNonNull(blob, "blob"));
    Builder b = new Builder(Bytes.of(Objects.requireNonNull(entries.get(LinkBlob.KEY_MATERIAL))));
    b.keyUsage = Byte.toUnsignedInt(Objects.requireNonNull(entries.get(LinkBlob.KEY_USAGE))[0]);
    b.keySource = entries.containsKey(LinkBlob.KEY_SOURCE);
    byte[] device = entries.get(LinkBlob.DEVICE_ID);
    b.deviceId = device == null ? null : WindowsGuid.fromBytes(device);
    byte[] cki = entries.get(LinkBlob.CUSTOM_KEY_INFORMATION);
    b.customKeyInformation = cki == null ? null : Bytes.of(cki);
    byte[] lastLogon = entries.get(LinkBlob.LAST_LOGON);
    b.lastLogon = lastLogon == null ? null : FileTime.toInstant(LinkBlob.fileTime(lastLogon));
    byte[] created = entries.get(LinkBlob.CREATION_TIME);
    b.creationTime = created == null ? null : FileTime.toInstant(LinkBlob.fileTime(created));
    b.keyHash = entries.containsKey(LinkBlob.KEY_HASH);
    KeyCredentialLink link = new KeyCredentialLink(b);
    if (!Arrays.equals(link.encoded, blob)) {
      // Cannot happen for a blob the strict decoder accepts; a guard against a codec bug, not against input.
      throw new IllegalStateException("the KEYCREDENTIALLINK_BLOB codec does not round-trip");
    }
    return link;
  }

  /**
   * Returns the blob.
   *
   * @return a fresh array with the {@code KEYCREDENTIALLINK_BLOB}
   * @since 0.1.0
   */
  public byte[] encode() {
    return encoded.clone();
  }

  /**
   * Returns the KeyID: SHA-256 of the KeyMaterial value. For an NGC key registered with the service this is the
   * SHA-256 behind {@link KeyInfo#keyIdentifier()}.
   *
   * @return the 32 bytes
   * @since 0.1.0
   */
  public Bytes keyId() {
    return keyId;
  }

  /**
   * Returns the KeyMaterial value.
   *
   * @return the bytes (for NGC user keys a BCRYPT_RSAPUBLIC_BLOB)
   * @since 0.1.0
   */
  public Bytes keyMaterial() {
    return keyMaterial;
  }

  /**
   * Decodes the KeyMaterial as a strict BCRYPT_RSAPUBLIC_BLOB ("RSA1"), the form of Windows Hello for Business user
   * keys.
   *
   * @return the RSA public key
   * @throws KeyCredentialLinkException ({@link Reason#KEY_MATERIAL}) if the material is not such a blob of an RSA
   *     key of at least 2048 bits
   * @since 0.1.0
   */
  public RSAPublicKey rsaPublicKey() throws KeyCredentialLinkException {
    try {
      return Rsa1KeyBlob.decode(keyMaterial.toByteArray());
    } catch (NgcException e) {
      throw new KeyCredentialLinkException(Reason.KEY_MATERIAL, "the KeyMaterial is not an acceptable RSA1 blob",
          e);
    }
  }

  /**
   * Returns the KeyUsage.
   *
   * @return {@link #KEY_USAGE_NGC}, {@link #KEY_USAGE_FIDO} or {@link #KEY_USAGE_FEK}
   * @since 0.1.0
   */
  public int keyUsage() {
    return keyUsage;
  }

  /**
   * Returns the KeySource.
   *
   * @return {@link #KEY_SOURCE_AD}, or empty when the entry is absent
   * @since 0.1.0
   */
  public OptionalInt keySource() {
    return keySource ? OptionalInt.of(KEY_SOURCE_AD) : OptionalInt.empty();
  }

  /**
   * Returns the DeviceId.
   *
   * @return the device object id (all zeros means none), or empty when the entry is absent
   * @since 0.1.0
   */
  public Optional<UUID> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  /**
   * Returns the raw CUSTOM_KEY_INFORMATION.
   *
   * @return its bytes (version 1; 2 bytes, or 16 and more), or empty when the entry is absent
   * @since 0.1.0
   */
  public Optional<Bytes> customKeyInformation() {
    return Optional.ofNullable(customKeyInformation);
  }

  /**
   * Returns the KeyApproximateLastLogonTimeStamp.
   *
   * @return the time, or empty when the entry is absent
   * @since 0.1.0
   */
  public Optional<Instant> lastLogon() {
    return Optional.ofNullable(lastLogon);
  }

  /**
   * Returns the KeyCreationTime.
   *
   * @return the time, or empty when the entry is absent
   * @since 0.1.0
   */
  public Optional<Instant> creationTime() {
    return Optional.ofNullable(creationTime);
  }

  /**
   * Returns whether the blob has a KeyHash entry.
   *
   * @return true if it has one
   * @since 0.1.0
   */
  public boolean hasKeyHash() {
    return keyHash;
  }

  /**
   * Compares the encoded blobs.
   *
   * @param o another object
   * @return whether it is a link with the same encoding
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyCredentialLink other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /**
   * Summarises the link: the KeyID (base64url, first 12 characters), usage, device and creation time.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return "KeyCredentialLink{keyId=" + keyId.toBase64Url().substring(0, 12) + "..., usage=0x"
        + Integer.toHexString(keyUsage) + ", device=" + deviceId + ", created=" + creationTime + "}";
  }

  /**
   * Builds a {@link KeyCredentialLink}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Bytes keyMaterial;
    private int keyUsage = KEY_USAGE_NGC;
    private boolean keySource;
    private @Nullable UUID deviceId;
    private @Nullable Bytes customKeyInformation;
    private @Nullable Instant lastLogon;
    private @Nullable Instant creationTime;
    private boolean keyHash = true;

    private Builder(Bytes keyMaterial) {
      Objects.requireNonNull(keyMaterial, "keyMaterial");
      if (keyMaterial.length() == 0 || keyMaterial.length() > LinkBlob.MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("the key material must have 1 to 65535 bytes");
      }
      this.keyMaterial = keyMaterial;
    }

    /**
     * Sets the KeyUsage. Default {@link #KEY_USAGE_NGC}.
     *
     * @param usage {@link #KEY_USAGE_NGC}, {@link #KEY_USAGE_FIDO} or {@link #KEY_USAGE_FEK}
     * @return this builder
     * @throws IllegalArgumentException for any other value
     * @since 0.1.0
     */
    public Builder keyUsage(int usage) {
      if (usage != KEY_USAGE_NGC && usage != KEY_USAGE_FIDO && usage != KEY_USAGE_FEK) {
        throw new IllegalArgumentException("KeyUsage must be 0x01, 0x07 or 0x08");
      }
      this.keyUsage = usage;
      return this;
    }

    /**
     * Sets whether the KeySource entry (always {@link #KEY_SOURCE_AD}) is written. Default false for
     * {@link KeyCredentialLink#builder}, true for {@link KeyCredentialLink#ngcKey}.
     *
     * @param present whether to write it
     * @return this builder
     * @since 0.1.0
     */
    public Builder keySource(boolean present) {
      this.keySource = present;
      return this;
    }

    /**
     * Sets the DeviceId. Default none.
     *
     * @param id the device object id
     * @return this builder
     * @since 0.1.0
     */
    public Builder deviceId(UUID id) {
      this.deviceId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the CustomKeyInformation. Default none.
     *
     * @param cki a CUSTOM_KEY_INFORMATION: version 1, 2 bytes or 16 to 65,535 bytes
     * @return this builder
     * @throws IllegalArgumentException if it is not such a structure
     * @since 0.1.0
     */
    public Builder customKeyInformation(Bytes cki) {
      try {
        LinkBlob.checkCustomKeyInformation(Objects.requireNonNull(cki, "cki").toByteArray());
      } catch (KeyCredentialLinkException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      this.customKeyInformation = cki;
      return this;
    }

    /**
     * Sets the KeyApproximateLastLogonTimeStamp (kept to 100 ns). Default none.
     *
     * @param time the time, from 1601 on
     * @return this builder
     * @throws IllegalArgumentException if it cannot be written as a FILETIME
     * @since 0.1.0
     */
    public Builder lastLogon(Instant time) {
      FileTime.of(Objects.requireNonNull(time, "time"));
      this.lastLogon = FileTime.truncate(time);
      return this;
    }

    /**
     * Sets the KeyCreationTime (kept to 100 ns). Default none.
     *
     * @param time the time, from 1601 on
     * @return this builder
     * @throws IllegalArgumentException if it cannot be written as a FILETIME
     * @since 0.1.0
     */
    public Builder creationTime(Instant time) {
      FileTime.of(Objects.requireNonNull(time, "time"));
      this.creationTime = FileTime.truncate(time);
      return this;
    }

    /**
     * Sets whether the KeyHash entry is written. Default true (MS-ADTS: keys SHOULD have one).
     *
     * @param present whether to write it
     * @return this builder
     * @since 0.1.0
     */
    public Builder keyHash(boolean present) {
      this.keyHash = present;
      return this;
    }

    /**
     * Builds the link.
     *
     * @return the link
     * @since 0.1.0
     */
    public KeyCredentialLink build() {
      return new KeyCredentialLink(this);
    }
  }
}
