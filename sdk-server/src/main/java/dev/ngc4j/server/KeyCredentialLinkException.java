package dev.ngc4j.server;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.util.Objects;

/**
 * A {@code KEYCREDENTIALLINK_BLOB} or its DN-Binary attribute value was refused by {@link KeyCredentialLink}'s
 * strict decoder: the code is always {@link ErrorCode#UNSUPPORTED} (as for any other malformed key blob),
 * {@link #reason()} says which rule was broken (a stable code, also the first word of the detail), and the detail
 * says what was found. Nothing in it is secret: the blob holds a public key and metadata only.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KeyCredentialLinkException extends NgcException {
  private static final long serialVersionUID = 1L;

  private static final String WRITE_IT = "write the value with KeyCredentialLink.encode() (MS-ADTS 2.2.20)";

  /**
   * The rule that was broken. The {@link #code()} strings are stable.
   *
   * @since 0.1.0
   */
  public enum Reason {
    /** The blob does not start with version {@code KEY_CREDENTIAL_LINK_VERSION_2} (0x00000200, little-endian). */
    VERSION("kcl_version", "only KEYCREDENTIALLINK_BLOB version 2 (0x00000200) is supported"),
    /** The blob ends inside the version, an entry header or an entry value. */
    TRUNCATED("kcl_truncated", WRITE_IT),
    /** An entry identifier outside 0x01 to 0x09. */
    UNKNOWN_ENTRY("kcl_unknown_entry", WRITE_IT),
    /** The entries are not sorted by identifier (MS-ADTS 2.2.20.2: increasing order). */
    ORDER("kcl_order", "sort the entries by identifier in increasing order"),
    /** An identifier appears twice. */
    DUPLICATE("kcl_duplicate", "write each entry once"),
    /** An entry's value length is not the one MS-ADTS 2.2.20.6 fixes for its identifier, or is zero. */
    ENTRY_LENGTH("kcl_entry_length", WRITE_IT),
    /** KeyID, KeyMaterial or KeyUsage is missing (all keys MUST contain them). */
    MISSING_ENTRY("kcl_missing_entry", "include the KeyID, KeyMaterial and KeyUsage entries"),
    /** KeyID is not SHA-256 of the KeyMaterial value. */
    KEY_ID("kcl_key_id", "set KeyID to SHA-256 of the KeyMaterial value"),
    /** KeyHash is not SHA-256 of all entries after it: an entry was changed after the blob was written. */
    KEY_HASH("kcl_key_hash", "set KeyHash to SHA-256 of the bytes of every entry that follows it"),
    /** KeyUsage is not KEY_USAGE_NGC (0x01), KEY_USAGE_FIDO (0x07) or KEY_USAGE_FEK (0x08). */
    KEY_USAGE("kcl_key_usage", "use KeyUsage 0x01 (NGC) for Windows Hello for Business keys"),
    /** KeySource is not KEY_SOURCE_AD (0x00). */
    KEY_SOURCE("kcl_key_source", "use KeySource 0x00 (AD)"),
    /** CustomKeyInformation is not a version-1 CUSTOM_KEY_INFORMATION of 2 or at least 16 bytes. */
    CUSTOM_KEY_INFORMATION("kcl_custom_key_information",
        "write CUSTOM_KEY_INFORMATION version 1 (2 bytes, or 16 and more with the optional fields)"),
    /** A FILETIME is beyond what an {@link java.time.Instant} can hold (at or above 2^63). */
    TIMESTAMP("kcl_timestamp", "write timestamps as FILETIME (100 ns units since 1601-01-01 UTC)"),
    /** The KeyMaterial is not a strict BCRYPT_RSAPUBLIC_BLOB ("RSA1") of an RSA key of at least 2048 bits. */
    KEY_MATERIAL("kcl_key_material", "store NGC user keys as a BCRYPT_RSAPUBLIC_BLOB (\"RSA1\")"),
    /** The attribute value is not {@code B:<hex digit count>:<hex>:<owner DN>}. */
    DN_BINARY("kcl_dn_binary", "write the value as B:<count of hex digits>:<hex blob>:<owner DN>");

    private final String code;
    private final String remedy;

    Reason(String code, String remedy) {
      this.code = code;
      this.remedy = remedy;
    }

    /**
     * Returns the stable code.
     *
     * @return the code, such as {@code kcl_key_hash}
     * @since 0.1.0
     */
    public String code() {
      return code;
    }

    /**
     * Returns what to do about it.
     *
     * @return the remedy
     * @since 0.1.0
     */
    public String remedy() {
      return remedy;
    }
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the broken rule
   * @param detail what was found, without secrets; prefixed with the reason's code
   * @since 0.1.0
   */
  public KeyCredentialLinkException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reason the broken rule
   * @param detail what was found, without secrets; prefixed with the reason's code
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public KeyCredentialLinkException(Reason reason, String detail, @org.jspecify.annotations.Nullable Throwable cause) {
    super(ErrorCode.UNSUPPORTED, Objects.requireNonNull(reason, "reason").code() + ": "
        + Objects.requireNonNull(detail, "detail"), reason.remedy(), cause);
    this.reason = reason;
  }

  /**
   * Returns the broken rule.
   *
   * @return the reason
   * @since 0.1.0
   */
  public Reason reason() {
    return reason;
  }
}
