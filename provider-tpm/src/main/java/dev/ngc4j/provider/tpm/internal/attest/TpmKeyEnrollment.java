package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.session.TpmResponseCodes;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.GetTestResultResponse;
import tss.tpm.NV_ReadPublicResponse;
import tss.tpm.ReadPublicResponse;
import tss.tpm.StartAuthSessionResponse;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPMS_ID_OBJECT;
import tss.tpm.TPMS_TAGGED_PROPERTY;
import tss.tpm.TPMT_SYM_DEF;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;
import tss.tpm.TPM_SE;

/**
 * The device side of AK enrolment on a TPM (TCG EK Credential Profile; TPM 2.0 Part 3 TPM2_ActivateCredential):
 *
 * <ul>
 *   <li>{@link #endorsementCertificate()}: NV index {@code 0x01c00002} (RSA-2048 EK certificate), read in chunks of
 *       TPM_PT_NV_BUFFER_MAX, authorised by the index itself (empty authValue) when it has AUTHREAD, else by the
 *       owner hierarchy;
 *   <li>{@link #endorsementKeyPublicArea()}: TPM2_ReadPublic of the persistent EK {@code 0x81010001};
 *   <li>{@link #attestationKeyPublicArea()}: the AK's TPMT_PUBLIC (the AK is made on first use);
 *   <li>{@link #activateCredential}: the AK loaded under the SRK (ADMIN role, empty password) and the EK authorised
 *       by a policy session satisfying the EK's standard policy, PolicySecret(TPM_RH_ENDORSEMENT) with the empty
 *       endorsement authorisation. The policy session and the AK are flushed whatever happens. A refusal of the
 *       blob (made for another TPM or AK) is {@code ATTESTATION_INVALID};
 *   <li>{@link #certificateChain()} and {@link #installCertificateChain}: the chain on disk, see
 *       {@link AttestationKeyStore}.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use; TPM commands are serialised by the connection.
 */
final class TpmKeyEnrollment implements AttestationKeyEnrollment {
  /** The NV index of the RSA-2048 EK certificate (TCG EK Credential Profile, low range). */
  static final int EK_CERTIFICATE_INDEX = 0x01c00002;
  /** The persistent handle of the RSA-2048 EK (TCG TPM v2.0 Provisioning Guidance). */
  static final int EK_HANDLE = 0x81010001;
  private static final int PT_NV_BUFFER_MAX = 0x12C;
  private static final int DEFAULT_NV_CHUNK = 512;
  private static final int MAX_CERTIFICATE = 8 * 1024;
  private static final int NV_OWNERREAD = 0x00020000;
  private static final int NV_AUTHREAD = 0x00040000;
  private static final int MAX_SECRET = 512;
  private static final int RC_FAILURE = 0x101;
  private static final Logger log = LoggerFactory.getLogger(TpmKeyEnrollment.class);

  private final TpmConnection connection;
  private final SrkHandle srkHandle;
  private final AttestationKeyStore keys;
  private final SecureRandom random;

  TpmKeyEnrollment(TpmConnection connection, SrkHandle srkHandle, AttestationKeyStore keys, SecureRandom random) {
    this.connection = connection;
    this.srkHandle = srkHandle;
    this.keys = keys;
    this.random = random;
  }

  @Override
  public Bytes endorsementCertificate() throws NgcException {
    byte[] der = connection.call("reading the EK certificate from NV", this::readEkCertificate);
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "NV index 0x" + Integer.toHexString(EK_CERTIFICATE_INDEX) + " does not hold an X.509 certificate ("
              + der.length + " bytes)",
          "this TPM's maker did not store a readable EK certificate; attestation needs a TPM that has one", e);
    }
    return Bytes.of(der);
  }

  private byte[] readEkCertificate(Tpm t) throws NgcException {
    TPM_HANDLE index = TpmOps.emptyAuth(EK_CERTIFICATE_INDEX);
    NV_ReadPublicResponse pub = t._allowErrors().NV_ReadPublic(index);
    int rc = connection.lastResponseCode();
    if (TpmResponseCodes.isHandle(rc) || TpmResponseCodes.baseCode(rc) == 0x14A) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "This TPM has no RSA EK certificate in NV index 0x" + Integer.toHexString(EK_CERTIFICATE_INDEX) + " ("
              + TpmResponseCodes.describe(rc) + ")",
          "attestation needs a TPM whose maker stored the EK certificate in NV (TCG EK Credential Profile); some "
              + "firmware TPMs publish it online instead, which this provider does not fetch",
          null);
    }
    if (rc != TpmResponseCodes.SUCCESS || pub == null || pub.nvPublic == null) {
      throw TpmOps.failure("TPM2_NV_ReadPublic of the EK certificate index", rc);
    }
    int size = pub.nvPublic.dataSize;
    int attributes = pub.nvPublic.attributes == null ? 0 : pub.nvPublic.attributes.toInt();
    if (size <= 0 || size > MAX_CERTIFICATE) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "The EK certificate index holds " + size + " bytes, not a certificate",
          "attestation needs a TPM whose maker stored the EK certificate in NV", null);
    }
    TPM_HANDLE auth;
    boolean byIndex = (attributes & NV_AUTHREAD) != 0;
    if (byIndex) {
      auth = index;
    } else if ((attributes & NV_OWNERREAD) != 0) {
      auth = TpmOps.emptyAuth(TPM_RH.OWNER.toInt());
    } else {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "The EK certificate index can be read neither with its own nor with the owner's authorisation "
              + "(attributes 0x" + Integer.toHexString(attributes) + ")",
          "attestation needs a TPM whose EK certificate is readable as the TCG EK Credential Profile specifies",
          null);
    }
    int chunk = nvBufferMax(t);
    byte[] data = new byte[size];
    for (int offset = 0; offset < size; offset += chunk) {
      int n = Math.min(chunk, size - offset);
      byte[] part = t._allowErrors().NV_Read(auth, index, n, offset);
      rc = connection.lastResponseCode();
      if (TpmResponseCodes.isWrongAuth(rc)) {
        throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
            "The TPM refused to read the EK certificate: " + (byIndex ? "the index" : "the owner hierarchy")
                + " has an authorisation value (" + TpmResponseCodes.describe(rc) + ")",
            "attestation needs the EK certificate to be readable with an empty authorisation, as TPMs ship it",
            null);
      }
      if (rc != TpmResponseCodes.SUCCESS || part == null || part.length != n) {
        throw TpmOps.failure("TPM2_NV_Read of the EK certificate at offset " + offset, rc);
      }
      System.arraycopy(part, 0, data, offset, n);
    }
    return trimDer(data);
  }

  /** Cuts trailing padding after a DER SEQUENCE with a definite length (some TPMs pad the NV index). */
  static byte[] trimDer(byte[] data) {
    if (data.length < 2 || data[0] != 0x30) {
      return data;
    }
    int first = data[1] & 0xFF;
    long length;
    int header;
    if (first < 0x80) {
      length = first;
      header = 2;
    } else {
      int n = first & 0x7F;
      if (n == 0 || n > 3 || data.length < 2 + n) {
        return data;
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        length = (length << 8) | (data[2 + i] & 0xFF);
      }
      header = 2 + n;
    }
    long total = header + length;
    return total < data.length ? Arrays.copyOf(data, (int) total) : data;
  }

  private int nvBufferMax(Tpm t) {
    GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.TPM_PROPERTIES, PT_NV_BUFFER_MAX, 1);
    if (connection.lastResponseCode() == TpmResponseCodes.SUCCESS && r != null
        && r.capabilityData instanceof TPML_TAGGED_TPM_PROPERTY list && list.tpmProperty != null) {
      for (TPMS_TAGGED_PROPERTY p : list.tpmProperty) {
        if (p.property != null && p.property.toInt() == PT_NV_BUFFER_MAX && p.value > 0) {
          return Math.min(p.value, 4096);
        }
      }
    }
    log.debug("TPM_PT_NV_BUFFER_MAX not available; reading NV in chunks of {}", DEFAULT_NV_CHUNK);
    return DEFAULT_NV_CHUNK;
  }

  @Override
  public Bytes endorsementKeyPublicArea() throws NgcException {
    byte[] area = connection.call("reading the EK's public area", t -> {
      ReadPublicResponse r = t._allowErrors().ReadPublic(TPM_HANDLE.from(EK_HANDLE));
      int rc = connection.lastResponseCode();
      if (TpmResponseCodes.isHandle(rc)) {
        throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
            "This TPM has no endorsement key at persistent handle 0x" + Integer.toHexString(EK_HANDLE),
            "create and persist the RSA-2048 EK with the standard template (for example "
                + "'tpm2_createek -c 0x81010001 -G rsa -u ek.pub'), as TPM provisioning normally does",
            null);
      }
      if (rc != TpmResponseCodes.SUCCESS || r == null || r.outPublic == null) {
        throw TpmOps.failure("TPM2_ReadPublic of the EK", rc);
      }
      return r.outPublic.toBytes();
    });
    try {
      TpmStructures.checkRsaEk(area);
    } catch (IllegalArgumentException e) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "The object at 0x" + Integer.toHexString(EK_HANDLE) + " is not an RSA endorsement key: " + e.getMessage(),
          "free that handle and persist the RSA-2048 EK there with the standard template", e);
    }
    return Bytes.of(area);
  }

  @Override
  public Bytes attestationKeyPublicArea() throws NgcException {
    return Bytes.of(connection.call("preparing the attestation key",
        t -> keys.current(t, srkHandle.get()).publicArea()));
  }

  @Override
  public Bytes activateCredential(Bytes credentialBlob, Bytes encryptedSecret) throws NgcException {
    Objects.requireNonNull(credentialBlob, "credentialBlob");
    Objects.requireNonNull(encryptedSecret, "encryptedSecret");
    TPMS_ID_OBJECT blob = idObject(credentialBlob.toByteArray());
    byte[] secret = encryptedSecret.toByteArray();
    if (secret.length == 0 || secret.length > MAX_SECRET) {
      throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
          "The encrypted secret is " + secret.length + " bytes, not an encrypted seed for an RSA-2048 EK",
          "pass the encrypted_secret the directory returned, base64-decoded", null);
    }
    byte[] recovered = connection.call("activating the directory's credential", t -> {
      int srk = srkHandle.get();
      AttestationKeyStore.Ak ak = keys.current(t, srk);
      TPM_HANDLE akHandle = loadAk(t, srk, ak);
      try {
        return activate(t, akHandle, blob, secret);
      } finally {
        TpmOps.flush(connection, t, akHandle);
      }
    });
    try {
      return Bytes.of(recovered);
    } finally {
      Arrays.fill(recovered, (byte) 0);
    }
  }

  private byte[] activate(Tpm t, TPM_HANDLE akHandle, TPMS_ID_OBJECT blob, byte[] secret) throws NgcException {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    StartAuthSessionResponse session = t._allowErrors().StartAuthSession(
        TPM_HANDLE.from(TPM_RH.NULL), TPM_HANDLE.from(TPM_RH.NULL), nonce, new byte[0], TPM_SE.POLICY,
        new TPMT_SYM_DEF(), TPM_ALG_ID.SHA256);
    int rc = connection.lastResponseCode();
    if (rc != TpmResponseCodes.SUCCESS || session == null || session.handle == null) {
      throw TpmOps.failure("TPM2_StartAuthSession (policy session for the EK)", rc);
    }
    try {
      t._allowErrors().PolicySecret(TpmOps.emptyAuth(TPM_RH.ENDORSEMENT.toInt()), session.handle, new byte[0],
          new byte[0], new byte[0], 0);
      rc = connection.lastResponseCode();
      if (TpmResponseCodes.isWrongAuth(rc)) {
        throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
            "The TPM refused the endorsement hierarchy's empty authorisation in TPM2_PolicySecret ("
                + TpmResponseCodes.describe(rc) + "), which the EK's policy needs",
            "the endorsement hierarchy has an authorisation value on this machine (set by the OS or an "
                + "administrator); clear it, or enrol the attestation key with the OS's own tools",
            null);
      }
      if (rc != TpmResponseCodes.SUCCESS) {
        throw TpmOps.failure("TPM2_PolicySecret(TPM_RH_ENDORSEMENT)", rc);
      }
      TPM_HANDLE ek = TPM_HANDLE.from(EK_HANDLE);
      byte[] out = t._withSessions(TPM_HANDLE.pwSession(new byte[0]), session.handle)._allowErrors()
          .ActivateCredential(akHandle, ek, blob, secret);
      rc = connection.lastResponseCode();
      if (rc == TpmResponseCodes.SUCCESS && out != null) {
        log.debug("TPM2_ActivateCredential recovered the directory's {}-byte secret", out.length);
        return out;
      }
      if (TpmResponseCodes.isHandle(rc) && ((rc >>> 8) & 0xF) == 2 && (rc & 0x840) == 0) {
        throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
            "This TPM has no endorsement key at persistent handle 0x" + Integer.toHexString(EK_HANDLE),
            "create and persist the RSA-2048 EK with the standard template (for example "
                + "'tpm2_createek -c 0x81010001 -G rsa -u ek.pub')",
            null);
      }
      // A blob for another TPM fails on its parameters (format one, parameter bit); libtpms answers TPM_RC_FAILURE
      // when it cannot decrypt the seed, without entering failure mode: told apart by asking for the self-test result.
      if ((TpmResponseCodes.isFormatOne(rc) && (rc & 0x040) != 0) || (rc == RC_FAILURE && selfTestPasses(t))) {
        throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
            "The TPM refused the directory's credential in TPM2_ActivateCredential (" + TpmResponseCodes.describe(rc)
                + "): it was not made for this TPM's endorsement key and this attestation key",
            "enrol again; if it recurs, the directory encrypted the credential to another TPM's EK or another AK name "
                + "(check that the EK and AK public areas sent in the challenge request are this device's)",
            null);
      }
      throw TpmOps.failure("TPM2_ActivateCredential", rc);
    } finally {
      t._allowErrors().FlushContext(session.handle);
    }
  }

  /** Whether TPM2_GetTestResult says the TPM is healthy (not in failure mode). */
  private boolean selfTestPasses(Tpm t) {
    GetTestResultResponse r = t._allowErrors().GetTestResult();
    return connection.lastResponseCode() == TpmResponseCodes.SUCCESS && r != null && r.testResult != null
        && r.testResult.toInt() == TpmResponseCodes.SUCCESS;
  }

  /** Loads the AK under the SRK; a refused blob is a damaged AK file. Call inside the connection's lock. */
  TPM_HANDLE loadAk(Tpm t, int srk, AttestationKeyStore.Ak ak) throws NgcException {
    byte[] privateArea = ak.privateArea();
    try {
      return TpmOps.load(connection, t, srk, ak.publicArea(), privateArea, "the attestation key");
    } catch (TpmOps.LoadRefused e) {
      throw new ContainerCorruptedException(ErrorCode.CONTAINER_CORRUPTED,
          "The TPM refused to load the attestation key in " + keys.akFile() + " (" + e.getMessage() + "): the file "
              + "was altered, or the key was made by another TPM",
          "delete " + keys.akFile() + "; a new attestation key is made, which must be enrolled with the directory "
              + "again (provision again)",
          null);
    } finally {
      Arrays.fill(privateArea, (byte) 0);
    }
  }

  /** Splits a TPM2B_ID_OBJECT buffer: a TPM2B_DIGEST (integrity HMAC), then the encrypted identity. */
  static TPMS_ID_OBJECT idObject(byte[] b) throws AttestationException {
    if (b.length < 2) {
      throw malformedBlob(b.length);
    }
    int hmacLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    if (hmacLength < 20 || hmacLength > 64 || b.length - 2 - hmacLength < 1 || b.length > 2 + 64 + 2 + 64) {
      throw malformedBlob(b.length);
    }
    return new TPMS_ID_OBJECT(Arrays.copyOfRange(b, 2, 2 + hmacLength), Arrays.copyOfRange(b, 2 + hmacLength,
        b.length));
  }

  private static AttestationException malformedBlob(int length) {
    return new AttestationException(ErrorCode.ATTESTATION_INVALID,
        "The credential blob (" + length + " bytes) is not a TPM2B_ID_OBJECT body (integrity HMAC as a TPM2B_DIGEST, "
            + "then the encrypted credential)",
        "pass the credential_blob the directory returned, base64-decoded", null);
  }

  @Override
  public Optional<List<X509Certificate>> certificateChain() throws NgcException {
    return keys.chain();
  }

  @Override
  public void installCertificateChain(List<X509Certificate> chain) throws NgcException {
    keys.installChain(chain);
  }

  @Override
  public String toString() {
    return "TpmKeyEnrollment[" + connection.settings().device() + "]";
  }
}
