package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The AIK enrollment challenge: opaque to clients, {@code base64url(version || iv || AES-256-GCM(content) || tag)}
 * under a key that lives only in this object (a restart invalidates outstanding challenges, as it does nonces).
 * The content binds the challenge to one device and one AK and carries only a hash of the activation secret.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class AikChallenge {
  private static final byte VERSION = 1;
  private static final byte[] AAD = "ngc4j-aik-challenge/1".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_CHARS = 2048;
  private static final int MAX_FIELD = 1024;

  /** What a challenge holds: immutable; the arrays are not copied (internal use only) and must not be modified. */
  static final class Content {
    private final byte[] jti;
    private final UUID deviceId;
    private final long expiresAt;
    private final byte[] akName;
    private final byte[] secretHash;
    private final byte[] tpmName;

    /**
     * Creates the content.
     *
     * @param jti a random id (single use)
     * @param deviceId the device it was issued to
     * @param expiresAt when it expires, epoch seconds
     * @param akName the AK's name
     * @param secretHash SHA-256 of the activation secret
     * @param tpmName the DER directoryName of the TPM's manufacturer, model and version (from the EK certificate)
     */
    Content(byte[] jti, UUID deviceId, long expiresAt, byte[] akName, byte[] secretHash, byte[] tpmName) {
      this.jti = jti;
      this.deviceId = deviceId;
      this.expiresAt = expiresAt;
      this.akName = akName;
      this.secretHash = secretHash;
      this.tpmName = tpmName;
    }

    byte[] jti() {
      return jti;
    }

    UUID deviceId() {
      return deviceId;
    }

    long expiresAt() {
      return expiresAt;
    }

    byte[] akName() {
      return akName;
    }

    byte[] secretHash() {
      return secretHash;
    }

    byte[] tpmName() {
      return tpmName;
    }
  }

  private final byte[] key = new byte[32];

  AikChallenge() {
    Jca.RANDOM.nextBytes(key);
  }

  String seal(Content c) {
    ByteBuffer b = ByteBuffer.allocate(c.jti().length + 16 + 8 + 2 + c.akName().length + c.secretHash().length + 2
        + c.tpmName().length + 2);
    b.put((byte) c.jti().length).put(c.jti());
    b.putLong(c.deviceId().getMostSignificantBits()).putLong(c.deviceId().getLeastSignificantBits());
    b.putLong(c.expiresAt());
    b.putShort((short) c.akName().length).put(c.akName());
    b.put((byte) c.secretHash().length).put(c.secretHash());
    b.putShort((short) c.tpmName().length).put(c.tpmName());
    byte[] plain = Arrays.copyOf(b.array(), b.position());
    return Base64Strict.url(Jca.gcmSeal(key, AAD, plain, new byte[] {VERSION}));
  }

  Content open(String text) throws Malformed {
    if (text.length() > MAX_CHARS) {
      throw new Malformed("the challenge is too long");
    }
    byte[] sealed = Base64Strict.decodeUrl(text);
    if (sealed.length == 0 || sealed[0] != VERSION) {
      throw new Malformed("unknown challenge version");
    }
    byte[] plain = Jca.gcmOpen(key, AAD, sealed, 1);
    if (plain == null) {
      throw new Malformed("the challenge does not authenticate");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(plain);
      byte[] jti = field(b, b.get() & 0xff);
      UUID deviceId = new UUID(b.getLong(), b.getLong());
      long expiresAt = b.getLong();
      byte[] akName = field(b, b.getShort() & 0xffff);
      byte[] secretHash = field(b, b.get() & 0xff);
      byte[] tpmName = field(b, b.getShort() & 0xffff);
      if (b.hasRemaining()) {
        throw new Malformed("the challenge has trailing bytes");
      }
      return new Content(jti, deviceId, expiresAt, akName, secretHash, tpmName);
    } catch (BufferUnderflowException e) {
      throw new Malformed("the challenge is truncated");
    }
  }

  private static byte[] field(ByteBuffer b, int length) throws Malformed {
    if (length > MAX_FIELD) {
      throw new Malformed("a challenge field is too long");
    }
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  /** Clears the key. */
  void destroy() {
    Arrays.fill(key, (byte) 0);
  }
}
