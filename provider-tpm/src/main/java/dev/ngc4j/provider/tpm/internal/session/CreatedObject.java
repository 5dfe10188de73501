package dev.ngc4j.provider.tpm.internal.session;

import java.util.Arrays;

/**
 * The result of TPM2_Create: the new object's public area (a marshalled TPMT_PUBLIC, as the TPM returned it) and
 * its private area (the content of the TPM2B_PRIVATE: the sensitive part encrypted and integrity-protected under the
 * parent). Only the parent's TPM can load the pair.
 *
 * <p>Thread safety: safe for concurrent use until {@link #destroy()}.
 */
public final class CreatedObject {
  private final byte[] publicArea;
  private final byte[] privateArea;

  CreatedObject(byte[] publicArea, byte[] privateArea) {
    this.publicArea = publicArea.clone();
    this.privateArea = privateArea.clone();
  }

  /**
   * Returns the marshalled TPMT_PUBLIC (no size prefix).
   *
   * @return a copy
   */
  public byte[] publicArea() {
    return publicArea.clone();
  }

  /**
   * Returns the TPM2B_PRIVATE buffer (no size prefix).
   *
   * @return a copy, which the caller zeroes when done
   */
  public byte[] privateArea() {
    return privateArea.clone();
  }

  /** Zero-fills the private area held here. */
  public void destroy() {
    Arrays.fill(privateArea, (byte) 0);
  }

  /**
   * Describes the object without its private area.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "CreatedObject[" + publicArea.length + "-byte public area, private area redacted]";
  }
}
