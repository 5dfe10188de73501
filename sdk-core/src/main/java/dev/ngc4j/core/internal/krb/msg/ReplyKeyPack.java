package dev.ngc4j.core.internal.krb.msg;

import java.util.Objects;

/**
 * The ReplyKeyPack of RSA key transport (RFC 4556 §3.2.3.2), the eContent of the SignedData inside encKeyPack.
 *
 * <pre>
 * ReplyKeyPack ::= SEQUENCE {
 *   replyKey   [0] EncryptionKey,
 *   asChecksum [1] Checksum, -- over the AS-REQ's DER, keyed with replyKey
 *   ...
 * }
 * </pre>
 *
 * <p>Security: holds the reply key; {@link #toString()} never shows it.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param replyKey the key that encrypts the AS-REP enc-part
 * @param asChecksum the checksum over the AS-REQ
 */
public record ReplyKeyPack(EncryptionKey replyKey, Checksum asChecksum) {
  /**
   * Checks the fields are present.
   *
   * @param replyKey the reply key
   * @param asChecksum the checksum
   */
  public ReplyKeyPack {
    Objects.requireNonNull(replyKey, "replyKey");
    Objects.requireNonNull(asChecksum, "asChecksum");
  }

  /**
   * Encodes in DER (for tests and test KDCs).
   *
   * @return the encoding (holds the key)
   */
  public byte[] encode() {
    return Der.sequence(Der.explicit(0, replyKey.encode()), Der.explicit(1, asChecksum.encode()));
  }

  /**
   * Decodes strictly.
   *
   * @param der the encoding
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static ReplyKeyPack decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "ReplyKeyPack", reader -> {
      DerReader seq = reader.sequence("ReplyKeyPack");
      EncryptionKey key = seq.field(0, "replyKey", EncryptionKey::read);
      Checksum checksum = seq.field(1, "asChecksum", Checksum::read);
      seq.endExtensible();
      return new ReplyKeyPack(key, checksum);
    });
  }
}
