package dev.ngc4j.server.internal.token;

import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * A compact JWS read strictly, before any key is chosen: exactly three segments of canonical unpadded base64url,
 * a header and a payload that are each one UTF-8 JSON object. The signature segment may be empty (so that an
 * {@code alg:none} token parses and can be refused by its algorithm). Nothing is verified here.
 *
 * <p>Thread safety: immutable; the returned maps and arrays must not be modified.
 */
public final class CompactJws {
  /** Header members that would let a token choose its own key or processing; always refused. */
  public static final Set<String> FORBIDDEN_HEADER_MEMBERS = Set.of("crit", "jwk", "jku", "x5u", "b64", "zip", "enc");

  private final String compact;
  private final byte[] text;
  private final int secondDot;
  private final Map<String, Object> header;
  private final byte[] payloadBytes;
  private final Map<String, Object> payload;
  private final byte[] signature;

  private CompactJws(
      String compact, byte[] text, int secondDot, Map<String, Object> header, byte[] payloadBytes,
      Map<String, Object> payload, byte[] signature) {
    this.compact = compact;
    this.text = text;
    this.secondDot = secondDot;
    this.header = header;
    this.payloadBytes = payloadBytes;
    this.payload = payload;
    this.signature = signature;
  }

  /**
   * Parses a compact JWS.
   *
   * @param compact the text
   * @param maxChars the longest text accepted
   * @return the parsed token
   * @throws Malformed if the text is not a strict compact JWS with JSON object header and payload
   */
  public static CompactJws parse(String compact, int maxChars) throws Malformed {
    int n = compact.length();
    if (n > maxChars) {
      throw new Malformed("the token is too long");
    }
    int first = compact.indexOf('.');
    int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
    if (first <= 0 || second <= first + 1) {
      throw new Malformed("the token does not have three segments");
    }
    // One byte per character: a character above U+00FF becomes '?', which no segment accepts. A third dot is
    // refused by the strict decoding of the signature segment ('.' is not base64url).
    byte[] text = compact.getBytes(StandardCharsets.ISO_8859_1);
    Map<String, Object> header = Json.parseObject(Base64Strict.decodeUrl(text, 0, first));
    for (String member : FORBIDDEN_HEADER_MEMBERS) {
      if (header.containsKey(member)) {
        throw new Malformed("the token header has a forbidden member");
      }
    }
    byte[] payloadBytes = Base64Strict.decodeUrl(text, first + 1, second);
    Map<String, Object> payload = Json.parseObject(payloadBytes);
    byte[] signature = Base64Strict.decodeUrl(text, second + 1, n);
    return new CompactJws(compact, text, second, header, payloadBytes, payload, signature);
  }

  /**
   * Verifies an RS256 signature over the signing input.
   *
   * @param key the public key
   * @return whether the signature is valid
   */
  public boolean verifyRs256(java.security.PublicKey key) {
    return dev.ngc4j.server.internal.crypto.Jca.verifyRs256(key, text, 0, secondDot, signature);
  }

  /**
   * Returns the header members.
   *
   * @return the header
   */
  public Map<String, Object> header() {
    return header;
  }

  /**
   * Returns the payload members.
   *
   * @return the payload
   */
  public Map<String, Object> payload() {
    return payload;
  }

  /**
   * Returns the exact payload bytes (shared; do not modify).
   *
   * @return the UTF-8 JSON bytes
   */
  public byte[] payloadBytes() {
    return payloadBytes;
  }

  /**
   * Returns the signature bytes (shared; do not modify).
   *
   * @return the signature, possibly empty
   */
  public byte[] signature() {
    return signature;
  }

  /**
   * Returns the header's {@code alg} if it is a string, else null.
   *
   * @return the algorithm name or null
   */
  public @org.jspecify.annotations.Nullable String alg() {
    return header.get("alg") instanceof String s ? s : null;
  }

  /**
   * Returns whether every header member is in {@code allowed}.
   *
   * @param allowed the allowed member names
   * @return true if no other member is present
   */
  public boolean headerOnly(Set<String> allowed) {
    return allowed.containsAll(header.keySet());
  }

  /**
   * Returns the original text.
   *
   * @return the compact serialisation
   */
  public String compact() {
    return compact;
  }
}
