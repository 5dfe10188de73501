package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.UserPrincipal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The content of {@code container.ngc}, format version 1. Body, after the {@link SealedFile} header:
 *
 * <pre>
 * str     container id               (u16 length + UTF-8)
 * str     user principal name
 * instant created                    (i64 epoch seconds + i32 nanoseconds)
 * bytes   public key, X.509 SubjectPublicKeyInfo DER   (u32 length + bytes)
 * policy  u8 min length, u8 max length, str digits, str lower, str upper, str special, u8 trivial allowed
 * str     key encryption, "aes-256-gcm"
 * bytes   nonce (12)
 * bytes   PKCS#8 private key encrypted under the container key, with the 16-byte tag;
 *         AAD = "ngc4j/software/key/v1" | id | user | public key
 * u16     number of protectors, then each:
 *   str id, str kind (PIN | BIOMETRIC), str modality ("" for PIN), instant created,
 *   str kdf ("argon2id-v19" followed by i32 memory KiB, i32 iterations, i32 parallelism | "hkdf-sha256"),
 *   bytes salt (32), bytes nonce (12), bytes container key wrapped with AES-256-GCM (32 + 16);
 *   AAD = "ngc4j/software/wrap/v1" | id | protector id
 * </pre>
 *
 * <p>Thread safety: immutable after construction (the arrays are never handed out or modified).
 */
final class ContainerRecord {
  static final String MAGIC = "NGC4JSWC";
  static final int VERSION = 1;
  static final String KEY_ENCRYPTION = "aes-256-gcm";
  private static final int MAX_PROTECTORS = 64;

  final ContainerId id;
  final UserPrincipal user;
  final Instant created;
  final byte[] publicKey;
  final PolicyRecord policy;
  final byte[] keyNonce;
  final byte[] encryptedKey;
  final List<ProtectorRecord> protectors;

  ContainerRecord(
      ContainerId id,
      UserPrincipal user,
      Instant created,
      byte[] publicKey,
      PolicyRecord policy,
      byte[] keyNonce,
      byte[] encryptedKey,
      List<ProtectorRecord> protectors) {
    this.id = id;
    this.user = user;
    this.created = created;
    this.publicKey = publicKey;
    this.policy = policy;
    this.keyNonce = keyNonce;
    this.encryptedKey = encryptedKey;
    this.protectors = List.copyOf(protectors);
  }

  Optional<ProtectorRecord> pinProtector() {
    return protectors.stream().filter(p -> p.kind == GestureKind.PIN).findFirst();
  }

  List<ProtectorRecord> biometricProtectors() {
    return protectors.stream().filter(p -> p.kind == GestureKind.BIOMETRIC).toList();
  }

  /** Returns a copy with the protector of the same id replaced, or with the protector appended. */
  ContainerRecord withProtector(ProtectorRecord protector) {
    List<ProtectorRecord> list = new ArrayList<>(protectors);
    boolean replaced = false;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).id.equals(protector.id)) {
        list.set(i, protector);
        replaced = true;
      }
    }
    if (!replaced) {
      list.add(protector);
    }
    return new ContainerRecord(id, user, created, publicKey, policy, keyNonce, encryptedKey, list);
  }

  byte[] encode() {
    ByteWriter w = new ByteWriter()
        .str(id.value())
        .str(user.upn())
        .instant(created)
        .bytes(publicKey);
    policy.writeTo(w);
    w.str(KEY_ENCRYPTION).bytes(keyNonce).bytes(encryptedKey).u16(protectors.size());
    for (ProtectorRecord p : protectors) {
      p.writeTo(w);
    }
    return SealedFile.seal(MAGIC, VERSION, w.toByteArray());
  }

  static ContainerRecord decode(Path file, byte[] data) throws ContainerCorruptedException {
    SealedFile.Opened opened = SealedFile.open(file, data, MAGIC, VERSION);
    ByteReader r = new ByteReader(opened.body());
    try {
      ContainerId id = parse(r.str(), ContainerId::of, "container id");
      UserPrincipal user = parse(r.str(), UserPrincipal::of, "user principal name");
      Instant created = r.instant();
      byte[] publicKey = r.bytes();
      PolicyRecord policy = PolicyRecord.readFrom(r);
      if (!KEY_ENCRYPTION.equals(r.str())) {
        throw new ByteReader.MalformedException("unknown key encryption");
      }
      byte[] nonce = r.bytes(Aead.NONCE_LENGTH);
      byte[] encrypted = r.bytes();
      if (encrypted.length <= Aead.TAG_LENGTH) {
        throw new ByteReader.MalformedException("encrypted key too short");
      }
      int count = r.u16();
      if (count < 1 || count > MAX_PROTECTORS) {
        throw new ByteReader.MalformedException("protector count " + count + " out of range");
      }
      List<ProtectorRecord> protectors = new ArrayList<>(count);
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < count; i++) {
        ProtectorRecord p = ProtectorRecord.readFrom(r);
        if (!ids.add(p.id)) {
          throw new ByteReader.MalformedException("duplicate protector id " + p.id);
        }
        protectors.add(p);
      }
      r.expectEnd();
      return new ContainerRecord(id, user, created, publicKey, policy, nonce, encrypted, protectors);
    } catch (ByteReader.MalformedException e) {
      throw SealedFile.corrupted(file, e.reason());
    }
  }

  private interface Parser<T> {
    T parse(String s);
  }

  private static <T> T parse(String text, Parser<T> parser, String what) throws ByteReader.MalformedException {
    try {
      return parser.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("invalid " + what);
    }
  }
}
