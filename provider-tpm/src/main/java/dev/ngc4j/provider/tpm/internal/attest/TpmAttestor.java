package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.session.CertifyResult;
import dev.ngc4j.provider.tpm.internal.session.LoadedObject;
import dev.ngc4j.provider.tpm.internal.session.SecureCommands;
import dev.ngc4j.provider.tpm.internal.session.TpmCommandException;
import dev.ngc4j.provider.tpm.internal.session.TpmIntegrityException;
import dev.ngc4j.provider.tpm.internal.session.TpmResponseCodes;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.KeyContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.ReadPublicResponse;
import tss.tpm.TPMS_SIGNATURE_RSASSA;
import tss.tpm.TPMT_SIGNATURE;
import tss.tpm.TPM_HANDLE;

/**
 * The TPM provider's attestor. A TPM key is certified once, while its container is created: TPM2_Certify needs the
 * key's authorisation, which only exists while the user's gesture is at hand. {@link #certifyNewKey} runs then
 * (called by the container store with {@link dev.ngc4j.spi.ContainerSpec#attestationChallenge()}) and its result
 * is stored with the container; {@link #attest} returns that statement, with the AK certificate chain installed
 * through {@link #keyEnrollment()}, when asked for the same challenge.
 *
 * <h2>Certify at creation</h2>
 *
 * <p>Under the connection's lock: the SRK's public area (read once and checked against the SRK name recorded when
 * the provider opened) salts a single-use HMAC session; the new key and the AK are loaded under the SRK (with the
 * SRK, three object slots); TPM2_Certify runs in that session ({@link SecureCommands#certify}: the key's authValue
 * only keys the HMAC and the challenge and the attestation travel encrypted), with the AK signing under its empty
 * password; both keys are flushed. The statement is then checked as a verifier would check it (magic, type,
 * extraData, certified name, RSASSA-SHA256 signature by the AK) before it is kept.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class TpmAttestor implements Attestor {
  /** The file, in a container's directory, holding the statement made when the container was created. */
  public static final String CERTIFIED_KEY_FILE = "attestation.ngc";
  private static final String PROVISION_AGAIN =
      "a TPM key is certified at enrolment, with the directory's nonce; provision again to attest";
  private static final Logger log = LoggerFactory.getLogger(TpmAttestor.class);

  private final TpmConnection connection;
  private final SrkHandle srkHandle;
  private final byte[] srkName;
  private final ContainerDirectories containers;
  private final AttestationKeyStore keys;
  private final TpmKeyEnrollment enrollment;
  private final SecureRandom random = new SecureRandom();
  private volatile byte @Nullable [] srkPublicArea;

  /**
   * Makes the attestor of an open provider session.
   *
   * @param connection the session's TPM connection
   * @param srkHandle gives the SRK's handle (called under the connection's lock)
   * @param srkName the SRK's name as recorded when the session opened
   * @param dataDirectory the provider's data directory (the AK and its chain go into {@code attestation/})
   * @param containers finds a container's directory
   */
  public TpmAttestor(TpmConnection connection, SrkHandle srkHandle, byte[] srkName, Path dataDirectory,
      ContainerDirectories containers) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.srkHandle = Objects.requireNonNull(srkHandle, "srkHandle");
    this.srkName = srkName.clone();
    this.containers = Objects.requireNonNull(containers, "containers");
    this.keys = new AttestationKeyStore(connection, srkName, dataDirectory);
    this.enrollment = new TpmKeyEnrollment(connection, srkHandle, keys, random);
  }

  /**
   * Checks that a challenge can be certified (before the user is asked for a gesture): 1 to 64 bytes.
   *
   * @param challenge the attestation challenge of a container spec
   * @throws AttestationException {@code ATTESTATION_UNSUPPORTED} if it is empty or longer than 64 bytes
   */
  public static void checkChallenge(Bytes challenge) throws AttestationException {
    int n = challenge.length();
    if (n == 0 || n > TpmStructures.MAX_QUALIFYING_DATA) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "A TPM certifies a key with 1 to " + TpmStructures.MAX_QUALIFYING_DATA
              + " bytes of qualifying data; the attestation challenge has " + n,
          "use a digest of the directory's nonce (SHA-256, 32 bytes) as the challenge", null);
    }
  }

  /**
   * Certifies a new user key with the AK (making the AK if this device has none yet) and returns the file to store
   * in the container's directory as {@value #CERTIFIED_KEY_FILE}.
   *
   * @param keyPublic the key's marshalled TPMT_PUBLIC
   * @param keyPrivate a private blob of the key (under the SRK); not modified
   * @param keyAuth the authValue that blob opens with; not modified, not kept
   * @param challenge the qualifying data
   * @return the encoded statement
   * @throws NgcException {@code ATTESTATION_UNSUPPORTED} for an unusable challenge; {@code ATTESTATION_INVALID} if
   *     the TPM's answer does not verify; {@code LOCKED_OUT} if the TPM is in dictionary-attack lockout;
   *     {@code PROVIDER_UNAVAILABLE}; {@code STORAGE_FAILURE} if a new AK cannot be stored
   */
  public byte[] certifyNewKey(byte[] keyPublic, byte[] keyPrivate, byte[] keyAuth, Bytes challenge)
      throws NgcException {
    checkChallenge(challenge);
    byte[] qualifyingData = challenge.toByteArray();
    long start = System.nanoTime();
    CertifiedKey certified = connection.call("certifying a new key with the attestation key",
        t -> certify(t, keyPublic, keyPrivate, keyAuth, qualifyingData));
    try {
      TpmStructures.checkStatement(certified.certInfo(), certified.pubArea(), certified.signature(), qualifyingData,
          TpmStructures.checkAk(certified.akPublicArea()));
    } catch (IllegalArgumentException e) {
      throw new AttestationException(ErrorCode.ATTESTATION_INVALID,
          "The TPM's TPM2_Certify answer does not verify: " + e.getMessage(),
          "check the TPM's health (TPM2_GetTestResult) and that nothing alters its answers; this is unexpected", e);
    }
    log.debug("certified a new key with the attestation key in {} ms", (System.nanoTime() - start) / 1_000_000);
    return certified.encode();
  }

  private CertifiedKey certify(Tpm t, byte[] keyPublic, byte[] keyPrivate, byte[] keyAuth, byte[] qualifyingData)
      throws NgcException {
    int srk = srkHandle.get();
    LoadedObject salt = saltKey(t, srk);
    AttestationKeyStore.Ak ak = keys.current(t, srk);
    TPM_HANDLE key;
    try {
      key = TpmOps.load(connection, t, srk, keyPublic, keyPrivate, "the new key");
    } catch (TpmOps.LoadRefused e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM refused to load the new key for TPM2_Certify (" + e.getMessage() + ")",
          "take another key from the pool; if it recurs, check the TPM's health", null);
    }
    try {
      TPM_HANDLE akHandle = enrollment.loadAk(t, srk, ak);
      try {
        CertifyResult r;
        try {
          r = SecureCommands.certify(connection.raw(), salt, random, LoadedObject.of(key.handle, keyPublic),
              keyAuth, LoadedObject.of(akHandle.handle, ak.publicArea()), qualifyingData);
        } catch (TpmCommandException e) {
          if (e.isWrongAuth()) {
            throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
                "The TPM refused the new key's own authorisation value in TPM2_Certify ("
                    + TpmResponseCodes.describe(e.responseCode()) + ")",
                "take another key from the pool; if it recurs, check the TPM's health", e);
          }
          throw e;
        } catch (TpmIntegrityException e) {
          throw e;
        } catch (NgcException e) {
          throw TpmConnection.unwrap(e);
        }
        return new CertifiedKey(qualifyingData, r.certifyInfo(), keyPublic, rsassa(r.signature()),
            ak.publicArea());
      } finally {
        TpmOps.flush(connection, t, akHandle);
      }
    } finally {
      TpmOps.flush(connection, t, key);
    }
  }

  /** The SRK as the salt key: its public area read once and checked against the name recorded at open. */
  private LoadedObject saltKey(Tpm t, int srk) throws NgcException {
    byte[] area = srkPublicArea;
    if (area == null) {
      ReadPublicResponse r = t._allowErrors().ReadPublic(TPM_HANDLE.from(srk));
      int rc = connection.lastResponseCode();
      if (rc != TpmResponseCodes.SUCCESS || r == null || r.outPublic == null) {
        throw TpmOps.failure("TPM2_ReadPublic of the storage root key", rc);
      }
      area = r.outPublic.toBytes();
      if (!MessageDigest.isEqual(LoadedObject.of(srk, area).name(), srkName)) {
        throw new TpmIntegrityException(
            "The storage root key's public area does not match the name it had when the provider opened", null);
      }
      srkPublicArea = area;
    }
    return LoadedObject.of(srk, area);
  }

  private static byte[] rsassa(TPMT_SIGNATURE signature) throws TpmIntegrityException {
    if (!(signature.signature instanceof TPMS_SIGNATURE_RSASSA rsa) || rsa.hash == null
        || rsa.hash.toInt() != TpmStructures.ALG_SHA256 || rsa.sig == null || rsa.sig.length != 256) {
      throw new TpmIntegrityException("TPM2_Certify returned a signature that is not RSASSA-SHA256 with RSA-2048",
          null);
    }
    return rsa.sig.clone();
  }

  /**
   * Returns the statement made when the container was created, if {@code qualifyingData} is the challenge it was
   * made with.
   *
   * @param container a container of this provider session
   * @param qualifyingData the challenge given when the container was created
   * @return the statement: format {@code tpm}, the AK certificate chain, the TPMS_ATTEST, the key's TPMT_PUBLIC and
   *     the AK's RSASSA signature
   * @throws NgcException {@code ATTESTATION_UNSUPPORTED} when no AK certificate is installed, the container was
   *     created without a challenge or with another one, or the AK was replaced since; {@code CONTAINER_CORRUPTED},
   *     {@code CONTAINER_NOT_FOUND}, {@code STORAGE_FAILURE}
   * @throws IllegalArgumentException if the container is not from this provider session
   */
  @Override
  public AttestationStatement attest(KeyContainer container, Bytes qualifyingData) throws NgcException {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(qualifyingData, "qualifyingData");
    Path dir = containers.of(container);
    Optional<List<X509Certificate>> chain = keys.chain();
    if (chain.isEmpty()) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "No certificate is installed for this device's TPM attestation key",
          "enrol the attestation key with the directory first (Attestor.keyEnrollment(); Ngc4j.provision does it "
              + "when the directory takes attestation), then provision again",
          null);
    }
    Path file = dir.resolve(CERTIFIED_KEY_FILE);
    Optional<byte[]> data;
    try {
      data = AttestationFiles.read(file);
    } catch (IOException e) {
      throw AttestationKeyStore.storageFailure("Could not read " + file, e);
    }
    if (data.isEmpty()) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new ContainerNotFoundException("TPM container " + container.id() + " was deleted");
      }
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "TPM container " + container.id() + " was created without an attestation challenge", PROVISION_AGAIN, null);
    }
    CertifiedKey certified = CertifiedKey.decode(file, data.get());
    if (!MessageDigest.isEqual(certified.challenge(), qualifyingData.toByteArray())) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "TPM container " + container.id() + " was certified with another challenge than the "
              + qualifyingData.length() + " bytes of qualifying data asked for",
          PROVISION_AGAIN, null);
    }
    RSAPublicKey certifiedKey;
    RSAPublicKey signer;
    try {
      certifiedKey = TpmStructures.rsaKey(certified.pubArea());
      signer = TpmStructures.rsaKey(certified.akPublicArea());
    } catch (IllegalArgumentException e) {
      throw new ContainerCorruptedException(ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " is not usable: " + e.getMessage(), "delete the credential and provision it again", e);
    }
    if (!TpmStructures.sameRsaKey(certifiedKey, container.publicKey())) {
      throw new ContainerCorruptedException(ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " certifies another key than the container's", "delete the credential and provision it "
              + "again", null);
    }
    if (!TpmStructures.sameRsaKey(chain.get().get(0).getPublicKey(), signer)) {
      throw new AttestationException(ErrorCode.ATTESTATION_UNSUPPORTED,
          "TPM container " + container.id() + " was certified by an earlier attestation key than the one whose "
              + "certificate is installed (the attestation key was replaced, for example after a TPM clear)",
          PROVISION_AGAIN, null);
    }
    return new AttestationStatement(AttestationFormat.TPM, chain.get(), Bytes.of(certified.certInfo()),
        Bytes.of(certified.pubArea()), Bytes.of(certified.signature()));
  }

  /**
   * Returns the AK enrolment: EK certificate and public area, AK public area, credential activation, AK chain.
   *
   * @return the enrolment
   */
  @Override
  public Optional<AttestationKeyEnrollment> keyEnrollment() {
    return Optional.of(enrollment);
  }

  @Override
  public String toString() {
    return "TpmAttestor[" + connection.settings().device() + "]";
  }
}
