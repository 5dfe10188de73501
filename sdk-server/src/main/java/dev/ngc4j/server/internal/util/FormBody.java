package dev.ngc4j.server.internal.util;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An {@code application/x-www-form-urlencoded} body or URL query, parsed strictly: every parameter appears at most
 * once, percent escapes are complete and values are UTF-8. Values are decoded on demand, so that a secret
 * (a password) can be taken as bytes the caller clears instead of as a {@link String}.
 *
 * <p>The source array is referenced, not copied; the caller keeps it alive and clears it when done.
 *
 * <p>Thread safety: immutable after parsing, safe for concurrent reads.
 */
public final class FormBody {
  /** The most parameters accepted. */
  static final int MAX_PARAMETERS = 64;

  private final byte[] source;
  private final Map<String, int[]> ranges;

  private FormBody(byte[] source, Map<String, int[]> ranges) {
    this.source = source;
    this.ranges = ranges;
  }

  /**
   * Parses a form body or a raw query.
   *
   * @param source the raw bytes (ASCII in practice)
   * @return the parsed form
   * @throws Malformed on a repeated parameter, a bad escape or too many parameters
   */
  public static FormBody parse(byte[] source) throws Malformed {
    Map<String, int[]> ranges = new HashMap<>();
    int start = 0;
    int n = source.length;
    while (start < n) {
      // One tight pass per parameter: find '&', and collect the classes of the bytes seen (see CLASS).
      int eq = -1;
      int classes = 0;
      int i = start;
      for (; i < n; i++) {
        byte c = source[i];
        int k = CLASS[c & 0xff];
        if (k != 0) {
          if (c == '&') {
            break;
          }
          if (c == '=' && eq < 0) {
            eq = i;
          } else {
            classes |= k;
          }
        }
      }
      if ((classes & PERCENT) != 0) {
        checkEscapes(source, start, i);
      }
      if (i > start) {
        int nameEnd = eq < 0 ? i : eq;
        String name = utf8(decode(source, start, nameEnd));
        int plain = (classes & (PERCENT | PLUS | HIGH)) == 0 ? 1 : 0;
        int[] value = eq < 0 ? new int[] {i, i, 1} : new int[] {eq + 1, i, plain};
        if (name.isEmpty() || ranges.put(name, value) != null) {
          throw new Malformed("a form parameter is empty or repeated");
        }
        if (ranges.size() > MAX_PARAMETERS) {
          throw new Malformed("too many form parameters");
        }
      }
      start = i + 1;
    }
    return new FormBody(source, ranges);
  }

  private static final int SPECIAL = 1;
  private static final int PERCENT = 2;
  private static final int PLUS = 4;
  private static final int HIGH = 8;

  /** Per byte: 0 for the bytes that need nothing, else a bit set naming why the byte matters. */
  private static final byte[] CLASS = classes();

  private static byte[] classes() {
    byte[] t = new byte[256];
    t['&'] = SPECIAL;
    t['='] = SPECIAL;
    t['%'] = PERCENT;
    t['+'] = PLUS;
    for (int b = 0x80; b < 0x100; b++) {
      t[b] = HIGH;
    }
    return t;
  }

  private static void checkEscapes(byte[] source, int from, int to) throws Malformed {
    for (int i = from; i < to; i++) {
      if (source[i] == '%') {
        if (i + 2 >= to || Character.digit(source[i + 1], 16) < 0
            || Character.digit(source[i + 2], 16) < 0) {
          throw new Malformed("a bad percent escape");
        }
        i += 2;
      }
    }
  }

  /**
   * Parses a raw query string (may be null or empty).
   *
   * @param rawQuery the raw query, still percent-encoded
   * @return the parsed form
   * @throws Malformed as {@link #parse(byte[])}
   */
  public static FormBody parseQuery(@Nullable String rawQuery) throws Malformed {
    return parse(rawQuery == null ? new byte[0] : rawQuery.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns whether a parameter is present.
   *
   * @param name the name
   * @return true if present (possibly with an empty value)
   */
  public boolean has(String name) {
    return ranges.containsKey(name);
  }

  /**
   * Returns a parameter's value decoded as UTF-8, or null when absent.
   *
   * @param name the name
   * @return the value, or null
   * @throws Malformed if the value is not UTF-8
   */
  public @Nullable String get(String name) throws Malformed {
    int[] r = ranges.get(name);
    if (r == null) {
      return null;
    }
    if (r[2] == 1) {
      return new String(source, r[0], r[1] - r[0], StandardCharsets.US_ASCII);
    }
    return utf8(decode(source, r[0], r[1]));
  }

  /**
   * Returns a parameter's value as bytes the caller must clear, or null when absent.
   *
   * @param name the name
   * @return a fresh array, or null
   * @throws Malformed never in practice (escapes were checked when parsing)
   */
  public byte @Nullable [] secret(String name) throws Malformed {
    int[] r = ranges.get(name);
    return r == null ? null : decode(source, r[0], r[1]);
  }

  private static byte[] decode(byte[] b, int from, int to) throws Malformed {
    byte[] out = new byte[to - from];
    int o = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '+') {
        out[o++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          Arrays.fill(out, (byte) 0);
          throw new Malformed("an incomplete percent escape");
        }
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        if (hi < 0 || lo < 0) {
          Arrays.fill(out, (byte) 0);
          throw new Malformed("a bad percent escape");
        }
        out[o++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else {
        out[o++] = c;
      }
    }
    if (o == out.length) {
      return out;
    }
    byte[] result = Arrays.copyOf(out, o);
    Arrays.fill(out, (byte) 0);
    return result;
  }

  private static String utf8(byte[] bytes) throws Malformed {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("a form value is not UTF-8");
    }
  }
}
