package dev.ngc4j.server.internal.attestation;

/**
 * A parsed {@code TPMS_ATTEST} of a TPM2_Certify (TPM 2.0 Part 2 §10.12.12), read strictly: magic, type
 * (must be TPM_ST_ATTEST_CERTIFY), qualifiedSigner, extraData, clockInfo, firmwareVersion and the
 * {@code TPMS_CERTIFY_INFO} (name, qualifiedName). Bytes left over are refused.
 *
 * <p>clockInfo and firmwareVersion are parsed but carry no meaning here: for a key outside the endorsement
 * hierarchy the TPM obfuscates them.
 *
 * <p>Thread safety: immutable; accessors return copies.
 */
public final class TpmAttest {
  /** sizeof(TPMU_NAME): a TPMT_HA with a SHA-512 digest. */
  private static final int MAX_NAME = 2 + 64;
  /** sizeof(TPMT_HA). */
  private static final int MAX_DATA = 2 + 64;

  private final int magic;
  private final int type;
  private final byte[] qualifiedSigner;
  private final byte[] extraData;
  private final byte[] name;
  private final byte[] qualifiedName;

  private TpmAttest(int magic, int type, byte[] qualifiedSigner, byte[] extraData, byte[] name, byte[] qualifiedName) {
    this.magic = magic;
    this.type = type;
    this.qualifiedSigner = qualifiedSigner;
    this.extraData = extraData;
    this.name = name;
    this.qualifiedName = qualifiedName;
  }

  /**
   * Parses a TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY. The magic is not checked here (the verifier checks it
   * first, to give the precise reason).
   *
   * @param encoded the bytes (not modified)
   * @return the parsed structure
   * @throws TpmFormatException if it is truncated, not a certify structure, or has bytes left over
   */
  public static TpmAttest parse(byte[] encoded) throws TpmFormatException {
    TpmReader r = new TpmReader(encoded, "TPMS_ATTEST");
    int magic = r.u32("magic");
    int type = r.u16("type");
    if (type != Tpm.ST_ATTEST_CERTIFY) {
      throw new TpmFormatException("TPMS_ATTEST type is " + Tpm.hex16(type) + ", not TPM_ST_ATTEST_CERTIFY (0x8017)");
    }
    byte[] qualifiedSigner = r.sized(MAX_NAME, "qualifiedSigner");
    byte[] extraData = r.sized(MAX_DATA, "extraData");
    r.u64("clockInfo.clock");
    r.u32("clockInfo.resetCount");
    r.u32("clockInfo.restartCount");
    int safe = r.u8("clockInfo.safe");
    if (safe > 1) {
      throw new TpmFormatException("TPMS_ATTEST clockInfo.safe is " + safe + ", not a TPMI_YES_NO");
    }
    r.u64("firmwareVersion");
    byte[] name = r.sized(MAX_NAME, "attested.certify.name");
    byte[] qualifiedName = r.sized(MAX_NAME, "attested.certify.qualifiedName");
    r.end();
    return new TpmAttest(magic, type, qualifiedSigner, extraData, name, qualifiedName);
  }

  /** Returns magic. */
  public int magic() {
    return magic;
  }

  /** Returns type. */
  public int type() {
    return type;
  }

  /** Returns qualifiedSigner. */
  public byte[] qualifiedSigner() {
    return qualifiedSigner.clone();
  }

  /** Returns extraData (the qualifying data of the Certify). */
  public byte[] extraData() {
    return extraData.clone();
  }

  /** Returns the certified object's name. */
  public byte[] name() {
    return name.clone();
  }

  /** Returns the certified object's qualified name. */
  public byte[] qualifiedName() {
    return qualifiedName.clone();
  }
}
