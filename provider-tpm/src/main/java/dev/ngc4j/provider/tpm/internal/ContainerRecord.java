package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ContainerHeader;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.ProtectorHeader;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.provider.support.StoredContainer;
import dev.ngc4j.provider.support.StoredPinPolicy;
import dev.ngc4j.provider.support.StoredProtector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code container.ngc} ({@link FramedFile} {@value #MAGIC}, version {@value #VERSION}):
 *
 * <pre>
 * str      container id                                                  } {@link ContainerHeader}
 * str      user principal name                                           }
 * instant  created                                                       }
 * bytes    name of the storage root key the blobs were made under
 * bytes    the user key's public area (TPMT_PUBLIC)
 * policy   u8 min length, u8 max length, str digits, str lowercase, str uppercase, str special, u8 trivial allowed
 * u16      protector count, then per protector:                          ({@link ProtectorList})
 *   str id, str kind (PIN | BIOMETRIC), str modality ("" for a PIN), instant created,
 *   bytes salt (32) of its authValue derivation,
 *   bytes the user key's private area (TPM2B_PRIVATE) under this protector's authValue,
 *   BIOMETRIC only: bytes sealed object public area, bytes sealed object private area
 * </pre>
 *
 * <p>Byte strings are at most {@value #MAX_BYTES} bytes (TPM blobs are under 1 KiB).
 *
 * <p>Each protector holds its own private blob of the same user key, made with TPM2_ObjectChangeAuth: the PIN
 * blob's authValue derives from the PIN; a biometric blob's authValue is a random value sealed in a TPM
 * sealed-data object whose own authValue derives from the biometric secret. None of these values is stored.
 *
 * <p>Thread safety: immutable (arrays are never modified or handed out).
 */
final class ContainerRecord implements StoredContainer {
  static final String MAGIC = "NGC4JTPC";
  static final int VERSION = 1;
  /** The longest byte string of this provider's files. */
  static final int MAX_BYTES = 16 * 1024;
  /** No container file of this provider comes near this; larger means damaged or foreign. */
  static final int MAX_FILE_LENGTH = 256 * 1024;
  private static final int MAX_PROTECTORS = 16;

  final ContainerId id;
  final UserPrincipal user;
  final Instant created;
  private final byte[] srkName;
  private final byte[] keyPublic;
  final PinPolicy policy;
  final ProtectorList<Protector> protectors;

  /** One protector as stored. */
  static final class Protector implements StoredProtector {
    final ProtectorHeader header;
    private final byte[] salt;
    private final byte[] keyPrivate;
    private final byte @Nullable [] sealedPublic;
    private final byte @Nullable [] sealedPrivate;

    Protector(ProtectorHeader header, byte[] salt, byte[] keyPrivate, byte @Nullable [] sealedPublic,
        byte @Nullable [] sealedPrivate) {
      if ((header.kind() == GestureKind.BIOMETRIC) != (sealedPublic != null && sealedPrivate != null)) {
        throw new IllegalArgumentException("exactly biometric protectors have a sealed object");
      }
      this.header = header;
      this.salt = salt.clone();
      this.keyPrivate = keyPrivate.clone();
      this.sealedPublic = sealedPublic == null ? null : sealedPublic.clone();
      this.sealedPrivate = sealedPrivate == null ? null : sealedPrivate.clone();
    }

    static Protector pin(String id, Instant created, byte[] salt, byte[] keyPrivate) {
      return new Protector(ProtectorHeader.pin(id, created), salt, keyPrivate, null, null);
    }

    static Protector biometric(String id, String modality, Instant created, byte[] salt, byte[] keyPrivate,
        KeyBlob sealed) {
      return new Protector(ProtectorHeader.biometric(id, modality, created), salt, keyPrivate, sealed.publicArea(),
          sealed.privateArea());
    }

    @Override
    public ProtectorHeader header() {
      return header;
    }

    byte[] salt() {
      return salt.clone();
    }

    /** The user key's blob for this protector. */
    KeyBlob key(byte[] keyPublic) {
      return new KeyBlob(keyPublic, keyPrivate);
    }

    /** The sealed object of a biometric protector. */
    KeyBlob sealed() {
      byte[] pub = sealedPublic;
      byte[] priv = sealedPrivate;
      if (pub == null || priv == null) {
        throw new IllegalStateException("protector " + id() + " has no sealed object");
      }
      return new KeyBlob(pub, priv);
    }

    @Override
    public void writeTo(ByteWriter w) {
      header.writeTo(w).bytes(salt).bytes(keyPrivate);
      byte[] pub = sealedPublic;
      byte[] priv = sealedPrivate;
      if (pub != null && priv != null) {
        w.bytes(pub).bytes(priv);
      }
    }

    static Protector readFrom(ByteReader r) throws ByteReader.MalformedException {
      ProtectorHeader header = ProtectorHeader.readFrom(r);
      byte[] salt = r.bytes(AuthValues.SALT_LENGTH);
      byte[] keyPrivate = r.bytes();
      if (keyPrivate.length == 0) {
        throw new ByteReader.MalformedException("empty key blob in protector " + header.id());
      }
      if (header.kind() == GestureKind.PIN) {
        return new Protector(header, salt, keyPrivate, null, null);
      }
      byte[] sealedPublic = r.bytes();
      byte[] sealedPrivate = r.bytes();
      return new Protector(header, salt, keyPrivate, sealedPublic, sealedPrivate);
    }

    /** Whether this protector's stored bytes include {@code blob} (for tests that a blob is gone). */
    boolean holds(byte[] blob) {
      return Arrays.equals(keyPrivate, blob) || Arrays.equals(sealedPrivate, blob);
    }
  }

  ContainerRecord(ContainerId id, UserPrincipal user, Instant created, byte[] srkName, byte[] keyPublic,
      PinPolicy policy, ProtectorList<Protector> protectors) {
    this.id = id;
    this.user = user;
    this.created = created;
    this.srkName = srkName.clone();
    this.keyPublic = keyPublic.clone();
    this.policy = policy;
    this.protectors = protectors;
  }

  @Override
  public ContainerId id() {
    return id;
  }

  byte[] srkName() {
    return srkName.clone();
  }

  byte[] keyPublic() {
    return keyPublic.clone();
  }

  /** A copy with the protector of the same id replaced, or appended. */
  ContainerRecord with(Protector protector) {
    return new ContainerRecord(id, user, created, srkName, keyPublic, policy, protectors.with(protector));
  }

  @Override
  public byte[] encode() {
    ByteWriter w = new ContainerHeader(id, user, created).writeTo(new ByteWriter(MAX_BYTES)).bytes(srkName)
        .bytes(keyPublic);
    StoredPinPolicy.of(policy).writeTo(w);
    protectors.writeTo(w);
    return FramedFile.seal(MAGIC, VERSION, w.toByteArray());
  }

  static ContainerRecord decode(Path file, byte[] data) throws ContainerCorruptedException {
    ByteReader r = new ByteReader(FramedFile.open(file, data, MAGIC, VERSION).body(), MAX_BYTES);
    try {
      ContainerHeader header = ContainerHeader.readFrom(r);
      byte[] srkName = r.bytes();
      byte[] keyPublic = r.bytes();
      PinPolicy policy = StoredPinPolicy.readFrom(r).toPolicy();
      ProtectorList<Protector> protectors = ProtectorList.readFrom(r, MAX_PROTECTORS, Protector::readFrom);
      r.expectEnd();
      return new ContainerRecord(header.id(), header.user(), header.created(), srkName, keyPublic, policy,
          protectors);
    } catch (ByteReader.MalformedException e) {
      throw FramedFile.corrupted(file, e.reason());
    }
  }
}
