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
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("not UTF-8");
    }
    return parseObject(text);
  }

  /**
   * Parses text as a JSON object.
   *
   * @param text the text
   * @return the members
   * @throws Malformed if the text is not one JSON object
   */
  public static Map<String, Object> parseObject(String text) throws Malformed {
    Parser p = new Parser(text);
    p.skipWhitespace();
    if (p.pos >= text.length() || text.charAt(p.pos) != '{') {
      throw new Malformed("not a JSON object");
    }
    Map<String, Object> object = p.object(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw new Malformed("trailing content after the JSON object");
    }
    return object;
  }

  /** A recursive-descent parser over one string. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private char peek() throws Malformed {
      if (pos >= s.length()) {
        throw new Malformed("unexpected end of JSON");
      }
      return s.charAt(pos);
    }

    private void expect(char c) throws Malformed {
      if (peek() != c) {
        throw new Malformed("unexpected JSON character");
      }
      pos++;
    }

    Object value(int depth) throws Malformed {
      skipWhitespace();
      char c = peek();
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
      if (!s.startsWith(word, pos)) {
        throw new Malformed("bad JSON literal");
      }
      pos += word.length();
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
        if (map.containsKey(name)) {
          throw new Malformed("a JSON member name is repeated");
        }
        map.put(name, value);
        skipWhitespace();
        char c = peek();
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
        char c = peek();
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
      // Fast path: no escapes.
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '"') {
          String value = s.substring(start, pos);
          pos++;
          return value;
        }
        if (c == '\\' || c < 0x20) {
          break;
        }
        pos++;
      }
      StringBuilder out = new StringBuilder(s.length() - start);
      out.append(s, start, pos);
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw new Malformed("a control character in a JSON string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = peek();
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
            if (pos + 4 > s.length()) {
              throw new Malformed("a truncated JSON unicode escape");
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(s.charAt(pos + k), 16);
              if (d < 0 || s.charAt(pos + k) > 'f') {
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
    }

    private Object number() throws Malformed {
      int start = pos;
      if (pos < s.length() && s.charAt(pos) == '-') {
        pos++;
      }
      int intStart = pos;
      digits();
      if (pos - intStart > 1 && s.charAt(intStart) == '0') {
        throw new Malformed("a JSON number with a leading zero");
      }
      boolean integral = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        digits();
        integral = false;
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        digits();
        integral = false;
      }
      String text = s.substring(start, pos);
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
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
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
