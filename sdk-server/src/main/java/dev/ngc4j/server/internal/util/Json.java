package dev.ngc4j.server.internal.util;

import dev.ngc4j.core.internal.cloud.JsonWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON objects in and out. Parsing is strict RFC 8259 on strict UTF-8: one top-level object and nothing after it
 * but white space; duplicate member names, raw control characters in strings, bad escapes, leading zeros, and
 * nesting deeper than {@value #MAX_DEPTH} are refused. Integers that fit come back as {@link Long}, other numbers
 * as {@link Double}; objects as insertion-ordered maps, arrays as lists. (The service's own parser, on the sign-in
 * hot path; it accepts a subset of what nimbus-jose-jwt's lenient parser accepts.) Writing handles the value
 * types the service produces: {@link String}, {@link Long}, {@link Integer}, {@link Boolean}, {@link List},
 * {@link Map} with string keys, and null.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Json {
  /** The deepest nesting of objects and arrays accepted. */
  static final int MAX_DEPTH = 32;

  private Json() {}

  /**
   * Parses strict UTF-8 bytes as a JSON object.
   *
   * @param utf8 the bytes
   * @return the members
   * @throws Malformed if the bytes are not UTF-8 or not one JSON object
   */
  public static Map<String, Object> parseObject(byte[] utf8) throws Malformed {
    Parser p = new Parser(utf8);
    p.skipWhitespace();
    if (p.pos >= utf8.length || utf8[p.pos] != '{') {
      throw new Malformed("not a JSON object");
    }
    Map<String, Object> object = p.object(0);
    p.skipWhitespace();
    if (p.pos != utf8.length) {
      throw new Malformed("trailing content after the JSON object");
    }
    return object;
  }

  /**
   * Parses text as a JSON object.
   *
   * @param text the text
   * @return the members
   * @throws Malformed if the text is not one JSON object
   */
  public static Map<String, Object> parseObject(String text) throws Malformed {
    return parseObject(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A recursive-descent parser over UTF-8 bytes. Outside strings only ASCII is valid JSON, so a byte above 0x7F
   * there is refused as an unexpected character; inside a string, runs that contain such bytes are decoded by a
   * strict UTF-8 decoder, and all-ASCII strings without escapes (the common case) become a {@link String}
   * directly.
   */
  private static final class Parser {
    private final byte[] s;
    private int pos;

    Parser(byte[] s) {
      this.s = s;
    }

    void skipWhitespace() {
      while (pos < s.length) {
        byte c = s[pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private byte peek() throws Malformed {
      if (pos >= s.length) {
        throw new Malformed("unexpected end of JSON");
      }
      return s[pos];
    }

    private void expect(char c) throws Malformed {
      if (peek() != c) {
        throw new Malformed("unexpected JSON character");
      }
      pos++;
    }

    Object value(int depth) throws Malformed {
      skipWhitespace();
      byte c = peek();
      return switch (c) {
        case '{' -> object(depth + 1);
        case '[' -> array(depth + 1);
        case '"' -> string();
        case 't' -> literal("true", true);
        case 'f' -> literal("false", false);
        case 'n' -> literal("null", NULL);
        default -> number();
      };
    }

    private Object literal(String word, Object value) throws Malformed {
      int n = word.length();
      if (pos + n > s.length) {
        throw new Malformed("bad JSON literal");
      }
      for (int i = 0; i < n; i++) {
        if (s[pos + i] != word.charAt(i)) {
          throw new Malformed("bad JSON literal");
        }
      }
      pos += n;
      return value;
    }

    Map<String, Object> object(int depth) throws Malformed {
      if (depth > MAX_DEPTH) {
        throw new Malformed("JSON nested too deeply");
      }
      expect('{');
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw new Malformed("a JSON member name is not a string");
        }
        String name = string();
        skipWhitespace();
        expect(':');
        Object value = value(depth);
        if (map.putIfAbsent(name, value) != null) {
          throw new Malformed("a JSON member name is repeated");
        }
        skipWhitespace();
        byte c = peek();
        pos++;
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          throw new Malformed("unexpected JSON character in an object");
        }
      }
    }

    private List<Object> array(int depth) throws Malformed {
      if (depth > MAX_DEPTH) {
        throw new Malformed("JSON nested too deeply");
      }
      expect('[');
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value(depth));
        skipWhitespace();
        byte c = peek();
        pos++;
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw new Malformed("unexpected JSON character in an array");
        }
      }
    }

    private String string() throws Malformed {
      expect('"');
      int start = pos;
      // Fast path: printable ASCII without escapes (a negative byte, that is above 0x7F, also leaves it).
      while (pos < s.length) {
        byte c = s[pos];
        if (c == '"') {
          String value = new String(s, start, pos - start, StandardCharsets.ISO_8859_1);
          pos++;
          return value;
        }
        if (c == '\\' || c < 0x20) {
          break;
        }
        pos++;
      }
      StringBuilder out = new StringBuilder(pos - start + 16);
      pos = start;
      int run = pos; // start of the current run of literal bytes
      while (true) {
        byte c = peek();
        if (c == '"' || c == '\\') {
          appendUtf8(out, run, pos);
          pos++;
          if (c == '"') {
            return out.toString();
          }
          escape(out);
          run = pos;
        } else if (c >= 0 && c < 0x20) {
          throw new Malformed("a control character in a JSON string");
        } else {
          pos++;
        }
      }
    }

    private void appendUtf8(StringBuilder out, int from, int to) throws Malformed {
      if (from == to) {
        return;
      }
      try {
        out.append(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(s, from, to - from)));
      } catch (CharacterCodingException e) {
        throw new Malformed("not UTF-8");
      }
    }

    private void escape(StringBuilder out) throws Malformed {
      byte e = peek();
      pos++;
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length) {
            throw new Malformed("a truncated JSON unicode escape");
          }
          int v = 0;
          for (int k = 0; k < 4; k++) {
            byte h = s[pos + k];
            int d = h >= 0 && h <= 'f' ? Character.digit(h, 16) : -1;
            if (d < 0) {
              throw new Malformed("a bad JSON unicode escape");
            }
            v = (v << 4) | d;
          }
          pos += 4;
          out.append((char) v);
        }
        default -> throw new Malformed("a bad JSON escape");
      }
    }

    private Object number() throws Malformed {
      int start = pos;
      if (pos < s.length && s[pos] == '-') {
        pos++;
      }
      int intStart = pos;
      digits();
      if (pos - intStart > 1 && s[intStart] == '0') {
        throw new Malformed("a JSON number with a leading zero");
      }
      boolean integral = true;
      if (pos < s.length && s[pos] == '.') {
        pos++;
        digits();
        integral = false;
      }
      if (pos < s.length && (s[pos] == 'e' || s[pos] == 'E')) {
        pos++;
        if (pos < s.length && (s[pos] == '+' || s[pos] == '-')) {
          pos++;
        }
        digits();
        integral = false;
      }
      int length = pos - start;
      if (integral && length <= 18) {
        // At most 18 characters: the value fits in a long, no parsing through a String needed.
        boolean negative = s[start] == '-';
        long v = 0;
        for (int i = negative ? start + 1 : start; i < pos; i++) {
          v = v * 10 + (s[i] - '0');
        }
        return negative ? -v : v;
      }
      String text = new String(s, start, length, StandardCharsets.ISO_8859_1);
      if (integral) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          // too large for a long: falls through to double
        }
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new Malformed("a bad JSON number");
      }
    }

    private void digits() throws Malformed {
      int start = pos;
      while (pos < s.length && s[pos] >= '0' && s[pos] <= '9') {
        pos++;
      }
      if (pos == start) {
        throw new Malformed("a JSON number without digits");
      }
    }
  }

  /** The value JSON {@code null} parses to (maps cannot hold Java null here). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /**
   * Returns a member that must be a string, or null when absent.
   *
   * @param object the object
   * @param name the member name
   * @return the string, or null when the member is absent
   * @throws Malformed if the member is present but not a string
   */
  public static @Nullable String optString(Map<String, Object> object, String name) throws Malformed {
    Object value = object.get(name);
    if (value == null) {
      return null;
    }
    if (value == NULL) {
      throw new Malformed("a member is null");
    }
    if (value instanceof String s) {
      return s;
    }
    throw new Malformed("a member is not a string");
  }

  /**
   * Returns a member that must be a non-empty string.
   *
   * @param object the object
   * @param name the member name
   * @return the string
   * @throws Malformed if the member is absent, empty or not a string
   */
  public static String string(Map<String, Object> object, String name) throws Malformed {
    String s = optString(object, name);
    if (s == null || s.isEmpty()) {
      throw new Malformed("a required member is missing");
    }
    return s;
  }

  /**
   * Serialises a JSON object.
   *
   * @param object the members, in iteration order
   * @return the JSON text
   */
  public static String write(Map<String, ?> object) {
    return JsonWriter.write(object);
  }
}
