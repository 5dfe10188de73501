package dev.ngc4j.core.internal.cloud;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON writer of both ends: members in the iteration order of the map given, no white space, so that the
 * bytes signed are the bytes sent and tests can compare them. Shared by {@code dev.ngc4j.core.cloud},
 * {@link WhfbAssertion} and the service ({@code sdk-server}, to which this package is exported).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class JsonWriter {
  private JsonWriter() {}

  /**
   * Writes a value: a {@link Map} with {@link String} keys (in its iteration order), a {@link List}, a
   * {@link String}, an {@link Integer} or {@link Long}, a {@link Boolean}; a nested Java {@code null} is written
   * as JSON {@code null}.
   *
   * @param value the value
   * @return the JSON text
   * @throws IllegalArgumentException for anything else
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(1024);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
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
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
    }
  }

  /** True if no character needs escaping (most values: base64url, GUIDs, URLs), so it is appended as is. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
        return false;
      }
    }
    return true;
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    if (plain(s)) {
      out.append(s).append('"');
      return;
    }
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
}
