package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ContainerHeader;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.provider.support.StoredPinPolicy;
import dev.ngc4j.provider.support.StoredContainer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The content of {@code container.ngc}, format version 1. Body, after the {@link FramedFile} header:
 *
 * <pre>
 * str     container id               (u16 length + UTF-8)           } {@link ContainerHeader}
 * str     user principal name                                        }
 * instant created                    (i64 epoch seconds + i32 nanoseconds)
 * bytes   public key, X.509 SubjectPublicKeyInfo DER   (u32 length + bytes)
 * policy  u8 min length, u8 max length, str digits, str lower, str upper, str special, u8 trivial allowed
 * str     key encryption, "aes-256-gcm"
 * bytes   nonce (12)
 * bytes   PKCS#8 private key encrypted under the container key, with the 16-byte tag;
 *         AAD = "ngc4j/software/key/v1" | id | user | public key
 * u16     number of protectors, then each:                           ({@link ProtectorList})
 *   str id, str kind (PIN | BIOMETRIC), str modality ("" for PIN), instant created,
 *   str kdf ("argon2id-v19" followed by i32 memory KiB, i32 iterations, i32 parallelism | "hkdf-sha256"),
 *   bytes salt (32), bytes nonce (12), bytes container key wrapped with AES-256-GCM (32 + 16);
 *   AAD = "ngc4j/software/wrap/v1" | id | protector id
 * </pre>
 *
 * <p>Thread safety: immutable after construction (the arrays are never handed out or modified).
 */
final class ContainerRecord implements StoredContainer {
  static final String MAGIC = "NGC4JSWC";
  static final int VERSION = 1;
  static final String KEY_ENCRYPTION = "aes-256-gcm";
  /** No container file of this provider is anywhere near this size; larger means damaged or foreign. */
  static final int MAX_FILE_LENGTH = 1024 * 1024;
  private static final int MAX_PROTECTORS = 64;

  final ContainerId id;
  final UserPrincipal user;
  final Instant created;
  final byte[] publicKey;
  final StoredPinPolicy policy;
  final byte[] keyNonce;
  final byte[] encryptedKey;
  final ProtectorList<ProtectorRecord> protectors;

  ContainerRecord(
      ContainerId id,
      UserPrincipal user,
      Instant created,
      byte[] publicKey,
      StoredPinPolicy policy,
      byte[] keyNonce,
      byte[] encryptedKey,
      ProtectorList<ProtectorRecord> protectors) {
    this.id = id;
    this.user = user;
    this.created = created;
    this.publicKey = publicKey;
    this.policy = policy;
    this.keyNonce = keyNonce;
    this.encryptedKey = encryptedKey;
    this.protectors = protectors;
  }

  @Override
  public ContainerId id() {
    return id;
  }

  /** Returns a copy with the protector of the same id replaced, or with the protector appended. */
  ContainerRecord withProtector(ProtectorRecord protector) {
    return new ContainerRecord(
        id, user, created, publicKey, policy, keyNonce, encryptedKey, protectors.with(protector));
  }

  @Override
  public byte[] encode() {
    ByteWriter w = new ContainerHeader(id, user, created).writeTo(new ByteWriter()).bytes(publicKey);
    policy.writeTo(w);
    w.str(KEY_ENCRYPTION).bytes(keyNonce).bytes(encryptedKey);
    protectors.writeTo(w);
    return FramedFile.seal(MAGIC, VERSION, w.toByteArray());
  }

  static ContainerRecord decode(Path file, byte[] data) throws ContainerCorruptedException {
    ByteReader r = new ByteReader(FramedFile.open(file, data, MAGIC, VERSION).body());
    try {
      ContainerHeader header = ContainerHeader.readFrom(r);
      byte[] publicKey = r.bytes();
      StoredPinPolicy policy = StoredPinPolicy.readFrom(r);
      if (!KEY_ENCRYPTION.equals(r.str())) {
        throw new ByteReader.MalformedException("unknown key encryption");
      }
      byte[] nonce = r.bytes(Aead.NONCE_LENGTH);
      byte[] encrypted = r.bytes();
      if (encrypted.length <= Aead.TAG_LENGTH) {
        throw new ByteReader.MalformedException("encrypted key too short");
      }
      ProtectorList<ProtectorRecord> protectors = ProtectorList.readFrom(r, MAX_PROTECTORS, ProtectorRecord::readFrom);
      r.expectEnd();
      return new ContainerRecord(
          header.id(), header.user(), header.created(), publicKey, policy, nonce, encrypted, protectors);
    } catch (ByteReader.MalformedException e) {
      throw FramedFile.corrupted(file, e.reason());
    }
  }
}
