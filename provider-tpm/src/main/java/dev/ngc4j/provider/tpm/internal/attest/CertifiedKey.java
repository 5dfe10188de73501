package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.FramedFile;
import java.nio.file.Path;

/**
 * What TPM2_Certify said about a user key when its container was created: the challenge it was given, the
 * TPMS_ATTEST exactly as the AK signed it, the key's TPMT_PUBLIC, the raw RSASSA signature, and the public area of
 * the AK that signed. Stored as {@value TpmAttestor#CERTIFIED_KEY_FILE} in the container's directory.
 *
 * <pre>
 * frame "NGC4JATT", version 1, body:
 *   challenge      bytes
 *   certInfo       bytes   TPMS_ATTEST
 *   pubArea        bytes   TPMT_PUBLIC of the user key
 *   signature      bytes   RSASSA-PKCS1-v1_5 SHA-256, 256 bytes
 *   akPublicArea   bytes   TPMT_PUBLIC of the AK
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use (arrays are copied in and out).
 */
final class CertifiedKey {
  static final String MAGIC = "NGC4JATT";
  static final int VERSION = 1;
  private static final int MAX_FIELD = 4096;
  private static final String REMEDY =
      "delete the credential and provision it again; the container's key is certified at creation";

  private final byte[] challenge;
  private final byte[] certInfo;
  private final byte[] pubArea;
  private final byte[] signature;
  private final byte[] akPublicArea;

  CertifiedKey(byte[] challenge, byte[] certInfo, byte[] pubArea, byte[] signature, byte[] akPublicArea) {
    this.challenge = challenge.clone();
    this.certInfo = certInfo.clone();
    this.pubArea = pubArea.clone();
    this.signature = signature.clone();
    this.akPublicArea = akPublicArea.clone();
  }

  byte[] challenge() {
    return challenge.clone();
  }

  byte[] certInfo() {
    return certInfo.clone();
  }

  byte[] pubArea() {
    return pubArea.clone();
  }

  byte[] signature() {
    return signature.clone();
  }

  byte[] akPublicArea() {
    return akPublicArea.clone();
  }

  byte[] encode() {
    byte[] body = new ByteWriter()
        .bytes(challenge).bytes(certInfo).bytes(pubArea).bytes(signature).bytes(akPublicArea).toByteArray();
    return FramedFile.seal(MAGIC, VERSION, body);
  }

  static CertifiedKey decode(Path file, byte[] data) throws ContainerCorruptedException {
    byte[] body = FramedFile.open(file, data, MAGIC, VERSION, REMEDY).body();
    AttestationFiles.Reader r = new AttestationFiles.Reader(file, body, REMEDY);
    CertifiedKey k = new CertifiedKey(
        r.bytes("the challenge", TpmStructures.MAX_QUALIFYING_DATA),
        r.bytes("certInfo", MAX_FIELD),
        r.bytes("pubArea", MAX_FIELD),
        r.bytes("the signature", MAX_FIELD),
        r.bytes("the AK's public area", MAX_FIELD));
    r.end();
    return k;
  }

  @Override
  public String toString() {
    return "CertifiedKey[" + certInfo.length + "-byte certInfo, " + pubArea.length + "-byte pubArea]";
  }
}
