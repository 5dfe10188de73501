package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserPrincipal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code container.ngc} ({@link FramedFile} {@value #MAGIC}, version {@value #VERSION}):
 *
 * <pre>
 * str      container id
 * str      user principal name
 * instant  created
 * bytes    name of the storage root key the blobs were made under
 * bytes    the user key's public area (TPMT_PUBLIC)
 * policy   u8 min length, u8 max length, str digits, str lowercase, str uppercase, str special, u8 trivial allowed
 * u16      protector count, then per protector:
 *   str id, str kind (PIN | BIOMETRIC), str modality ("" for a PIN), instant created,
 *   bytes salt (32) of its authValue derivation,
 *   bytes the user key's private area (TPM2B_PRIVATE) under this protector's authValue,
 *   BIOMETRIC only: bytes sealed object public area, bytes sealed object private area
 * </pre>
 *
 * <p>Each protector holds its own private blob of the same user key, made with TPM2_ObjectChangeAuth: the PIN
 * blob's authValue derives from the PIN; a biometric blob's authValue is a random value sealed in a TPM
 * sealed-data object whose own authValue derives from the biometric secret. None of these values is stored.
 *
 * <p>Thread safety: immutable (arrays are never modified or handed out).
 */
final class ContainerRecord {
  static final String MAGIC = "NGC4JTPC";
  static final int VERSION = 1;
  private static final int MAX_PROTECTORS = 16;

  final ContainerId id;
  final UserPrincipal user;
  final Instant created;
  private final byte[] srkName;
  private final byte[] keyPublic;
  final PinPolicy policy;
  final List<Protector> protectors;

  /** One protector as stored. */
  static final class Protector {
    final String id;
    final GestureKind kind;
    final Optional<String> modality;
    final Instant created;
    private final byte[] salt;
    private final byte[] keyPrivate;
    private final byte @Nullable [] sealedPublic;
    private final byte @Nullable [] sealedPrivate;

    Protector(String id, GestureKind kind, Optional<String> modality, Instant created, byte[] salt, byte[] keyPrivate,
        byte @Nullable [] sealedPublic, byte @Nullable [] sealedPrivate) {
      if ((kind == GestureKind.BIOMETRIC) != (sealedPublic != null && sealedPrivate != null)) {
        throw new IllegalArgumentException("exactly biometric protectors have a sealed object");
      }
      this.id = id;
      this.kind = kind;
      this.modality = modality;
      this.created = created;
      this.salt = salt.clone();
      this.keyPrivate = keyPrivate.clone();
      this.sealedPublic = sealedPublic == null ? null : sealedPublic.clone();
      this.sealedPrivate = sealedPrivate == null ? null : sealedPrivate.clone();
    }

    static Protector pin(String id, Instant created, byte[] salt, byte[] keyPrivate) {
      return new Protector(id, GestureKind.PIN, Optional.empty(), created, salt, keyPrivate, null, null);
    }

    static Protector biometric(String id, String modality, Instant created, byte[] salt, byte[] keyPrivate,
        KeyBlob sealed) {
      return new Protector(id, GestureKind.BIOMETRIC, Optional.of(modality), created, salt, keyPrivate,
          sealed.publicArea(), sealed.privateArea());
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
        throw new IllegalStateException("protector " + id + " has no sealed object");
      }
      return new KeyBlob(pub, priv);
    }

    ProtectorInfo info() {
      return new ProtectorInfo(id, kind, modality, created);
    }

    void writeTo(Codec.Writer w) {
      w.str(id).str(kind.name()).str(modality.orElse("")).instant(created).bytes(salt).bytes(keyPrivate);
      byte[] pub = sealedPublic;
      byte[] priv = sealedPrivate;
      if (pub != null && priv != null) {
        w.bytes(pub).bytes(priv);
      }
    }

    static Protector readFrom(Codec.Reader r) throws Codec.MalformedException {
      String id = r.str();
      if (id.isEmpty()) {
        throw new Codec.MalformedException("empty protector id");
      }
      GestureKind kind;
      try {
        kind = GestureKind.valueOf(r.str());
      } catch (IllegalArgumentException e) {
        throw new Codec.MalformedException("unknown gesture kind in protector " + id);
      }
      String modality = r.str();
      if ((kind == GestureKind.BIOMETRIC) == modality.isEmpty()) {
        throw new Codec.MalformedException("modality does not fit the kind of protector " + id);
      }
      Instant created = r.instant();
      byte[] salt = r.bytes(AuthValues.SALT_LENGTH);
      byte[] keyPrivate = r.bytes();
      if (keyPrivate.length == 0) {
        throw new Codec.MalformedException("empty key blob in protector " + id);
      }
      if (kind == GestureKind.PIN) {
        return pin(id, created, salt, keyPrivate);
      }
      byte[] sealedPublic = r.bytes();
      byte[] sealedPrivate = r.bytes();
      return new Protector(id, kind, Optional.of(modality), created, salt, keyPrivate, sealedPublic, sealedPrivate);
    }

    /** Whether this protector's stored bytes include {@code blob} (for tests that a blob is gone). */
    boolean holds(byte[] blob) {
      return java.util.Arrays.equals(keyPrivate, blob) || java.util.Arrays.equals(sealedPrivate, blob);
    }
  }

  ContainerRecord(ContainerId id, UserPrincipal user, Instant created, byte[] srkName, byte[] keyPublic,
      PinPolicy policy, List<Protector> protectors) {
    this.id = id;
    this.user = user;
    this.created = created;
    this.srkName = srkName.clone();
    this.keyPublic = keyPublic.clone();
    this.policy = policy;
    this.protectors = List.copyOf(protectors);
  }

  byte[] srkName() {
    return srkName.clone();
  }

  byte[] keyPublic() {
    return keyPublic.clone();
  }

  Optional<Protector> pinProtector() {
    return protectors.stream().filter(p -> p.kind == GestureKind.PIN).findFirst();
  }

  List<Protector> biometricProtectors() {
    return protectors.stream().filter(p -> p.kind == GestureKind.BIOMETRIC).toList();
  }

  /** A copy with the protector of the same id replaced, or appended. */
  ContainerRecord with(Protector protector) {
    List<Protector> list = new ArrayList<>(protectors);
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
    return new ContainerRecord(id, user, created, srkName, keyPublic, policy, list);
  }

  byte[] encode() {
    Codec.Writer w = new Codec.Writer().str(id.value()).str(user.upn()).instant(created).bytes(srkName)
        .bytes(keyPublic);
    w.u8(policy.minLength()).u8(policy.maxLength()).str(policy.digits().name()).str(policy.lowercase().name())
        .str(policy.uppercase().name()).str(policy.special().name()).bool(policy.allowTrivial());
    w.u16(protectors.size());
    for (Protector p : protectors) {
      p.writeTo(w);
    }
    return FramedFile.frame(MAGIC, VERSION, w.toByteArray());
  }

  static ContainerRecord decode(Path file, byte[] data) throws ContainerCorruptedException {
    Codec.Reader r = new Codec.Reader(FramedFile.unframe(file, data, MAGIC, VERSION));
    try {
      ContainerId id;
      UserPrincipal user;
      try {
        id = ContainerId.of(r.str());
        user = UserPrincipal.of(r.str());
      } catch (IllegalArgumentException e) {
        throw new Codec.MalformedException("invalid container id or user principal name");
      }
      Instant created = r.instant();
      byte[] srkName = r.bytes();
      byte[] keyPublic = r.bytes();
      PinPolicy policy;
      try {
        int min = r.u8();
        int max = r.u8();
        policy = PinPolicy.builder()
            .length(min, max)
            .digits(PinPolicy.Requirement.valueOf(r.str()))
            .lowercase(PinPolicy.Requirement.valueOf(r.str()))
            .uppercase(PinPolicy.Requirement.valueOf(r.str()))
            .special(PinPolicy.Requirement.valueOf(r.str()))
            .allowTrivial(r.bool())
            .build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new Codec.MalformedException("the stored PIN policy is invalid");
      }
      int count = r.u16();
      if (count < 1 || count > MAX_PROTECTORS) {
        throw new Codec.MalformedException("protector count " + count + " out of range");
      }
      List<Protector> protectors = new ArrayList<>(count);
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < count; i++) {
        Protector p = Protector.readFrom(r);
        if (!ids.add(p.id)) {
          throw new Codec.MalformedException("duplicate protector id " + p.id);
        }
        protectors.add(p);
      }
      r.end();
      return new ContainerRecord(id, user, created, srkName, keyPublic, policy, protectors);
    } catch (Codec.MalformedException e) {
      throw FramedFile.corrupted(file, e.reason());
    }
  }
}
