package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ContainerHeader;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.ProtectorHeader;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.provider.support.StoredPinPolicy;
import dev.ngc4j.provider.support.StoredProtector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The record of one container, the value of its CKO_DATA object on the token: a {@link FramedFile} frame with magic
 * {@value #MAGIC}, version {@value #VERSION}, and the body
 *
 * <pre>
 * ContainerHeader   container id, user principal name, created
 * bytes             CKA_ID of the key pair
 * bytes             the public key's SubjectPublicKeyInfo (checked against the token's public key object)
 * StoredPinPolicy   the policy the token PIN must meet for this container
 * ProtectorList     the protectors: one PIN protector (the token's user PIN)
 * </pre>
 *
 * <p>Versioned and length-checked; anything that does not fit is {@code CONTAINER_CORRUPTED}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 */
public final class ContainerRecord {
  /** The frame's magic. */
  public static final String MAGIC = "NGC4JP1C";
  /** The body's format version. */
  public static final int VERSION = 1;
  /** The largest record accepted. */
  public static final int MAX_LENGTH = 16 * 1024;
  private static final String REMEDY =
      "the token object was left untouched; delete the credential (its record on the token) and provision again";

  private final ContainerHeader header;
  private final byte[] keyId;
  private final byte[] publicKeyInfo;
  private final StoredPinPolicy policy;
  private final ProtectorList<Protector> protectors;

  private ContainerRecord(ContainerHeader header, byte[] keyId, byte[] publicKeyInfo, StoredPinPolicy policy,
      ProtectorList<Protector> protectors) {
    this.header = header;
    this.keyId = keyId;
    this.publicKeyInfo = publicKeyInfo;
    this.policy = policy;
    this.protectors = protectors;
  }

  /**
   * Returns the header.
   *
   * @return id, user and creation time
   */
  public ContainerHeader header() {
    return header;
  }

  /**
   * Returns the stored PIN policy.
   *
   * @return the policy
   */
  public StoredPinPolicy policy() {
    return policy;
  }

  /**
   * Returns the protectors.
   *
   * @return the protectors
   */
  public ProtectorList<Protector> protectors() {
    return protectors;
  }

  /**
   * A protector of a token container: only the common header (the token checks the PIN).
   *
   * @param header the header
   */
  public record Protector(ProtectorHeader header) implements StoredProtector {
    @Override
    public void writeTo(ByteWriter w) {
      header.writeTo(w);
    }
  }

  /**
   * Makes the record of a new container.
   *
   * @param id the container
   * @param user its user
   * @param created now
   * @param keyId the key's CKA_ID
   * @param publicKeyInfo the public key's encoding
   * @param policy the PIN policy
   * @return the record
   */
  public static ContainerRecord create(ContainerId id, UserPrincipal user, Instant created, byte[] keyId,
      byte[] publicKeyInfo, PinPolicy policy) {
    return new ContainerRecord(new ContainerHeader(id, user, created), keyId.clone(), publicKeyInfo.clone(),
        StoredPinPolicy.of(policy), ProtectorList.of(List.of(new Protector(ProtectorHeader.pin("pin-1", created)))));
  }

  /**
   * Returns the container id.
   *
   * @return the id
   */
  public ContainerId id() {
    return header.id();
  }

  /**
   * Returns a copy of the CKA_ID.
   *
   * @return the CKA_ID
   */
  public byte[] keyId() {
    return keyId.clone();
  }

  /**
   * Returns a copy of the public key's encoding.
   *
   * @return the SubjectPublicKeyInfo
   */
  public byte[] publicKeyInfo() {
    return publicKeyInfo.clone();
  }

  /**
   * Encodes the record, frame included.
   *
   * @return the bytes
   */
  public byte[] encode() {
    ByteWriter w = new ByteWriter(MAX_LENGTH);
    header.writeTo(w);
    w.bytes(keyId).bytes(publicKeyInfo);
    policy.writeTo(w);
    protectors.writeTo(w);
    return FramedFile.seal(MAGIC, VERSION, w.toByteArray());
  }

  /**
   * Decodes a record and checks it names the expected container.
   *
   * @param where the object, for messages (a pseudo path naming the token and the label)
   * @param data the value
   * @param expected the container it must belong to
   * @return the record
   * @throws ContainerCorruptedException if it is damaged, too large, of an unknown version or another container's
   */
  public static ContainerRecord decode(Path where, byte[] data, ContainerId expected)
      throws ContainerCorruptedException {
    if (data.length > MAX_LENGTH) {
      throw FramedFile.corrupted(where, "it is larger than " + MAX_LENGTH + " bytes", REMEDY);
    }
    ByteReader r = new ByteReader(FramedFile.open(where, data, MAGIC, VERSION, REMEDY).body());
    try {
      ContainerHeader header = ContainerHeader.readFrom(r);
      if (!header.id().equals(expected)) {
        throw new ByteReader.MalformedException("it names another container");
      }
      byte[] keyId = r.boundedBytes(64);
      byte[] spki = r.boundedBytes(1024);
      if (keyId.length == 0 || spki.length == 0) {
        throw new ByteReader.MalformedException("empty key id or public key");
      }
      StoredPinPolicy policy = StoredPinPolicy.readFrom(r);
      ProtectorList<Protector> protectors = ProtectorList.readFrom(r, 1, rd -> new Protector(ProtectorHeader.readFrom(rd)));
      r.expectEnd();
      return new ContainerRecord(header, keyId, spki, policy, protectors);
    } catch (ByteReader.MalformedException e) {
      throw FramedFile.corrupted(where, e.reason(), REMEDY);
    }
  }


  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof ContainerRecord other && header.equals(other.header) && Arrays.equals(keyId, other.keyId)
        && Arrays.equals(publicKeyInfo, other.publicKeyInfo) && policy.equals(other.policy);
  }

  @Override
  public int hashCode() {
    return header.hashCode() * 31 + Arrays.hashCode(keyId);
  }

  @Override
  public String toString() {
    return "ContainerRecord[" + header.id() + ", key " + TokenObjects.hex(keyId) + "]";
  }
}
