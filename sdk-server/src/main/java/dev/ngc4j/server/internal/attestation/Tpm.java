package dev.ngc4j.server.internal.attestation;

import java.util.Locale;

/**
 * The TPM 2.0 constants the service uses (TPM 2.0 Library, Part 2: Structures): algorithm ids, object attribute
 * bits, structure tags, and the attribute sets of the keys ngc4j provisions.
 */
public final class Tpm {
  private Tpm() {}

  /** TPM_GENERATED_VALUE, the magic of every TPMS_ATTEST the TPM signs. */
  public static final int GENERATED_VALUE = 0xFF544347;
  /** TPM_ST_ATTEST_CERTIFY. */
  public static final int ST_ATTEST_CERTIFY = 0x8017;

  /** TPM_ALG_RSA. */
  public static final int ALG_RSA = 0x0001;
  /** TPM_ALG_SHA1. */
  public static final int ALG_SHA1 = 0x0004;
  /** TPM_ALG_AES. */
  public static final int ALG_AES = 0x0006;
  /** TPM_ALG_KEYEDHASH. */
  public static final int ALG_KEYEDHASH = 0x0008;
  /** TPM_ALG_SHA256. */
  public static final int ALG_SHA256 = 0x000B;
  /** TPM_ALG_SHA384. */
  public static final int ALG_SHA384 = 0x000C;
  /** TPM_ALG_SHA512. */
  public static final int ALG_SHA512 = 0x000D;
  /** TPM_ALG_NULL. */
  public static final int ALG_NULL = 0x0010;
  /** TPM_ALG_RSASSA. */
  public static final int ALG_RSASSA = 0x0014;
  /** TPM_ALG_RSAES. */
  public static final int ALG_RSAES = 0x0015;
  /** TPM_ALG_RSAPSS. */
  public static final int ALG_RSAPSS = 0x0016;
  /** TPM_ALG_OAEP. */
  public static final int ALG_OAEP = 0x0017;
  /** TPM_ALG_ECC. */
  public static final int ALG_ECC = 0x0023;
  /** TPM_ALG_SYMCIPHER. */
  public static final int ALG_SYMCIPHER = 0x0025;
  /** TPM_ALG_CFB. */
  public static final int ALG_CFB = 0x0043;

  /** TPMA_OBJECT fixedTPM. */
  public static final int FIXED_TPM = 1 << 1;
  /** TPMA_OBJECT stClear. */
  public static final int ST_CLEAR = 1 << 2;
  /** TPMA_OBJECT fixedParent. */
  public static final int FIXED_PARENT = 1 << 4;
  /** TPMA_OBJECT sensitiveDataOrigin. */
  public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
  /** TPMA_OBJECT userWithAuth. */
  public static final int USER_WITH_AUTH = 1 << 6;
  /** TPMA_OBJECT adminWithPolicy. */
  public static final int ADMIN_WITH_POLICY = 1 << 7;
  /** TPMA_OBJECT noDA. */
  public static final int NO_DA = 1 << 10;
  /** TPMA_OBJECT encryptedDuplication. */
  public static final int ENCRYPTED_DUPLICATION = 1 << 11;
  /** TPMA_OBJECT restricted. */
  public static final int RESTRICTED = 1 << 16;
  /** TPMA_OBJECT decrypt. */
  public static final int DECRYPT = 1 << 17;
  /** TPMA_OBJECT sign (also encrypt). */
  public static final int SIGN = 1 << 18;
  /** TPMA_OBJECT x509sign. */
  public static final int X509_SIGN = 1 << 19;

  /** The attributes of an ngc4j user key, exactly (0x00040072). */
  public static final int USER_KEY_ATTRIBUTES =
      SIGN | FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH;

  /** The attributes an attestation key must have (noDA and other harmless bits may be added). */
  public static final int AK_REQUIRED_ATTRIBUTES =
      SIGN | RESTRICTED | FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH;

  /** The attributes of the TCG standard RSA EK templates (0x000300B2). */
  public static final int EK_REQUIRED_ATTRIBUTES =
      FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | ADMIN_WITH_POLICY | RESTRICTED | DECRYPT;

  /** SHA-256's digest size. */
  public static final int SHA256_BYTES = 32;

  /** The names of the TPMA_OBJECT bits, for messages. */
  static String attributeNames(int attributes) {
    String[] names = {
      "bit0", "fixedTPM", "stClear", "bit3", "fixedParent", "sensitiveDataOrigin", "userWithAuth", "adminWithPolicy",
      "bit8", "bit9", "noDA", "encryptedDuplication", "bit12", "bit13", "bit14", "bit15", "restricted", "decrypt",
      "sign", "x509sign"
    };
    StringBuilder out = new StringBuilder();
    for (int bit = 0; bit < 32; bit++) {
      if ((attributes & (1 << bit)) != 0) {
        if (out.length() > 0) {
          out.append('|');
        }
        out.append(bit < names.length ? names[bit] : "bit" + bit);
      }
    }
    return out.length() == 0 ? "none" : out.toString();
  }

  /** {@code 0x1234} form. */
  static String hex16(int value) {
    return String.format(Locale.ROOT, "0x%04X", value & 0xffff);
  }

  /** {@code 0x12345678} form. */
  static String hex32(int value) {
    return String.format(Locale.ROOT, "0x%08X", value);
  }

  /** An algorithm id with its name where known. */
  static String alg(int id) {
    String name = switch (id) {
      case ALG_RSA -> "RSA";
      case ALG_SHA1 -> "SHA1";
      case ALG_AES -> "AES";
      case ALG_KEYEDHASH -> "KEYEDHASH";
      case ALG_SHA256 -> "SHA256";
      case ALG_SHA384 -> "SHA384";
      case ALG_SHA512 -> "SHA512";
      case ALG_NULL -> "NULL";
      case ALG_RSASSA -> "RSASSA";
      case ALG_RSAES -> "RSAES";
      case ALG_RSAPSS -> "RSAPSS";
      case ALG_OAEP -> "OAEP";
      case ALG_ECC -> "ECC";
      case ALG_SYMCIPHER -> "SYMCIPHER";
      case ALG_CFB -> "CFB";
      default -> "";
    };
    return name.isEmpty() ? hex16(id) : name + " (" + hex16(id) + ")";
  }
}
