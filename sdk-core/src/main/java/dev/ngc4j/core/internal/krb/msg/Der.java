package dev.ngc4j.core.internal.krb.msg;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * DER encoding of the few ASN.1 types Kerberos and PKINIT use (X.690): every value is encoded with definite,
 * minimal lengths and minimal integers, so the output is the one DER encoding of the value.
 *
 * <p>Tags are single identifier octets (tag numbers 0 to 30); that covers every Kerberos and PKINIT type. The
 * methods take and return fresh arrays; they throw {@link IllegalArgumentException} only for values the caller
 * must not pass (a negative tag number, an invalid object identifier, a string that is not valid Unicode).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Der {
  /** Universal tag BOOLEAN. */
  public static final int BOOLEAN = 0x01;
  /** Universal tag INTEGER. */
  public static final int INTEGER = 0x02;
  /** Universal tag BIT STRING. */
  public static final int BIT_STRING = 0x03;
  /** Universal tag OCTET STRING. */
  public static final int OCTET_STRING = 0x04;
  /** Universal tag NULL. */
  public static final int NULL = 0x05;
  /** Universal tag OBJECT IDENTIFIER. */
  public static final int OBJECT_IDENTIFIER = 0x06;
  /** Universal tag GeneralizedTime. */
  public static final int GENERALIZED_TIME = 0x18;
  /** Universal tag GeneralString. */
  public static final int GENERAL_STRING = 0x1B;
  /** Universal constructed tag SEQUENCE (and SEQUENCE OF). */
  public static final int SEQUENCE = 0x30;

  private static final int CONTEXT_PRIMITIVE = 0x80;
  private static final int CONTEXT_CONSTRUCTED = 0xA0;
  private static final int APPLICATION_CONSTRUCTED = 0x60;
  private static final int MAX_TAG_NUMBER = 30;
  private static final long MIN_TIME_SECONDS = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long MAX_TIME_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private Der() {}

  /**
   * Returns the identifier octet of a context-specific constructed tag {@code [n]} (explicit tagging).
   *
   * @param n the tag number, 0 to 30
   * @return the identifier octet
   */
  public static int contextConstructed(int n) {
    return CONTEXT_CONSTRUCTED | checkTagNumber(n);
  }

  /**
   * Returns the identifier octet of a context-specific primitive tag {@code [n] IMPLICIT}.
   *
   * @param n the tag number, 0 to 30
   * @return the identifier octet
   */
  public static int contextPrimitive(int n) {
    return CONTEXT_PRIMITIVE | checkTagNumber(n);
  }

  /**
   * Returns the identifier octet of an application constructed tag {@code [APPLICATION n]}.
   *
   * @param n the tag number, 0 to 30
   * @return the identifier octet
   */
  public static int application(int n) {
    return APPLICATION_CONSTRUCTED | checkTagNumber(n);
  }

  /**
   * Encodes one TLV.
   *
   * @param identifier the identifier octet
   * @param content the contents octets
   * @return the encoding
   */
  public static byte[] tlv(int identifier, byte[] content) {
    if (identifier < 0 || identifier > 0xFF || (identifier & 0x1F) == 0x1F) {
      throw new IllegalArgumentException("not a single-octet identifier: " + identifier);
    }
    byte[] length = length(content.length);
    byte[] out = new byte[1 + length.length + content.length];
    out[0] = (byte) identifier;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, content.length);
    return out;
  }

  /**
   * Concatenates encodings.
   *
   * @param parts the parts, in order
   * @return the concatenation
   */
  public static byte[] concat(byte[]... parts) {
    return concat(List.of(parts));
  }

  /**
   * Concatenates encodings.
   *
   * @param parts the parts, in order
   * @return the concatenation
   */
  public static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * Encodes a SEQUENCE of the given (already encoded) elements.
   *
   * @param elements the encoded elements, in order
   * @return the encoding
   */
  public static byte[] sequence(byte[]... elements) {
    return tlv(SEQUENCE, concat(elements));
  }

  /**
   * Encodes a SEQUENCE (OF) of the given (already encoded) elements.
   *
   * @param elements the encoded elements, in order
   * @return the encoding
   */
  public static byte[] sequence(List<byte[]> elements) {
    return tlv(SEQUENCE, concat(elements));
  }

  /**
   * Encodes an explicitly tagged value {@code [n] inner}.
   *
   * @param n the context tag number
   * @param inner the encoded inner value
   * @return the encoding
   */
  public static byte[] explicit(int n, byte[] inner) {
    return tlv(contextConstructed(n), inner);
  }

  /**
   * Encodes {@code [n] IMPLICIT} of a primitive type: the given contents under a context primitive tag.
   *
   * @param n the context tag number
   * @param content the contents octets of the underlying type
   * @return the encoding
   */
  public static byte[] implicitPrimitive(int n, byte[] content) {
    return tlv(contextPrimitive(n), content);
  }

  /**
   * Encodes {@code [APPLICATION n] inner}.
   *
   * @param n the application tag number
   * @param inner the encoded inner value
   * @return the encoding
   */
  public static byte[] applicationTagged(int n, byte[] inner) {
    return tlv(application(n), inner);
  }

  /**
   * Encodes an INTEGER.
   *
   * @param value the value
   * @return the encoding
   */
  public static byte[] integer(long value) {
    return integer(BigInteger.valueOf(value));
  }

  /**
   * Encodes an INTEGER.
   *
   * @param value the value
   * @return the encoding
   */
  public static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray()); // two's complement, minimal: the DER contents
  }

  /**
   * Encodes a BOOLEAN (DER: {@code 0xFF} for true).
   *
   * @param value the value
   * @return the encoding
   */
  public static byte[] bool(boolean value) {
    return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xFF : 0x00)});
  }

  /**
   * Encodes an AlgorithmIdentifier (RFC 5280 §4.1.1.2).
   *
   * @param oid the algorithm in dotted form
   * @param parameters the encoded parameters, or {@code null} to omit them
   * @return the encoding
   */
  public static byte[] algorithmIdentifier(String oid, byte @Nullable [] parameters) {
    return parameters == null ? sequence(oid(oid)) : sequence(oid(oid), parameters);
  }

  /**
   * Encodes an OCTET STRING.
   *
   * @param value the octets
   * @return the encoding
   */
  public static byte[] octetString(byte[] value) {
    return tlv(OCTET_STRING, value);
  }

  /**
   * Encodes a BIT STRING whose length is a whole number of octets (no unused bits).
   *
   * @param octets the bits, most significant first
   * @return the encoding
   */
  public static byte[] bitString(byte[] octets) {
    byte[] content = new byte[octets.length + 1];
    System.arraycopy(octets, 0, content, 1, octets.length);
    return tlv(BIT_STRING, content);
  }

  /**
   * Encodes KerberosFlags (RFC 4120 §5.2.8): a BIT STRING of exactly 32 bits, bit 0 being the most significant
   * bit of {@code flags}.
   *
   * @param flags the 32 flag bits
   * @return the encoding
   */
  public static byte[] kerberosFlags(int flags) {
    return bitString(ByteBuffer.allocate(4).putInt(flags).array());
  }

  /**
   * Encodes a KerberosString (RFC 4120 §5.2.1): a GeneralString holding the UTF-8 bytes of the string, as MIT
   * Kerberos, Heimdal and Windows do.
   *
   * @param value the string; must be valid Unicode (no unpaired surrogates)
   * @return the encoding
   */
  public static byte[] kerberosString(String value) {
    return tlv(GENERAL_STRING, utf8(value));
  }

  /**
   * Encodes a KerberosTime (RFC 4120 §5.2.3): a GeneralizedTime {@code YYYYMMDDHHMMSSZ} in UTC with no fraction.
   * Sub-second parts of {@code time} are dropped (rounded down); Kerberos carries microseconds in separate fields.
   *
   * @param time the instant, in years 0 to 9999
   * @return the encoding
   */
  public static byte[] kerberosTime(Instant time) {
    Objects.requireNonNull(time, "time");
    if (time.getEpochSecond() < MIN_TIME_SECONDS || time.getEpochSecond() > MAX_TIME_SECONDS) {
      throw new IllegalArgumentException("a KerberosTime must lie in the years 0 to 9999");
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
    String text = String.format(
        Locale.ROOT,
        "%04d%02d%02d%02d%02d%02dZ",
        t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    return tlv(GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Encodes an OBJECT IDENTIFIER given in dotted form.
   *
   * @param dotted the identifier, for example {@code 1.3.6.1.5.2.3.6.2}
   * @return the encoding
   */
  public static byte[] oid(String dotted) {
    return tlv(OBJECT_IDENTIFIER, oidContent(dotted));
  }

  /**
   * Returns the contents octets of an OBJECT IDENTIFIER given in dotted form.
   *
   * @param dotted the identifier
   * @return the contents octets
   */
  static byte[] oidContent(String dotted) {
    String[] arcs = dotted.split("\\.", -1);
    if (arcs.length < 2) {
      throw new IllegalArgumentException("an object identifier needs at least two arcs: " + dotted);
    }
    BigInteger[] values = new BigInteger[arcs.length];
    for (int i = 0; i < arcs.length; i++) {
      if (arcs[i].isEmpty() || arcs[i].length() > 160 || !arcs[i].chars().allMatch(c -> c >= '0' && c <= '9')
          || (arcs[i].length() > 1 && arcs[i].charAt(0) == '0')) {
        throw new IllegalArgumentException("not a dotted object identifier: " + dotted);
      }
      values[i] = new BigInteger(arcs[i]);
    }
    BigInteger forty = BigInteger.valueOf(40);
    if (values[0].compareTo(BigInteger.TWO) > 0 || (values[0].compareTo(BigInteger.TWO) < 0
        && values[1].compareTo(forty) >= 0)) {
      throw new IllegalArgumentException("invalid first arcs of object identifier: " + dotted);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, values[0].multiply(forty).add(values[1]));
    for (int i = 2; i < values.length; i++) {
      writeBase128(out, values[i]);
    }
    return out.toByteArray();
  }

  private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
    int groups = Math.max(1, (value.bitLength() + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int septet = value.shiftRight(7 * g).intValue() & 0x7F;
      out.write(g == 0 ? septet : septet | 0x80);
    }
  }

  /** Returns the strict UTF-8 encoding of {@code value}; refuses unpaired surrogates. */
  static byte[] utf8(String value) {
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value));
      byte[] out = new byte[bytes.remaining()];
      bytes.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the string is not valid Unicode (unpaired surrogate)", e);
    }
  }

  private static byte[] length(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] out = new byte[1 + octets];
    out[0] = (byte) (0x80 | octets);
    for (int i = 0; i < octets; i++) {
      out[octets - i] = (byte) (length >>> (8 * i));
    }
    return out;
  }

  private static int checkTagNumber(int n) {
    if (n < 0 || n > MAX_TAG_NUMBER) {
      throw new IllegalArgumentException("tag number outside 0 to 30: " + n);
    }
    return n;
  }
}
