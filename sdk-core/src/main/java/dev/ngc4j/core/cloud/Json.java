package dev.ngc4j.core.cloud;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The little JSON this client needs: a writer with a fixed member order (so that the bytes signed are the bytes
 * sent, and tests can compare them), and a strict reader (UTF-8 only, a JSON object at the top, duplicate members
 * refused by the parser).
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
   * {@link String}, an {@link Integer} or {@link Long}, a {@link Boolean}.
   *
   * @throws IllegalArgumentException for anything else
   */
  static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value) {
    if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON member names are strings");
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, key);
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + (value == null ? "null" : value.getClass()) + " as JSON");
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
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
