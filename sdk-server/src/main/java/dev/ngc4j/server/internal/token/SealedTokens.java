package dev.ngc4j.server.internal.token;

import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Seals PRTs and authorization codes with AES-256-GCM: {@code base64url(version || iv || ciphertext || tag)}, the
 * version and kind bound as additional data. PRTs are sealed under the persistent PRT key (they survive a
 * restart); codes under a key that lives only in this process.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class SealedTokens {
  private static final byte VERSION = 1;
  private static final byte[] PRT_AAD = "ngc4j-prt/1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CODE_AAD = "ngc4j-code/1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_CHARS = 4096;
  private static final int MAX_AMR = 8;

  private final byte[] prtKey;
  private final byte[] codeKey = new byte[32];

  /**
   * Creates the codec.
   *
   * @param prtKey the persistent 32-byte PRT sealing key (referenced, not copied)
   */
  public SealedTokens(byte[] prtKey) {
    this.prtKey = prtKey;
    Jca.RANDOM.nextBytes(codeKey);
  }

  /**
   * Seals a PRT.
   *
   * @param prt the claims
   * @return the opaque PRT text
   */
  public String sealPrt(Prt prt) {
    Writer w = new Writer();
    w.uuid(prt.tenantId()).uuid(prt.userId()).uuid(prt.deviceId()).uuid(prt.keyKid());
    w.string(prt.keyIdentifier());
    w.raw(prt.sessionKey());
    w.longValue(prt.issuedAt()).longValue(prt.expiresAt());
    w.list(prt.amr());
    byte[] plain = w.toByteArray();
    try {
      return Base64Strict.url(Jca.gcmSeal(prtKey, PRT_AAD, plain, new byte[] {VERSION}));
    } finally {
      Arrays.fill(plain, (byte) 0);
      w.clear();
    }
  }

  /**
   * Opens a PRT.
   *
   * @param text the opaque PRT text
   * @return the claims (the caller destroys them)
   * @throws Malformed if the text was not sealed here or is damaged
   */
  public Prt openPrt(String text) throws Malformed {
    byte[] plain = open(text, prtKey, PRT_AAD);
    byte[] sessionKey = new byte[32];
    try {
      Reader r = new Reader(plain);
      UUID tenant = r.uuid();
      UUID user = r.uuid();
      UUID device = r.uuid();
      UUID kid = r.uuid();
      String keyIdentifier = r.string();
      r.raw(sessionKey);
      long iat = r.longValue();
      long exp = r.longValue();
      List<String> amr = r.list();
      r.end();
      return new Prt(tenant, user, device, kid, keyIdentifier, sessionKey, iat, exp, amr);
    } finally {
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(sessionKey, (byte) 0);
    }
  }

  /**
   * Seals an authorization code.
   *
   * @param code the claims
   * @return the opaque code
   */
  public String sealCode(AuthCode code) {
    Writer w = new Writer();
    w.string(code.jti()).uuid(code.tenantId()).uuid(code.userId()).uuid(code.deviceId()).list(code.amr());
    w.string(code.clientId()).string(code.redirectUri()).string(code.resource()).longValue(code.expiresAt());
    return Base64Strict.url(Jca.gcmSeal(codeKey, CODE_AAD, w.toByteArray(), new byte[] {VERSION}));
  }

  /**
   * Opens an authorization code.
   *
   * @param text the opaque code
   * @return the claims
   * @throws Malformed if the code was not sealed by this process or is damaged
   */
  public AuthCode openCode(String text) throws Malformed {
    Reader r = new Reader(open(text, codeKey, CODE_AAD));
    AuthCode code = new AuthCode(
        r.string(), r.uuid(), r.uuid(), r.uuid(), r.list(), r.string(), r.string(), r.string(), r.longValue());
    r.end();
    return code;
  }

  private static byte[] open(String text, byte[] key, byte[] aad) throws Malformed {
    if (text.length() > MAX_CHARS) {
      throw new Malformed("the token is too long");
    }
    byte[] sealed = Base64Strict.decodeUrl(text);
    if (sealed.length == 0 || sealed[0] != VERSION) {
      throw new Malformed("unknown token version");
    }
    byte[] plain = Jca.gcmOpen(key, aad, sealed, 1);
    if (plain == null) {
      throw new Malformed("the token does not authenticate");
    }
    return plain;
  }

  /** A growable buffer that can be cleared (the PRT plaintext holds the session key). */
  private static final class Writer {
    private byte[] buf = new byte[192];
    private int size;

    private void ensure(int more) {
      if (size + more > buf.length) {
        byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        Arrays.fill(buf, (byte) 0);
        buf = bigger;
      }
    }

    private void put(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    Writer uuid(UUID id) {
      return longValue(id.getMostSignificantBits()).longValue(id.getLeastSignificantBits());
    }

    Writer longValue(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
      return this;
    }

    Writer raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
      return this;
    }

    Writer string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0xffff) {
        throw new IllegalArgumentException("string too long to seal");
      }
      put(b.length >> 8);
      put(b.length);
      return raw(b);
    }

    Writer list(List<String> items) {
      put(items.size());
      for (String item : items) {
        string(item);
      }
      return this;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }

    void clear() {
      Arrays.fill(buf, (byte) 0);
      size = 0;
    }
  }

  private static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] bytes) {
      this.in = ByteBuffer.wrap(bytes);
    }

    UUID uuid() throws Malformed {
      try {
        return new UUID(in.getLong(), in.getLong());
      } catch (BufferUnderflowException e) {
        throw new Malformed("the token is truncated");
      }
    }

    long longValue() throws Malformed {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw new Malformed("the token is truncated");
      }
    }

    void raw(byte[] into) throws Malformed {
      try {
        in.get(into);
      } catch (BufferUnderflowException e) {
        throw new Malformed("the token is truncated");
      }
    }

    String string() throws Malformed {
      try {
        int length = in.getShort() & 0xffff;
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
      } catch (BufferUnderflowException e) {
        throw new Malformed("the token is truncated");
      }
    }

    List<String> list() throws Malformed {
      if (!in.hasRemaining()) {
        throw new Malformed("the token is truncated");
      }
      int n = in.get() & 0xff;
      if (n > MAX_AMR) {
        throw new Malformed("the token has too many list items");
      }
      List<String> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(string());
      }
      return items;
    }

    void end() throws Malformed {
      if (in.hasRemaining()) {
        throw new Malformed("the token has trailing bytes");
      }
    }
  }
}
