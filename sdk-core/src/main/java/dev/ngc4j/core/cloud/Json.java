package dev.ngc4j.core.cloud;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.core.internal.cloud.JsonWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little JSON this client needs: a writer with a fixed member order (so that the bytes signed are the bytes
 * sent, and tests can compare them; {@link JsonWriter}), and a strict reader (UTF-8 only, a JSON object at the top,
 * duplicate members refused by the parser).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class Json {
  private Json() {}

  /** The input is not a strict UTF-8 JSON object. */
  static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }

  /**
   * Writes a value: a {@link Map} with {@link String} keys (in its iteration order), a {@link List}, a
   * {@link String}, an {@link Integer} or {@link Long}, a {@link Boolean}. The writer is {@link JsonWriter}, which
   * {@link dev.ngc4j.core.internal.cloud.WhfbAssertion} shares.
   *
   * @throws IllegalArgumentException for anything else
   */
  static String write(Object value) {
    return JsonWriter.write(value);
  }

  /** Parses strict UTF-8 as a JSON object. */
  static Map<String, Object> parseObject(byte[] utf8) throws MalformedJsonException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedJsonException("not UTF-8");
    }
    return parseObject(text);
  }

  /** Parses a JSON object. */
  static Map<String, Object> parseObject(String text) throws MalformedJsonException {
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException | RuntimeException e) {
      throw new MalformedJsonException("not a JSON object");
    }
  }

  /** Returns the member if it is a string. */
  static Optional<String> string(Map<String, Object> object, String name) {
    return object.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** Returns the member if it is a JSON object. */
  @SuppressWarnings("unchecked") // the parser makes maps with string keys
  static Optional<Map<String, Object>> object(Map<String, Object> object, String name) {
    return object.get(name) instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
  }

  /** Returns the member if it is an integer, or a string of 1 to 18 decimal digits (as some fields are sent). */
  static Optional<Long> integer(Map<String, Object> object, String name) {
    Object v = object.get(name);
    if (v instanceof Long l) {
      return Optional.of(l);
    }
    if (v instanceof Integer i) {
      return Optional.of(i.longValue());
    }
    if (v instanceof String s && s.matches("[0-9]{1,18}")) {
      return Optional.of(Long.parseLong(s));
    }
    return Optional.empty();
  }
}
