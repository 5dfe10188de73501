package dev.ngc4j.provider.pkcs11;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a key pair on a token for {@link Pkcs11Session#adoptKey}: by its CKA_ID or by its CKA_LABEL.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class TokenKeySelector {
  private final byte[] id;
  private final String label;

  private TokenKeySelector(byte[] id, String label) {
    this.id = id;
    this.label = label;
  }

  /**
   * Selects by CKA_ID.
   *
   * @param ckaId the id bytes (copied), 1 to 64 bytes
   * @return the selector
   * @throws IllegalArgumentException if empty or longer than 64 bytes
   * @since 0.1.0
   */
  public static TokenKeySelector byId(byte[] ckaId) {
    Objects.requireNonNull(ckaId, "ckaId");
    if (ckaId.length == 0 || ckaId.length > 64) {
      throw new IllegalArgumentException("a CKA_ID selector has 1 to 64 bytes");
    }
    return new TokenKeySelector(ckaId.clone(), "");
  }

  /**
   * Selects by CKA_ID given in hex, as {@code pkcs11-tool --id} takes it.
   *
   * @param hex the id in hex
   * @return the selector
   * @throws IllegalArgumentException if it is not hex
   * @since 0.1.0
   */
  public static TokenKeySelector byIdHex(String hex) {
    return byId(HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex")));
  }

  /**
   * Selects by CKA_LABEL.
   *
   * @param label the label, not empty
   * @return the selector
   * @since 0.1.0
   */
  public static TokenKeySelector byLabel(String label) {
    if (Objects.requireNonNull(label, "label").isEmpty()) {
      throw new IllegalArgumentException("a label selector is not empty");
    }
    return new TokenKeySelector(new byte[0], label);
  }

  /**
   * Returns the CKA_ID, for an id selector.
   *
   * @return a copy of the id, or empty
   * @since 0.1.0
   */
  public Optional<byte[]> id() {
    return id.length == 0 ? Optional.empty() : Optional.of(id.clone());
  }

  /**
   * Returns the label, for a label selector.
   *
   * @return the label, or empty
   * @since 0.1.0
   */
  public Optional<String> label() {
    return label.isEmpty() ? Optional.empty() : Optional.of(label);
  }

  @Override
  public String toString() {
    return id.length > 0 ? "CKA_ID " + HexFormat.of().formatHex(id) : "label '" + label + "'";
  }
}
