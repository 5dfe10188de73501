package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.DeviceKeyCache;
import dev.ngc4j.provider.support.DeviceKeyRole;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software provider's device key and transport key: two separate RSA-2048 key pairs made by the JDK on first
 * use and kept in the data directory.
 *
 * <h2>Storage</h2>
 *
 * <pre>
 * machine-key.ngc     rw-------  32 random bytes: the AES-256 key that encrypts the two private keys
 * device-key.ngc      rw-------  role 1, public key (SPKI), AES-256-GCM(machine key, PKCS#8 private key)
 * transport-key.ngc   rw-------  role 2, likewise
 * </pre>
 *
 * <p>Each file is a {@link FramedFile}, created once and atomically ({@link DeviceKeyCache},
 * {@link OwnerOnlyFiles#createAtomically}: a synced temporary file hard-linked to its name, so two threads or
 * processes racing to create it end up sharing the winner's key, and a crash leaves either no file or a whole one).
 * The GCM associated data binds the file kind, the role and the public key, so swapping the two key files or pairing
 * a public key with another private key is detected. A missing machine key next to existing key files fails closed
 * rather than making a new one.
 *
 * <h2>What this protects, honestly</h2>
 *
 * <p>Without hardware there is nowhere to hide the machine key: it lives next to the keys it encrypts. The owner-only
 * permissions keep other (non-root) users of the machine out, and encryption at rest means that copying a key file
 * alone (a backup of one file, a file attached to a support ticket) does not reveal the key. Anyone who can read the
 * whole data directory as this user, and root, can decrypt both keys. A TPM provider binds them to the machine.
 *
 * <h2>Session keys</h2>
 *
 * <p>{@link #unwrapSessionKey} decrypts the wrapped key with RSA-OAEP and explicit parameters for the envelope's
 * algorithm; {@link SessionKeyEnvelopes} does the rest: exactly 32 bytes, the whole envelope authenticated with
 * AES-256-GCM under the unwrapped key (here through BouncyCastle, {@link Aead}), a random substitute key when the
 * unwrap fails (RFC 7516 §11.5), and every failure the same {@link NgcException} ({@link ErrorCode#CLOUD_ERROR}) with
 * the same message and no cause.
 *
 * <p>Thread safety: safe for concurrent use. The keys are loaded (or created) once; the decrypted private keys then
 * stay in memory until the session closes, as an unlocked container's key does until it is closed.
 */
final class SoftwareDeviceKeys implements DeviceKeys, DeviceKeyCache.KeyFiles<KeyPair> {
  static final String MACHINE_KEY_FILE = "machine-key.ngc";
  static final String DEVICE_KEY_FILE = DeviceKeyRole.DEVICE.fileName();
  static final String TRANSPORT_KEY_FILE = DeviceKeyRole.TRANSPORT.fileName();
  static final String MACHINE_KEY_MAGIC = "NGC4JSWM";
  static final String KEY_MAGIC = "NGC4JSWK";
  static final int VERSION = 1;
  static final int RSA_BITS = 2048;

  private static final String DAMAGED_REMEDY =
      "restore the whole data directory from the same backup, or delete " + DEVICE_KEY_FILE + ", "
          + TRANSPORT_KEY_FILE + " and " + MACHINE_KEY_FILE + " and join the device again";
  private static final int MAX_KEY_FILE_LENGTH = 16 * 1024;
  private static final int MAX_MACHINE_KEY_FILE_LENGTH = 4096;
  private static final Logger log = LoggerFactory.getLogger(SoftwareDeviceKeys.class);

  private final SoftwareSession session;
  private final Path dataDirectory;
  private final SecureRandom random;
  private final DeviceKeyCache<KeyPair> cache;

  SoftwareDeviceKeys(SoftwareSession session, Path dataDirectory, SecureRandom random) {
    this.session = session;
    this.dataDirectory = dataDirectory;
    this.random = random;
    this.cache = new DeviceKeyCache<>(dataDirectory, session::ensureOpen, this);
  }

  @Override
  public PublicKey deviceKey() throws NgcException {
    session.ensureOpen();
    return cache.get(DeviceKeyRole.DEVICE).getPublic();
  }

  @Override
  public PublicKey transportKey() throws NgcException {
    session.ensureOpen();
    return cache.get(DeviceKeyRole.TRANSPORT).getPublic();
  }

  /**
   * Signs with the device key, RS256 only.
   *
   * @throws NgcException {@code UNSUPPORTED} for any other algorithm; storage errors when the key cannot be loaded
   */
  @Override
  public byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    SessionKeyEnvelopes.checkDeviceKeySign(session, algorithm, message);
    PrivateKey key = cache.get(DeviceKeyRole.DEVICE).getPrivate();
    try {
      Signature signature = Signature.getInstance(algorithm.jcaName());
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE, "The JDK could not sign with the device key: " + e, e);
    }
  }

  @Override
  public SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException {
    Objects.requireNonNull(envelope, "envelope");
    session.ensureOpen();
    // Loading the key does not depend on the envelope, so its own errors reveal nothing about the envelope.
    PrivateKey transport = cache.get(DeviceKeyRole.TRANSPORT).getPrivate();
    return SessionKeyEnvelopes.open(envelope, random,
        (algorithm, encryptedKey) -> oaepUnwrap(transport, algorithm, encryptedKey),
        SoftwareDeviceKeys::gcmOpen,
        SoftwareSessionKey::new);
  }

  /** AES-256-GCM through BouncyCastle ({@link Aead}); any failure, whatever its cause, is {@code null}. */
  private static byte @Nullable [] gcmOpen(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
    try {
      return Aead.open(key, iv, aad, sealed);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * RSA-OAEP with explicit parameters: the algorithm's digest for both OAEP and MGF1, and the empty label. The
   * ciphertext must be exactly as long as the modulus.
   *
   * @return the unwrapped bytes (any length), or {@code null} on any failure, whatever its cause
   */
  static byte @Nullable [] oaepUnwrap(PrivateKey key, KeyWrapAlgorithm algorithm, byte[] encryptedKey) {
    try {
      if (!(key instanceof RSAPrivateCrtKey rsa) || encryptedKey.length != (rsa.getModulus().bitLength() + 7) / 8) {
        return null;
      }
      String hash = algorithm.hash();
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.DECRYPT_MODE, key,
          new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), PSource.PSpecified.DEFAULT));
      return oaep.doFinal(encryptedKey);
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /** Forgets the decrypted keys; the session is closing. */
  void forget() {
    cache.forget(pair -> { });
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Reading and creation (DeviceKeyCache calls these under the key file's lock)
  // ----------------------------------------------------------------------------------------------------------------

  @Override
  public @Nullable KeyPair create(Path file, DeviceKeyRole role) throws NgcException {
    byte[] machineKey = machineKey(true);
    byte[] pkcs8 = null;
    try {
      KeyPair pair = generate();
      pkcs8 = pair.getPrivate().getEncoded();
      byte[] spki = pair.getPublic().getEncoded();
      byte[] nonce = new byte[Aead.NONCE_LENGTH];
      random.nextBytes(nonce);
      byte[] encrypted = Aead.seal(machineKey, nonce, aad(role, spki), pkcs8);
      byte[] body = new ByteWriter().u8(role.code()).bytes(spki).bytes(nonce).bytes(encrypted).toByteArray();
      if (OwnerOnlyFiles.createAtomically(file, FramedFile.seal(KEY_MAGIC, VERSION, body))) {
        log.debug("created the software provider's {} in {}", role.describe(), file);
        return pair;
      }
      return null;
    } catch (IOException e) {
      throw storageFailure("create", file, e);
    } finally {
      Arrays.fill(machineKey, (byte) 0);
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  @Override
  public KeyPair read(Path file, DeviceKeyRole role) throws NgcException {
    byte[] data;
    try {
      data = OwnerOnlyFiles.read(file, MAX_KEY_FILE_LENGTH);
    } catch (IOException e) {
      throw storageFailure("read", file, e);
    }
    byte[] spki;
    byte[] nonce;
    byte[] encrypted;
    try {
      ByteReader r = new ByteReader(FramedFile.open(file, data, KEY_MAGIC, VERSION).body());
      int storedRole = r.u8();
      spki = r.bytes();
      nonce = r.bytes(Aead.NONCE_LENGTH);
      encrypted = r.bytes();
      r.expectEnd();
      if (storedRole != role.code()) {
        throw damaged(FramedFile.corrupted(file, "it holds another role's key (" + storedRole + ")"));
      }
    } catch (ByteReader.MalformedException e) {
      throw damaged(FramedFile.corrupted(file, e.reason()));
    } catch (ContainerCorruptedException e) {
      throw damaged(e);
    }
    PublicKey publicKey;
    try {
      publicKey = SoftwareStore.decodePublicKey(file, spki);
    } catch (ContainerCorruptedException e) {
      throw damaged(e);
    }
    byte[] machineKey = machineKey(false);
    byte[] pkcs8 = Aead.open(machineKey, nonce, aad(role, spki), encrypted);
    Arrays.fill(machineKey, (byte) 0);
    if (pkcs8 == null) {
      throw damaged(FramedFile.corrupted(file, "its private key does not decrypt with this machine key"));
    }
    try {
      PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      if (!(privateKey instanceof RSAPrivateCrtKey rsa)
          || !rsa.getModulus().equals(((RSAPublicKey) publicKey).getModulus())) {
        throw damaged(FramedFile.corrupted(file, "its private key does not belong to its public key"));
      }
      return new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException e) {
      throw damaged(new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: its private key does not decode", e));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Loads the machine key, or creates it if {@code create} and there is none. When it is missing and not to be
   * created, the key files exist without it: fail closed.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  private byte[] machineKey(boolean create) throws NgcException {
    Path file = dataDirectory.resolve(MACHINE_KEY_FILE);
    try (ContainerLocks.Held held = ContainerLocks.lock(file)) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!create || cache.anyKeyFileExists()) {
          throw new ProviderUnavailableException(
              ErrorCode.PROVIDER_UNAVAILABLE,
              "The software provider's machine key " + file + " is missing, but device key files exist in "
                  + dataDirectory + "; they cannot be opened without it",
              DAMAGED_REMEDY,
              null);
        }
        byte[] key = new byte[Aead.KEY_LENGTH];
        random.nextBytes(key);
        byte[] sealed = FramedFile.seal(MACHINE_KEY_MAGIC, VERSION, key);
        Arrays.fill(key, (byte) 0);
        try {
          if (OwnerOnlyFiles.createAtomically(file, sealed)) {
            log.debug("created the software provider's machine key in {}", file);
          }
        } finally {
          Arrays.fill(sealed, (byte) 0);
        }
      }
      byte[] data = OwnerOnlyFiles.read(file, MAX_MACHINE_KEY_FILE_LENGTH);
      try {
        byte[] body = FramedFile.open(file, data, MACHINE_KEY_MAGIC, VERSION).body();
        if (body.length != Aead.KEY_LENGTH) {
          Arrays.fill(body, (byte) 0);
          throw FramedFile.corrupted(file, "it does not hold a 32-byte key");
        }
        return body;
      } catch (ContainerCorruptedException e) {
        throw damaged(e);
      } finally {
        Arrays.fill(data, (byte) 0);
      }
    } catch (IOException e) {
      throw storageFailure("use", file, e);
    }
  }

  private static KeyPair generate() throws NgcException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(RSA_BITS, RSAKeyGenParameterSpec.F4));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE, "The JDK could not generate an RSA-2048 key: " + e, e);
    }
  }

  /** The GCM associated data: file kind, format version, role and the public key. */
  private static byte[] aad(DeviceKeyRole role, byte[] spki) {
    return new ByteWriter()
        .raw(KEY_MAGIC.getBytes(StandardCharsets.US_ASCII))
        .u16(VERSION)
        .u8(role.code())
        .bytes(spki)
        .toByteArray();
  }

  private static ProviderUnavailableException damaged(NgcException cause) {
    return new ProviderUnavailableException(
        ErrorCode.PROVIDER_UNAVAILABLE,
        "The software provider's device keys are damaged: " + cause.detail(),
        DAMAGED_REMEDY,
        cause);
  }

  private static NgcException storageFailure(String verb, Path file, IOException e) {
    return new NgcException(
        ErrorCode.STORAGE_FAILURE, "The software provider could not " + verb + " " + file + ": " + e, e);
  }

  @Override
  public String toString() {
    return "SoftwareDeviceKeys[" + dataDirectory + "]";
  }
}
