package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.provider.tpm.internal.session.SaltedSession;
import dev.ngc4j.spi.SessionKeyHandle;
import java.util.Arrays;

/**
 * A PRT session key held inside the TPM: a keyed-hash object (HMAC-SHA256, noDA, a random authValue) created under
 * the SRK by {@link TpmDeviceKeys#unwrapSessionKey}. The handle keeps only the object's blobs and its authValue in
 * memory (never on disk); each derivation loads the blob, runs TPM2_HMAC and flushes it again, so nothing of it
 * stays in a TPM slot between calls.
 *
 * <p>{@link #deriveKey} is one block of NIST SP 800-108 counter mode with HMAC-SHA256 and L = 256 bits, the HMAC
 * computed by the TPM: {@code HMAC-SHA256(sessionKey, 00000001 || label || 00 || context || 00000100)}. TPM2_HMAC
 * runs in the connection's salted session and its result comes back encrypted; the derived key is then in host
 * memory, as the SPI requires. {@link #deriveAndMac} keeps the interface's default (derive, then MAC in software):
 * the derived key has to leave the TPM through TPM2_HMAC either way, and making it a TPM object just to MAC once
 * would cost a TPM2_Create and send it back in.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} waits for a derivation in progress.
 */
final class TpmSessionKey implements SessionKeyHandle {
  private final TpmDeviceKeys owner;
  private final TpmKeys keys;
  private final KeyBlob blob;
  private final byte[] auth;
  private boolean closed;

  /** Keeps the blob and a copy of the authValue; the caller zeroes its own array. */
  TpmSessionKey(TpmDeviceKeys owner, TpmKeys keys, KeyBlob blob, byte[] auth) {
    this.owner = owner;
    this.keys = keys;
    this.blob = blob;
    this.auth = auth.clone();
  }

  /**
   * Derives one 32-byte key inside the TPM.
   *
   * @throws NgcException {@code UNSUPPORTED} if label and context together exceed what TPM2_HMAC takes in one
   *     call ({@value SaltedSession#MAX_HMAC_DATA} bytes less 9); {@code PROVIDER_UNAVAILABLE} if the TPM fails
   * @throws IllegalStateException if the handle is closed
   */
  @Override
  public synchronized byte[] deriveKey(Bytes label, Bytes context) throws NgcException {
    return keys.hmac(blob, auth, requireOneCall(SessionKeyEnvelopes.kdfInput(label, context, closed)));
  }

  /** {@code 00000001 || label || 00 || context || 00000100}, if it fits one TPM2_HMAC. */
  static byte[] kdfInput(byte[] label, byte[] context) throws NgcException {
    return requireOneCall(SessionKeyEnvelopes.kdfInput(label, context));
  }

  private static byte[] requireOneCall(byte[] input) throws NgcException {
    if (input.length > SaltedSession.MAX_HMAC_DATA) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "The KDF label and context (" + (input.length - 9) + " bytes) are longer than the TPM's "
              + "HMAC takes in one call",
          "keep label and context under " + (SaltedSession.MAX_HMAC_DATA - 9) + " bytes together, as every known "
              + "protocol does (label 26 bytes, context 24 to 32)",
          null);
    }
    return input;
  }

  /** Zeroes the authValue and the private blob, and stops tracking the handle. Nothing stays loaded. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      Arrays.fill(auth, (byte) 0);
      blob.destroy();
    }
    owner.closed(this);
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** For tests: the blob, which stays valid until {@link #close()}. */
  KeyBlob blobForTest() {
    return blob;
  }

  /** Never shows the key, its blob or its authValue. */
  @Override
  public synchronized String toString() {
    return "TpmSessionKey[" + (closed ? "closed" : "in the TPM") + "]";
  }
}
