package dev.ngc4j.core.internal.krb.msg;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A strict DER reader over one encoding: it walks the elements of one constructed value (or of the whole input)
 * in order, and each read checks the exact identifier octet, a definite minimal length that fits in what is left,
 * and the DER rules of the type (minimal INTEGERs, primitive strings, zero padding bits, the exact KerberosTime
 * form, valid UTF-8).
 *
 * <p>Every failure is a {@link KrbMessageException} naming the path of the field (for example
 * {@code KRB-ERROR.error-code}), the byte offset and the rule that was broken; no unchecked exception escapes for
 * any input. Sizes are bounded: the input ({@link #MAX_INPUT}), the nesting depth ({@link #MAX_DEPTH}), the
 * elements of a SEQUENCE OF ({@link #MAX_ELEMENTS}), and the octets of strings and integers.
 *
 * <p>Thread safety: not thread-safe; use one reader per thread.
 */
public final class DerReader {
  /** The largest encoding accepted, in bytes (1 MiB, the transport's reply cap as well). */
  public static final int MAX_INPUT = 1 << 20;
  /** The deepest nesting of constructed values accepted. */
  public static final int MAX_DEPTH = 32;
  /** The most elements accepted in one SEQUENCE OF. */
  public static final int MAX_ELEMENTS = 1024;
  /** The longest KerberosString accepted, in bytes. */
  public static final int MAX_STRING = 4096;
  /** The longest INTEGER accepted by {@link #bigInteger(int)} callers, in contents octets (a 16384-bit value). */
  public static final int MAX_BIG_INTEGER = 2049;

  /** Reads one value from a reader positioned at it. */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * Reads one value at the reader's position.
     *
     * @param reader the reader
     * @return the value
     * @throws KrbMessageException if the value is malformed
     */
    T read(DerReader reader) throws KrbMessageException;
  }

  /**
   * One TLV: its identifier octet and where its contents lie in the input.
   *
   * <p>Thread safety: immutable.
   */
  public static final class Element {
    private final byte[] buf;
    private final int identifier;
    private final int tagOffset;
    private final int contentOffset;
    private final int length;
    private final int depth;
    private final String path;

    private Element(byte[] buf, int identifier, int tagOffset, int contentOffset, int length, int depth,
        String path) {
      this.buf = buf;
      this.identifier = identifier;
      this.tagOffset = tagOffset;
      this.contentOffset = contentOffset;
      this.length = length;
      this.depth = depth;
      this.path = path;
    }

    /**
     * Returns the identifier octet.
     *
     * @return the identifier, 0 to 255
     */
    public int identifier() {
      return identifier;
    }

    /**
     * Returns the length of the contents.
     *
     * @return the contents length in bytes
     */
    public int length() {
      return length;
    }

    /**
     * Returns a copy of the contents octets.
     *
     * @return the contents
     */
    public byte[] contents() {
      return Arrays.copyOfRange(buf, contentOffset, contentOffset + length);
    }

    /**
     * Returns a copy of the whole encoding (identifier, length and contents).
     *
     * @return the TLV bytes exactly as received
     */
    public byte[] encoded() {
      return Arrays.copyOfRange(buf, tagOffset, contentOffset + length);
    }

    /**
     * Returns a reader over the elements inside this constructed value.
     *
     * @param name the field or type name added to the path in error messages
     * @return the reader
     * @throws KrbMessageException if the element is primitive or nesting is too deep
     */
    public DerReader reader(String name) throws KrbMessageException {
      String childPath = path + "." + name;
      if ((identifier & 0x20) == 0) {
        throw new KrbMessageException(childPath + " (offset " + tagOffset + "): expected a constructed encoding");
      }
      return new DerReader(buf, contentOffset, contentOffset + length, depth + 1, childPath);
    }
  }

  private final byte[] buf;
  private final int end;
  private final int depth;
  private final String path;
  private int pos;
  private int lastContextTag = -1;

  private DerReader(byte[] buf, int start, int end, int depth, String path) throws KrbMessageException {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.depth = depth;
    this.path = path;
    if (depth > MAX_DEPTH) {
      throw new KrbMessageException(path + " (offset " + start + "): nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  /**
   * Returns a reader over a whole encoding. The array is not copied; it must not change while it is read.
   *
   * @param der the encoding
   * @param name the name of the structure, the root of the path in error messages
   * @return the reader
   * @throws KrbMessageException if the input is empty or larger than {@link #MAX_INPUT}
   */
  public static DerReader of(byte[] der, String name) throws KrbMessageException {
    Objects.requireNonNull(der, "der");
    if (der.length == 0) {
      throw new KrbMessageException(name + ": the encoding is empty");
    }
    if (der.length > MAX_INPUT) {
      throw new KrbMessageException(name + ": the encoding is larger than " + MAX_INPUT + " bytes");
    }
    return new DerReader(der, 0, der.length, 0, name);
  }

  /**
   * Decodes a whole encoding that must hold exactly one value.
   *
   * @param der the encoding
   * @param name the structure name for error messages
   * @param decoder reads the value
   * @param <T> the value type
   * @return the value
   * @throws KrbMessageException if the value is malformed or bytes follow it
   */
  public static <T> T decodeAll(byte[] der, String name, Decoder<T> decoder) throws KrbMessageException {
    DerReader reader = of(der, name);
    T value = decoder.read(reader);
    reader.end();
    return value;
  }

  /**
   * Tells whether an element remains.
   *
   * @return whether the reader is not at its end
   */
  public boolean hasNext() {
    return pos < end;
  }

  /**
   * Returns the identifier octet of the next element without reading it.
   *
   * @return the identifier, or -1 at the end
   */
  public int peekIdentifier() {
    return pos < end ? buf[pos] & 0xFF : -1;
  }

  /**
   * Returns the path of this reader, for error messages of callers.
   *
   * @return the path, such as {@code AS-REP.ticket}
   */
  public String path() {
    return path;
  }

  /**
   * Creates the exception for a malformed value at the current position.
   *
   * @param problem what is wrong
   * @return the exception, to be thrown
   */
  public KrbMessageException failure(String problem) {
    return new KrbMessageException(path + " (offset " + pos + "): " + problem);
  }

  /**
   * Reads the next element, whatever its tag.
   *
   * @return the element
   * @throws KrbMessageException if there is none or its header is malformed
   */
  public Element next() throws KrbMessageException {
    if (pos >= end) {
      throw failure("truncated: an element is missing");
    }
    int tagOffset = pos;
    int identifier = buf[pos] & 0xFF;
    if ((identifier & 0x1F) == 0x1F) {
      throw failure("multi-octet tag numbers are not used by Kerberos");
    }
    int p = pos + 1;
    if (p >= end) {
      throw failure("truncated: the length octets are missing");
    }
    int first = buf[p++] & 0xFF;
    long length;
    if (first < 0x80) {
      length = first;
    } else if (first == 0x80) {
      throw failure("indefinite length is not DER");
    } else {
      int count = first & 0x7F;
      if (count > 4) {
        throw failure("the length field has more than 4 octets");
      }
      if (end - p < count) {
        throw failure("truncated: the length octets are missing");
      }
      if (buf[p] == 0) {
        throw failure("the length has a leading zero octet (not DER)");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (buf[p++] & 0xFF);
      }
      if (length < 0x80) {
        throw failure("a length below 128 must use the short form (not DER)");
      }
    }
    if (length > end - p) {
      throw failure("truncated: the element declares " + length + " bytes but only " + (end - p) + " remain");
    }
    pos = p + (int) length;
    return new Element(buf, identifier, tagOffset, p, (int) length, depth, path);
  }

  /**
   * Reads the next element, which must carry the given identifier octet.
   *
   * @param identifier the expected identifier octet
   * @return the element
   * @throws KrbMessageException if it is missing or has another tag
   */
  public Element expect(int identifier) throws KrbMessageException {
    int actual = peekIdentifier();
    if (actual != identifier) {
      throw failure(actual < 0
          ? "truncated: expected tag " + describe(identifier)
          : "expected tag " + describe(identifier) + " but found " + describe(actual));
    }
    return next();
  }

  /**
   * Checks that every element has been read.
   *
   * @throws KrbMessageException if elements or bytes remain
   */
  public void end() throws KrbMessageException {
    if (pos < end) {
      throw failure("unexpected " + describe(peekIdentifier()) + " (unknown, repeated or out-of-order field, or "
          + "trailing bytes)");
    }
  }

  /**
   * Checks the end of a SEQUENCE whose ASN.1 type has an extension marker: further context-tagged fields with
   * tag numbers above those read, in increasing order, are skipped (after a well-formedness check of their
   * headers); anything else is refused.
   *
   * @throws KrbMessageException if a remaining element is not such an extension field
   */
  public void endExtensible() throws KrbMessageException {
    while (pos < end) {
      int identifier = peekIdentifier();
      int number = identifier & 0x1F;
      if ((identifier & 0xC0) != 0x80 || number <= lastContextTag) {
        end();
      }
      next();
      lastContextTag = number;
    }
  }

  /**
   * Reads an explicitly tagged field {@code [n]} holding one value.
   *
   * @param n the context tag number
   * @param name the field name
   * @param decoder reads the value inside
   * @param <T> the value type
   * @return the value
   * @throws KrbMessageException if the field is missing or malformed
   */
  public <T> T field(int n, String name, Decoder<T> decoder) throws KrbMessageException {
    if (peekIdentifier() != Der.contextConstructed(n)) {
      throw failure("the required field [" + n + "] " + name + " is missing"
          + (hasNext() ? " (found " + describe(peekIdentifier()) + ")" : ""));
    }
    return readField(n, name, decoder);
  }

  /**
   * Reads an explicitly tagged OPTIONAL field {@code [n]} if it is next.
   *
   * @param n the context tag number
   * @param name the field name
   * @param decoder reads the value inside
   * @param <T> the value type
   * @return the value, or {@code null} if the next element is not {@code [n]}
   * @throws KrbMessageException if the field is present but malformed
   */
  public <T> @Nullable T optionalField(int n, String name, Decoder<T> decoder) throws KrbMessageException {
    if (peekIdentifier() != Der.contextConstructed(n)) {
      return null;
    }
    return readField(n, name, decoder);
  }

  private <T> T readField(int n, String name, Decoder<T> decoder) throws KrbMessageException {
    DerReader inner = next().reader(name);
    lastContextTag = n;
    T value = decoder.read(inner);
    inner.end();
    return value;
  }

  /**
   * Reads an implicitly tagged primitive OCTET STRING {@code [n] IMPLICIT OCTET STRING}.
   *
   * @param n the context tag number
   * @return the octets
   * @throws KrbMessageException if it is missing or constructed
   */
  public byte[] implicitOctetString(int n) throws KrbMessageException {
    byte[] value = expect(Der.contextPrimitive(n)).contents();
    lastContextTag = n;
    return value;
  }

  /**
   * Reads an OPTIONAL {@code [n] IMPLICIT OCTET STRING} if it is next.
   *
   * @param n the context tag number
   * @return the octets, or {@code null} if absent
   * @throws KrbMessageException if malformed
   */
  public byte @Nullable [] optionalImplicitOctetString(int n) throws KrbMessageException {
    return peekIdentifier() == Der.contextPrimitive(n) ? implicitOctetString(n) : null;
  }

  /**
   * Reads a SEQUENCE and returns a reader over its elements.
   *
   * @param name the type name added to the path in error messages
   * @return the reader over the SEQUENCE's contents
   * @throws KrbMessageException if the next element is not a SEQUENCE
   */
  public DerReader sequence(String name) throws KrbMessageException {
    return expect(Der.SEQUENCE).reader(name);
  }

  /**
   * Reads a SEQUENCE OF.
   *
   * @param decoder reads one element
   * @param <T> the element type
   * @return the elements, in order; immutable
   * @throws KrbMessageException if malformed or longer than {@link #MAX_ELEMENTS}
   */
  public <T> List<T> sequenceOf(Decoder<T> decoder) throws KrbMessageException {
    DerReader inner = expect(Der.SEQUENCE).reader("SEQUENCE OF");
    List<T> out = new ArrayList<>();
    while (inner.hasNext()) {
      if (out.size() == MAX_ELEMENTS) {
        throw inner.failure("more than " + MAX_ELEMENTS + " elements");
      }
      out.add(decoder.read(inner));
    }
    return List.copyOf(out);
  }

  /**
   * Reads an INTEGER within [{@code min}, {@code max}].
   *
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return the value
   * @throws KrbMessageException if not a minimal INTEGER or out of range
   */
  public long integer(long min, long max) throws KrbMessageException {
    int at = pos;
    Element e = expect(Der.INTEGER);
    if (e.length > 8) {
      throw new KrbMessageException(path + " (offset " + at + "): INTEGER out of range [" + min + ", " + max + "]");
    }
    long value = integerContent(e, at).longValue();
    if (value < min || value > max) {
      throw new KrbMessageException(path + " (offset " + at + "): INTEGER out of range [" + min + ", " + max + "]");
    }
    return value;
  }

  /**
   * Reads an Int32 (RFC 4120 §5.2.4).
   *
   * @return the value
   * @throws KrbMessageException if malformed or out of range
   */
  public int int32() throws KrbMessageException {
    return (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * Reads a UInt32 (RFC 4120 §5.2.4).
   *
   * @return the value, 0 to 4294967295
   * @throws KrbMessageException if malformed or out of range
   */
  public long uint32() throws KrbMessageException {
    return integer(0, 0xFFFF_FFFFL);
  }

  /**
   * Reads a 32-bit value sent as Int32 or UInt32 (nonces and sequence numbers: MIT encodes them as Int32, the
   * RFC as UInt32) and returns its 32-bit pattern.
   *
   * @return the 32 bits
   * @throws KrbMessageException if malformed or outside [-2^31, 2^32 - 1]
   */
  public int nonce32() throws KrbMessageException {
    return (int) integer(Integer.MIN_VALUE, 0xFFFF_FFFFL);
  }

  /**
   * Reads Microseconds (RFC 4120 §5.2.4: 0 to 999999).
   *
   * @return the value
   * @throws KrbMessageException if malformed or out of range
   */
  public int microseconds() throws KrbMessageException {
    return (int) integer(0, 999_999);
  }

  /**
   * Reads an INTEGER of any sign with at most {@code maxOctets} contents octets.
   *
   * @param maxOctets the largest contents length accepted
   * @return the value
   * @throws KrbMessageException if malformed or too long
   */
  public BigInteger bigInteger(int maxOctets) throws KrbMessageException {
    int at = pos;
    Element e = expect(Der.INTEGER);
    if (e.length > maxOctets) {
      throw new KrbMessageException(path + " (offset " + at + "): INTEGER longer than " + maxOctets + " octets");
    }
    return integerContent(e, at);
  }

  private BigInteger integerContent(Element e, int at) throws KrbMessageException {
    if (e.length == 0) {
      throw new KrbMessageException(path + " (offset " + at + "): empty INTEGER");
    }
    if (e.length > 1) {
      int b0 = buf[e.contentOffset];
      int b1 = buf[e.contentOffset + 1];
      if ((b0 == 0 && (b1 & 0x80) == 0) || (b0 == -1 && (b1 & 0x80) != 0)) {
        throw new KrbMessageException(path + " (offset " + at + "): INTEGER not minimally encoded (not DER)");
      }
    }
    return new BigInteger(e.contents());
  }

  /**
   * Reads a primitive OCTET STRING.
   *
   * @return the octets
   * @throws KrbMessageException if missing or not primitive
   */
  public byte[] octetString() throws KrbMessageException {
    return expect(Der.OCTET_STRING).contents();
  }

  /**
   * Reads a BIT STRING whose length is a whole number of octets.
   *
   * @return the octets
   * @throws KrbMessageException if malformed or with unused bits
   */
  public byte[] bitStringOctets() throws KrbMessageException {
    int at = pos;
    byte[] content = expect(Der.BIT_STRING).contents();
    if (content.length == 0) {
      throw new KrbMessageException(path + " (offset " + at + "): BIT STRING without its unused-bits octet");
    }
    if (content[0] != 0) {
      throw new KrbMessageException(path + " (offset " + at + "): BIT STRING with unused bits where whole octets "
          + "are required");
    }
    return Arrays.copyOfRange(content, 1, content.length);
  }

  /**
   * Reads KerberosFlags (RFC 4120 §5.2.8): a BIT STRING whose first 32 bits are returned, bit 0 being the most
   * significant bit of the result. Shorter strings are padded with zero bits; at most 256 bits are accepted.
   *
   * @return the flags
   * @throws KrbMessageException if not a valid DER BIT STRING
   */
  public int kerberosFlags() throws KrbMessageException {
    int at = pos;
    byte[] content = expect(Der.BIT_STRING).contents();
    if (content.length == 0 || content.length > 33) {
      throw new KrbMessageException(path + " (offset " + at + "): KerberosFlags BIT STRING of invalid length");
    }
    int unused = content[0] & 0xFF;
    if (unused > 7 || (content.length == 1 && unused != 0)) {
      throw new KrbMessageException(path + " (offset " + at + "): invalid unused-bits count in BIT STRING");
    }
    if (unused > 0 && (content[content.length - 1] & ((1 << unused) - 1)) != 0) {
      throw new KrbMessageException(path + " (offset " + at + "): BIT STRING padding bits are not zero (not DER)");
    }
    int flags = 0;
    for (int i = 0; i < 4; i++) {
      int octet = i + 1 < content.length ? content[i + 1] & 0xFF : 0;
      flags |= octet << (24 - 8 * i);
    }
    return flags;
  }

  /**
   * Reads a KerberosString (RFC 4120 §5.2.1): a primitive GeneralString whose bytes must be valid UTF-8 (a
   * superset of the IA5 characters the RFC prescribes, and what MIT, Heimdal and Windows send).
   *
   * @return the string
   * @throws KrbMessageException if malformed, not UTF-8 or longer than {@link #MAX_STRING} bytes
   */
  public String kerberosString() throws KrbMessageException {
    int at = pos;
    Element e = expect(Der.GENERAL_STRING);
    if (e.length > MAX_STRING) {
      throw new KrbMessageException(path + " (offset " + at + "): KerberosString longer than " + MAX_STRING
          + " bytes");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, e.contentOffset, e.length))
          .toString();
    } catch (CharacterCodingException ex) {
      throw new KrbMessageException(path + " (offset " + at + "): KerberosString is not valid UTF-8", ex);
    }
  }

  /**
   * Reads a KerberosTime (RFC 4120 §5.2.3): a GeneralizedTime of exactly the form {@code YYYYMMDDHHMMSSZ}.
   *
   * @return the instant
   * @throws KrbMessageException if it has another form or is not a valid date and time
   */
  public Instant kerberosTime() throws KrbMessageException {
    int at = pos;
    Element e = expect(Der.GENERALIZED_TIME);
    if (e.length != 15 || buf[e.contentOffset + 14] != 'Z') {
      throw new KrbMessageException(path + " (offset " + at + "): KerberosTime is not of the form YYYYMMDDHHMMSSZ");
    }
    int[] digits = new int[14];
    for (int i = 0; i < 14; i++) {
      int c = buf[e.contentOffset + i];
      if (c < '0' || c > '9') {
        throw new KrbMessageException(path + " (offset " + at + "): KerberosTime is not of the form "
            + "YYYYMMDDHHMMSSZ");
      }
      digits[i] = c - '0';
    }
    int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
    int month = digits[4] * 10 + digits[5];
    int day = digits[6] * 10 + digits[7];
    int hour = digits[8] * 10 + digits[9];
    int minute = digits[10] * 10 + digits[11];
    int second = digits[12] * 10 + digits[13];
    if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth() || hour > 23
        || minute > 59 || second > 59) {
      throw new KrbMessageException(path + " (offset " + at + "): KerberosTime is not a valid date and time");
    }
    return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
  }

  /**
   * Reads an OBJECT IDENTIFIER.
   *
   * @return the identifier in dotted form
   * @throws KrbMessageException if malformed or longer than 64 octets
   */
  public String oid() throws KrbMessageException {
    int at = pos;
    Element e = expect(Der.OBJECT_IDENTIFIER);
    if (e.length == 0 || e.length > 64) {
      throw new KrbMessageException(path + " (offset " + at + "): OBJECT IDENTIFIER of invalid length");
    }
    StringBuilder out = new StringBuilder();
    int p = e.contentOffset;
    int stop = e.contentOffset + e.length;
    boolean first = true;
    while (p < stop) {
      if ((buf[p] & 0xFF) == 0x80) {
        throw new KrbMessageException(path + " (offset " + at + "): OBJECT IDENTIFIER arc not minimally encoded");
      }
      BigInteger arc = BigInteger.ZERO;
      int b;
      do {
        if (p >= stop) {
          throw new KrbMessageException(path + " (offset " + at + "): OBJECT IDENTIFIER ends inside an arc");
        }
        b = buf[p++] & 0xFF;
        arc = arc.shiftLeft(7).or(BigInteger.valueOf(b & 0x7F));
      } while ((b & 0x80) != 0);
      if (first) {
        BigInteger forty = BigInteger.valueOf(40);
        if (arc.compareTo(BigInteger.valueOf(80)) < 0) {
          out.append(arc.divide(forty)).append('.').append(arc.mod(forty));
        } else {
          out.append("2.").append(arc.subtract(BigInteger.valueOf(80)));
        }
        first = false;
      } else {
        out.append('.').append(arc);
      }
    }
    return out.toString();
  }

  /**
   * Reads any one element and returns its whole encoding (for values carried opaquely, such as an
   * AlgorithmIdentifier's parameters).
   *
   * @return the TLV bytes
   * @throws KrbMessageException if malformed
   */
  public byte[] anyEncoded() throws KrbMessageException {
    return next().encoded();
  }

  /** Names an identifier octet in error messages, such as {@code [APPLICATION 30]} or {@code SEQUENCE}. */
  static String describe(int identifier) {
    if (identifier < 0) {
      return "end of data";
    }
    int number = identifier & 0x1F;
    String form = (identifier & 0x20) != 0 ? " constructed" : "";
    return switch (identifier & 0xC0) {
      case 0x40 -> "[APPLICATION " + number + "]" + form;
      case 0x80 -> "[" + number + "]" + ((identifier & 0x20) != 0 ? "" : " primitive");
      case 0xC0 -> "[PRIVATE " + number + "]" + form;
      default -> switch (identifier) {
        case Der.BOOLEAN -> "BOOLEAN";
        case Der.INTEGER -> "INTEGER";
        case Der.BIT_STRING -> "BIT STRING";
        case Der.OCTET_STRING -> "OCTET STRING";
        case Der.NULL -> "NULL";
        case Der.OBJECT_IDENTIFIER -> "OBJECT IDENTIFIER";
        case Der.GENERALIZED_TIME -> "GeneralizedTime";
        case Der.GENERAL_STRING -> "GeneralString";
        case Der.SEQUENCE -> "SEQUENCE";
        default -> String.format(java.util.Locale.ROOT, "tag 0x%02X", identifier);
      };
    };
  }
}
