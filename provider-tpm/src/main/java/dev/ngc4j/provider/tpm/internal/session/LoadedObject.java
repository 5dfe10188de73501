package dev.ngc4j.provider.tpm.internal.session;

import java.security.MessageDigest;
import java.util.HexFormat;
import tss.TpmBuffer;
import tss.tpm.TPMT_PUBLIC;

/**
 * A TPM object that is loaded (transient handle) or persistent, with the public area the caller trusts for it: the
 * area the SDK stored when the key was created, never one read back from the TPM. Its Name ({@code nameAlg ||
 * H(TPMT_PUBLIC)}) goes into every cpHash, so a TPM that holds a different object at this handle refuses the HMAC.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class LoadedObject {
  private static final int HT_TRANSIENT = 0x80;
  private static final int HT_PERSISTENT = 0x81;

  private final int handle;
  private final byte[] publicArea;
  private final HashAlg nameAlg;
  private final byte[] name;

  private LoadedObject(int handle, byte[] publicArea, HashAlg nameAlg) {
    this.handle = handle;
    this.publicArea = publicArea;
    this.nameAlg = nameAlg;
    MessageDigest md = nameAlg.newDigest();
    byte[] digest = md.digest(publicArea);
    byte[] n = new byte[2 + digest.length];
    n[0] = (byte) (nameAlg.tpmId() >>> 8);
    n[1] = (byte) nameAlg.tpmId();
    System.arraycopy(digest, 0, n, 2, digest.length);
    this.name = n;
  }

  /**
   * Describes a loaded or persistent object by its marshalled public area.
   *
   * @param handle a transient (0x80xxxxxx) or persistent (0x81xxxxxx) handle
   * @param publicArea the marshalled TPMT_PUBLIC, without the TPM2B size prefix; copied
   * @return the object
   * @throws IllegalArgumentException if the handle is not an object handle, or the bytes are not exactly one
   *     TPMT_PUBLIC with a supported nameAlg
   */
  public static LoadedObject of(int handle, byte[] publicArea) {
    int type = handle >>> 24;
    if (type != HT_TRANSIENT && type != HT_PERSISTENT) {
      throw new IllegalArgumentException(
          "handle 0x" + TpmResponseCodes.hex(handle) + " is not a transient or persistent object handle");
    }
    byte[] copy = publicArea.clone();
    TPMT_PUBLIC parsed = parse(copy);
    return new LoadedObject(handle, copy, HashAlg.fromTpmId(parsed.nameAlg.toInt()));
  }

  /**
   * Describes a loaded or persistent object by its public area.
   *
   * @param handle a transient (0x80xxxxxx) or persistent (0x81xxxxxx) handle
   * @param publicArea the public area; marshalled at once, later changes to it have no effect
   * @return the object
   * @throws IllegalArgumentException if the handle is not an object handle or the nameAlg is not supported
   */
  public static LoadedObject of(int handle, TPMT_PUBLIC publicArea) {
    return of(handle, publicArea.toBytes());
  }

  static TPMT_PUBLIC parse(byte[] publicArea) {
    TPMT_PUBLIC parsed;
    TpmBuffer buf = new TpmBuffer(publicArea);
    try {
      parsed = TPMT_PUBLIC.fromTpm(buf);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the public area is not a TPMT_PUBLIC: " + e.getMessage(), e);
    }
    if (!buf.isOk() || buf.curPos() != publicArea.length) {
      throw new IllegalArgumentException(
          "the public area is not exactly one TPMT_PUBLIC (" + publicArea.length + " bytes)");
    }
    return parsed;
  }

  /**
   * Returns the handle.
   *
   * @return the transient or persistent handle
   */
  public int handle() {
    return handle;
  }

  /**
   * Returns the Name: the nameAlg's 2-byte id followed by the nameAlg digest of the marshalled public area.
   *
   * @return a copy of the Name
   */
  public byte[] name() {
    return name.clone();
  }

  /**
   * Returns the marshalled public area (TPMT_PUBLIC, no size prefix).
   *
   * @return a copy
   */
  public byte[] publicAreaBytes() {
    return publicArea.clone();
  }

  /**
   * Returns the public area, parsed afresh (TSS.Java structures are mutable).
   *
   * @return a new TPMT_PUBLIC
   */
  public TPMT_PUBLIC publicArea() {
    return parse(publicArea);
  }

  HashAlg nameAlg() {
    return nameAlg;
  }

  byte[] nameUnsafe() {
    return name;
  }

  /**
   * Returns the handle and the Name in hex; the public area is not secret.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "LoadedObject[handle=0x" + TpmResponseCodes.hex(handle) + ", name=" + HexFormat.of().formatHex(name) + "]";
  }
}
