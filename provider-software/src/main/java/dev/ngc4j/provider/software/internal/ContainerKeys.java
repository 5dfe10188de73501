package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ProtectorHeader;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The key hierarchy of a container: a random 256-bit container key encrypts the PKCS#8 private key (AES-256-GCM);
 * each protector wraps the container key under a key derived from its gesture, the device secret, the user and the
 * container id.
 *
 * <p>Changing a PIN only rewraps the container key; the private key is encrypted once, at creation. Every key and
 * plaintext buffer this class creates is zeroed before it returns, except the results, which the caller zeroes.
 *
 * <p>Thread safety: safe for concurrent use until {@link #destroy()}.
 */
final class ContainerKeys {
  static final int CONTAINER_KEY_LENGTH = Aead.KEY_LENGTH;
  private static final byte[] PIN_LABEL = label("ngc4j/software/pin/v1");
  private static final byte[] BIOMETRIC_LABEL = label("ngc4j/software/biometric/v1");
  private static final byte[] KEY_LABEL = label("ngc4j/software/key/v1");
  private static final byte[] WRAP_LABEL = label("ngc4j/software/wrap/v1");

  private final byte[] deviceSecret;
  private final KeyDerivation derivation;
  private final SecureRandom random;

  ContainerKeys(byte[] deviceSecret, KeyDerivation derivation, SecureRandom random) {
    this.deviceSecret = deviceSecret.clone();
    this.derivation = derivation;
    this.random = random;
  }

  /** A private key encrypted under a container key. */
  static final class EncryptedKey {
    final byte[] nonce;
    final byte[] ciphertext;

    EncryptedKey(byte[] nonce, byte[] ciphertext) {
      this.nonce = nonce;
      this.ciphertext = ciphertext;
    }
  }

  byte[] newContainerKey() {
    return randomBytes(CONTAINER_KEY_LENGTH);
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  EncryptedKey encryptPrivateKey(byte[] containerKey, byte[] pkcs8, ContainerId id, UserPrincipal user, byte[] spki) {
    byte[] nonce = randomBytes(Aead.NONCE_LENGTH);
    return new EncryptedKey(nonce, Aead.seal(containerKey, nonce, keyAad(id, user, spki), pkcs8));
  }

  /** Returns the PKCS#8 key (the caller zeroes it), or {@code null} if the record does not decrypt. */
  byte @Nullable [] decryptPrivateKey(byte[] containerKey, ContainerRecord record) {
    return Aead.open(
        containerKey, record.keyNonce, keyAad(record.id, record.user, record.publicKey), record.encryptedKey);
  }

  /** Makes a PIN protector that wraps the container key. The PIN is read, not destroyed. */
  ProtectorRecord pinProtector(
      String protectorId, Instant created, Pin pin, byte[] containerKey, ContainerId id, UserPrincipal user,
      Argon2Params params) {
    byte[] salt = randomBytes(ProtectorRecord.SALT_LENGTH);
    byte[] key = derivePin(pin, salt, params, id, user);
    try {
      byte[] nonce = randomBytes(Aead.NONCE_LENGTH);
      byte[] wrapped = Aead.seal(key, nonce, wrapAad(id, protectorId), containerKey);
      return new ProtectorRecord(
          ProtectorHeader.pin(protectorId, created), ProtectorRecord.KDF_ARGON2ID, params, salt, nonce, wrapped);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Makes a biometric protector that wraps the container key. The match is read, not destroyed. */
  ProtectorRecord biometricProtector(
      String protectorId, Instant created, BiometricMatch match, byte[] containerKey, ContainerId id,
      UserPrincipal user) {
    byte[] salt = randomBytes(ProtectorRecord.SALT_LENGTH);
    byte[] key = deriveBiometric(match, salt, id, user);
    try {
      byte[] nonce = randomBytes(Aead.NONCE_LENGTH);
      byte[] wrapped = Aead.seal(key, nonce, wrapAad(id, protectorId), containerKey);
      return new ProtectorRecord(
          ProtectorHeader.biometric(protectorId, match.modality(), created), ProtectorRecord.KDF_HKDF_SHA256, null,
          salt, nonce, wrapped);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Unwraps the container key with a gesture.
   *
   * @return the container key (the caller zeroes it), or {@code null} if the gesture is wrong
   */
  byte @Nullable [] unwrap(ProtectorRecord protector, Object gesture, ContainerId id, UserPrincipal user) {
    byte[] key;
    if (protector.kind() == GestureKind.PIN && gesture instanceof Pin pin) {
      key = derivePin(pin, protector.salt, protector.requireArgon2(), id, user);
    } else if (protector.kind() == GestureKind.BIOMETRIC && gesture instanceof BiometricMatch match) {
      key = deriveBiometric(match, protector.salt, id, user);
    } else {
      throw new IllegalArgumentException("the gesture does not fit protector " + protector.id());
    }
    try {
      return Aead.open(key, protector.wrapNonce, wrapAad(id, protector.id()), protector.wrappedKey);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private byte[] derivePin(Pin pin, byte[] salt, Argon2Params params, ContainerId id, UserPrincipal user) {
    byte[] pinUtf8 = pin.toUtf8();
    try {
      return derivation.fromPin(pinUtf8, salt, params, deviceSecret, binding(PIN_LABEL, user, id, ""));
    } finally {
      Arrays.fill(pinUtf8, (byte) 0);
    }
  }

  private byte[] deriveBiometric(BiometricMatch match, byte[] salt, ContainerId id, UserPrincipal user) {
    byte[] secret = match.copySecret();
    try {
      return derivation.fromBiometric(
          secret, salt, deviceSecret, binding(BIOMETRIC_LABEL, user, id, match.modality()));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Forgets the device secret. */
  void destroy() {
    Arrays.fill(deviceSecret, (byte) 0);
  }

  private static byte[] binding(byte[] label, UserPrincipal user, ContainerId id, String modality) {
    return new ByteWriter().raw(label).str(user.upn()).str(id.value()).str(modality).toByteArray();
  }

  private static byte[] keyAad(ContainerId id, UserPrincipal user, byte[] spki) {
    return new ByteWriter().raw(KEY_LABEL).str(id.value()).str(user.upn()).bytes(spki).toByteArray();
  }

  private static byte[] wrapAad(ContainerId id, String protectorId) {
    return new ByteWriter().raw(WRAP_LABEL).str(id.value()).str(protectorId).toByteArray();
  }

  private static byte[] label(String s) {
    return new ByteWriter().str(s).toByteArray();
  }
}
