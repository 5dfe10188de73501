package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.session.TpmResponseCodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.CreateResponse;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;

/**
 * The device's attestation key and its certificate chain on disk ({@code dataDirectory/attestation/}).
 *
 * <h2>AK file ({@value #AK_FILE})</h2>
 *
 * <pre>
 * frame "NGC4JAKB", version 1, body: srkName bytes, publicArea bytes (TPMT_PUBLIC), privateArea bytes (TPM2B_PRIVATE
 * buffer)
 * </pre>
 *
 * <p>The AK is made on first use (TPM2_Create under the SRK) and replaced when the stored one was made under another
 * SRK (the TPM was cleared, or the data directory came from another device); replacing it removes the chain, which
 * certified the old key.
 *
 * <h2>Chain file ({@value #CHAIN_FILE})</h2>
 *
 * <pre>
 * frame "NGC4JAKC", version 1, body: akName bytes, count u8, then count times: certificate bytes (DER)
 * </pre>
 *
 * <p>A chain is only returned while its AK name is the current AK's.
 *
 * <p>Thread safety: safe for concurrent use. File changes are serialised on this object; the TPM-side method
 * {@link #current} runs inside the connection's lock, which is always taken before this object's (never the other
 * way round).
 */
final class AttestationKeyStore {
  static final String DIRECTORY = "attestation";
  static final String AK_FILE = "ak.ngc";
  static final String CHAIN_FILE = "ak-chain.ngc";
  static final int MAX_CHAIN = 8;
  private static final String AK_MAGIC = "NGC4JAKB";
  private static final String CHAIN_MAGIC = "NGC4JAKC";
  private static final int VERSION = 1;
  private static final int MAX_BLOB = 4096;
  private static final int MAX_CERTIFICATE = 16 * 1024;
  private static final Logger log = LoggerFactory.getLogger(AttestationKeyStore.class);

  private final TpmConnection connection;
  private final byte[] srkName;
  private final Path akFile;
  private final Path chainFile;
  private final Object files = new Object();

  AttestationKeyStore(TpmConnection connection, byte[] srkName, Path dataDirectory) {
    this.connection = connection;
    this.srkName = srkName.clone();
    Path dir = dataDirectory.resolve(DIRECTORY);
    this.akFile = dir.resolve(AK_FILE);
    this.chainFile = dir.resolve(CHAIN_FILE);
  }

  Path akFile() {
    return akFile;
  }

  /** The AK's blobs. The private area is not secret on its own (it loads only under this TPM's SRK). */
  static final class Ak {
    private final byte[] publicArea;
    private final byte[] privateArea;
    private final RSAPublicKey key;

    Ak(byte[] publicArea, byte[] privateArea) {
      this.publicArea = publicArea.clone();
      this.privateArea = privateArea.clone();
      this.key = TpmStructures.checkAk(this.publicArea);
    }

    byte[] publicArea() {
      return publicArea.clone();
    }

    byte[] privateArea() {
      return privateArea.clone();
    }

    byte[] name() {
      return AttestationFiles.sha256Name(publicArea);
    }

    RSAPublicKey key() {
      return key;
    }
  }

  /**
   * Returns the current AK, making one if there is none for this SRK. Call inside {@link TpmConnection#call}.
   *
   * @param t the TPM
   * @param srk the SRK handle
   * @return the AK
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the TPM fails, {@code STORAGE_FAILURE} if the files cannot
   *     be written, {@code CONTAINER_CORRUPTED} if the AK file is damaged
   */
  Ak current(Tpm t, int srk) throws NgcException {
    if (!connection.heldByCurrentThread()) {
      throw new IllegalStateException("the AK is made under the connection's lock");
    }
    synchronized (files) {
      Optional<Ak> stored = stored();
      if (stored.isPresent()) {
        return stored.get();
      }
      long start = System.nanoTime();
      CreateResponse r = t._allowErrors().Create(
          TpmOps.emptyAuth(srk), new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), TpmStructures.akTemplate(),
          new byte[0], new TPMS_PCR_SELECTION[0]);
      int rc = connection.lastResponseCode();
      if (rc != TpmResponseCodes.SUCCESS || r == null || r.outPublic == null || r.outPrivate == null) {
        throw TpmOps.failure("TPM2_Create of the attestation key", rc);
      }
      Ak ak;
      try {
        ak = new Ak(r.outPublic.toBytes(), r.outPrivate.buffer);
      } catch (IllegalArgumentException e) {
        throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The TPM made an attestation key that does not match the requested template: " + e.getMessage(),
            "check the TPM's firmware; this is unexpected", e);
      }
      byte[] body = new ByteWriter()
          .bytes(srkName).bytes(ak.publicArea).bytes(ak.privateArea).toByteArray();
      try {
        OwnerOnlyFiles.delete(chainFile);
        AttestationFiles.replace(akFile, FramedFile.seal(AK_MAGIC, VERSION, body));
      } catch (IOException e) {
        throw storageFailure("Could not write the attestation key file " + akFile, e);
      }
      log.info("Made this device's TPM attestation key in {} ms; it must be enrolled with the directory before its "
          + "statements are accepted", (System.nanoTime() - start) / 1_000_000);
      return ak;
    }
  }

  /**
   * Returns the stored AK if it was made under the current SRK; no TPM command.
   *
   * @return the AK, or empty if there is none (or only one made under another SRK)
   * @throws NgcException {@code STORAGE_FAILURE}, or {@code CONTAINER_CORRUPTED} if the file is damaged
   */
  Optional<Ak> stored() throws NgcException {
    synchronized (files) {
      Optional<byte[]> data = read(akFile);
      if (data.isEmpty()) {
        return Optional.empty();
      }
      String remedy = "delete " + akFile + "; a new attestation key is made, which must be enrolled with the "
          + "directory again (provision again)";
      byte[] body = FramedFile.open(akFile, data.get(), AK_MAGIC, VERSION, remedy).body();
      AttestationFiles.Reader r = new AttestationFiles.Reader(akFile, body, remedy);
      byte[] madeUnder = r.bytes("the SRK name", 64);
      byte[] publicArea = r.bytes("the public area", MAX_BLOB);
      byte[] privateArea = r.bytes("the private area", MAX_BLOB);
      r.end();
      if (!MessageDigest.isEqual(madeUnder, srkName)) {
        log.info("The stored attestation key was made under another storage root key (the TPM was cleared, or the "
            + "data directory comes from another device); a new one will be made");
        return Optional.empty();
      }
      try {
        return Optional.of(new Ak(publicArea, privateArea));
      } catch (IllegalArgumentException e) {
        throw FramedFile.corrupted(akFile, String.valueOf(e.getMessage()), remedy);
      } finally {
        Arrays.fill(privateArea, (byte) 0);
      }
    }
  }

  /**
   * Returns the chain installed for the current AK.
   *
   * @return the chain, AK certificate first; empty if none was installed for this AK
   * @throws NgcException {@code STORAGE_FAILURE}, {@code CONTAINER_CORRUPTED}
   */
  Optional<List<X509Certificate>> chain() throws NgcException {
    synchronized (files) {
      Optional<Ak> ak = stored();
      if (ak.isEmpty()) {
        return Optional.empty();
      }
      Optional<byte[]> data = read(chainFile);
      if (data.isEmpty()) {
        return Optional.empty();
      }
      String remedy = "delete " + chainFile + " and enrol the attestation key again (provision again)";
      byte[] body = FramedFile.open(chainFile, data.get(), CHAIN_MAGIC, VERSION, remedy).body();
      AttestationFiles.Reader r = new AttestationFiles.Reader(chainFile, body, remedy);
      byte[] akName = r.bytes("the AK name", 64);
      int count = r.u8("the certificate count");
      if (count == 0 || count > MAX_CHAIN) {
        throw FramedFile.corrupted(chainFile, "it holds " + count + " certificates", remedy);
      }
      List<X509Certificate> chain = new ArrayList<>();
      try {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (int i = 0; i < count; i++) {
          chain.add((X509Certificate) factory.generateCertificate(
              new ByteArrayInputStream(r.bytes("certificate " + i, MAX_CERTIFICATE))));
        }
      } catch (CertificateException | ClassCastException e) {
        throw new ContainerCorruptedException(ErrorCode.CONTAINER_CORRUPTED,
            "File " + chainFile + " is not usable: a certificate does not parse", remedy, e);
      }
      r.end();
      if (!MessageDigest.isEqual(akName, ak.get().name())) {
        log.debug("the installed AK certificate chain is for an earlier attestation key; ignoring it");
        return Optional.empty();
      }
      return Optional.of(List.copyOf(chain));
    }
  }

  /**
   * Installs the chain the directory issued for the current AK.
   *
   * @param chain the chain, AK certificate first
   * @throws NgcException {@code ATTESTATION_INVALID} if the chain is empty, too long, or its first certificate is
   *     not for the current AK; {@code STORAGE_FAILURE}
   */
  void installChain(List<X509Certificate> chain) throws NgcException {
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty() || chain.size() > MAX_CHAIN) {
      throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
          "An attestation key certificate chain must hold 1 to " + MAX_CHAIN + " certificates, not " + chain.size(),
          "install the chain the directory returned for this device's attestation key, AK certificate first", null);
    }
    synchronized (files) {
      Optional<Ak> ak = stored();
      if (ak.isEmpty()) {
        throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
            "This device has no attestation key (for its current storage root key), so no chain can certify it",
            "enrol again: read attestationKeyPublicArea() (which makes the key), have the directory certify it, "
                + "then install the chain it returns",
            null);
      }
      X509Certificate leaf = Objects.requireNonNull(chain.get(0), "chain[0]");
      if (!TpmStructures.sameRsaKey(leaf.getPublicKey(), ak.get().key())) {
        throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
            "The first certificate of the chain (subject '" + leaf.getSubjectX500Principal() + "', serial "
                + leaf.getSerialNumber().toString(16) + ") does not certify this device's attestation key",
            "install the chain the directory issued for this device's attestation key (a chain for another device or "
                + "an earlier key does not fit); enrol again if the key was replaced",
            null);
      }
      ByteWriter w = new ByteWriter().bytes(ak.get().name()).u8(chain.size());
      for (X509Certificate c : chain) {
        try {
          w.bytes(Objects.requireNonNull(c, "certificate").getEncoded());
        } catch (CertificateEncodingException e) {
          throw new AttestationException(ErrorCode.ATTESTATION_INVALID, "A certificate of the chain cannot be encoded",
              "install the chain exactly as the directory returned it", e);
        }
      }
      try {
        AttestationFiles.replace(chainFile, FramedFile.seal(CHAIN_MAGIC, VERSION, w.toByteArray()));
      } catch (IOException e) {
        throw storageFailure("Could not write the attestation key's certificate chain " + chainFile, e);
      }
      log.info("Installed the attestation key's certificate chain ({} certificates, issuer '{}')", chain.size(),
          leaf.getIssuerX500Principal());
    }
  }

  private static Optional<byte[]> read(Path file) throws NgcException {
    try {
      return AttestationFiles.read(file);
    } catch (IOException e) {
      throw storageFailure("Could not read " + file, e);
    }
  }

  static NgcException storageFailure(String detail, IOException cause) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, detail + ": " + cause, cause);
  }

  @Override
  public String toString() {
    return "AttestationKeyStore[" + akFile.getParent() + "]";
  }
}
