package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.GestureKind;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ProtectorHeader;
import dev.ngc4j.provider.support.StoredProtector;
import org.jspecify.annotations.Nullable;

/**
 * One protector as stored: its {@link ProtectorHeader} (which gesture opens it), how its key is derived (KDF name,
 * Argon2 parameters, salt) and the container key wrapped under it with AES-256-GCM.
 *
 * <p>Thread safety: immutable after construction (the arrays are never handed out or modified).
 */
final class ProtectorRecord implements StoredProtector {
  static final String KDF_ARGON2ID = "argon2id-v19";
  static final String KDF_HKDF_SHA256 = "hkdf-sha256";
  static final int SALT_LENGTH = 32;

  final ProtectorHeader header;
  final String kdf;
  final @Nullable Argon2Params argon2;
  final byte[] salt;
  final byte[] wrapNonce;
  final byte[] wrappedKey;

  ProtectorRecord(
      ProtectorHeader header,
      String kdf,
      @Nullable Argon2Params argon2,
      byte[] salt,
      byte[] wrapNonce,
      byte[] wrappedKey) {
    this.header = header;
    this.kdf = kdf;
    this.argon2 = argon2;
    this.salt = salt;
    this.wrapNonce = wrapNonce;
    this.wrappedKey = wrappedKey;
  }

  @Override
  public ProtectorHeader header() {
    return header;
  }

  @Override
  public void writeTo(ByteWriter w) {
    header.writeTo(w).str(kdf);
    if (KDF_ARGON2ID.equals(kdf)) {
      Argon2Params p = requireArgon2();
      w.i32(p.memoryKiB()).i32(p.iterations()).i32(p.parallelism());
    }
    w.bytes(salt).bytes(wrapNonce).bytes(wrappedKey);
  }

  Argon2Params requireArgon2() {
    if (argon2 == null) {
      throw new IllegalStateException("protector " + id() + " has no Argon2 parameters");
    }
    return argon2;
  }

  static ProtectorRecord readFrom(ByteReader r) throws ByteReader.MalformedException {
    ProtectorHeader header = ProtectorHeader.readFrom(r);
    String id = header.id();
    GestureKind kind = header.kind();
    String kdf = r.str();
    Argon2Params argon2 = null;
    if (KDF_ARGON2ID.equals(kdf) && kind == GestureKind.PIN) {
      try {
        argon2 = new Argon2Params(r.i32(), r.i32(), r.i32());
      } catch (IllegalArgumentException e) {
        throw new ByteReader.MalformedException("Argon2 parameters out of range in protector " + id);
      }
    } else if (!(KDF_HKDF_SHA256.equals(kdf) && kind == GestureKind.BIOMETRIC)) {
      throw new ByteReader.MalformedException("unknown key derivation for a " + kind + " protector " + id);
    }
    byte[] salt = r.bytes(SALT_LENGTH);
    byte[] nonce = r.bytes(Aead.NONCE_LENGTH);
    byte[] wrapped = r.bytes(ContainerKeys.CONTAINER_KEY_LENGTH + Aead.TAG_LENGTH);
    return new ProtectorRecord(header, kdf, argon2, salt, nonce, wrapped);
  }
}
