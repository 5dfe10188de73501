package dev.ngc4j.core.internal.krb.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The DER rules the reader enforces, each with an input that breaks exactly one of them. */
final class DerReaderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static <T> T read(String hex, DerReader.Decoder<T> decoder) throws KrbMessageException {
    return DerReader.decodeAll(HEX.parseHex(hex), "Test", decoder);
  }

  /** Asserts the input is refused and returns the message. */
  private static String refused(String hex, DerReader.Decoder<?> decoder) {
    return String.valueOf(assertThrows(KrbMessageException.class, () -> read(hex, decoder)).getMessage());
  }

  @Test
  void readsMinimalIntegers() throws Exception {
    assertEquals(0L, (long) read("020100", r -> r.integer(Long.MIN_VALUE, Long.MAX_VALUE)));
    assertEquals(128L, (long) read("02020080", r -> r.integer(Long.MIN_VALUE, Long.MAX_VALUE)));
    assertEquals(-129L, (long) read("0202ff7f", r -> r.integer(Long.MIN_VALUE, Long.MAX_VALUE)));
    assertEquals(0xFFFF_FFFFL, (long) read("020500ffffffff", DerReader::uint32));
    assertEquals(-1, (int) read("020500ffffffff", DerReader::nonce32));
    assertEquals(-1, (int) read("0201ff", DerReader::nonce32));
  }

  @Test
  void refusesNonMinimalEmptyAndOutOfRangeIntegers() {
    assertTrue(refused("02020001", DerReader::int32).contains("minimally"));
    assertTrue(refused("0202ff80", DerReader::int32).contains("minimally"));
    assertTrue(refused("0200", DerReader::int32).contains("empty INTEGER"));
    refused("020500ffffffff", DerReader::int32); // 2^32 - 1 is not an Int32
    refused("0201ff", DerReader::uint32); // -1 is not a UInt32
    refused("02030f4240", DerReader::microseconds); // 1000000
    refused("0209010000000000000000", DerReader::nonce32); // 9 octets
  }

  @Test
  void refusesBadLengths() {
    assertTrue(refused("0480", DerReader::octetString).contains("indefinite"));
    assertTrue(refused("048101ff", DerReader::octetString).contains("short form"));
    assertTrue(refused("04820001ff", DerReader::octetString).contains("leading zero"));
    assertTrue(refused("0485ffffffffff", DerReader::octetString).contains("more than 4"));
    assertTrue(refused("0484ffffffff00", DerReader::octetString).contains("truncated"));
    assertTrue(refused("0405aabb", DerReader::octetString).contains("truncated"));
    assertTrue(refused("04", DerReader::octetString).contains("truncated"));
    assertTrue(refused("1f8101", DerReaderTest::walk).contains("multi-octet"));
  }

  @Test
  void refusesTrailingBytesAndWrongTags() {
    assertTrue(refused("0401aa00", DerReader::octetString).contains("trailing"));
    assertTrue(refused("2401aa", DerReader::octetString).contains("OCTET STRING"));
    assertTrue(refused("0201aa", DerReader::octetString).contains("found INTEGER"));
  }

  @Test
  void readsAndRefusesKerberosTimes() throws Exception {
    String ok = HEX.formatHex("20240229235959Z".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(Instant.parse("2024-02-29T23:59:59Z"), read("180f" + ok, DerReader::kerberosTime));
    for (String bad : new String[] {
        "20230229000000Z", "20241301000000Z", "20240101240000Z", "20240101006000Z", "20240101000060Z",
        "2024010100000Z0", "20240101000000.5Z".substring(0, 15), "2024-1-1000000Z"}) {
      byte[] b = bad.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      refused(String.format("18%02x", b.length) + HEX.formatHex(b), DerReader::kerberosTime);
    }
    byte[] fraction = "20240101000000.5Z".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    refused("1811" + HEX.formatHex(fraction), DerReader::kerberosTime);
    byte[] local = "20240101000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    refused("180e" + HEX.formatHex(local), DerReader::kerberosTime);
  }

  @Test
  void kerberosTimeEncodingIsExactAndDropsSubseconds() throws Exception {
    assertEquals("180f32303337313233313233353935395a", HEX.formatHex(Der.kerberosTime(
        Instant.parse("2037-12-31T23:59:59.999999Z"))));
    assertEquals(Instant.EPOCH, read(HEX.formatHex(Der.kerberosTime(Instant.EPOCH)), DerReader::kerberosTime));
  }

  @Test
  void kerberosTimeHelpersSplitSecondsAndMicroseconds() throws Exception {
    Instant t = Instant.parse("2026-11-22T10:00:00.123456789Z");
    assertEquals(Instant.parse("2026-11-22T10:00:00Z"), KerberosTime.seconds(t));
    assertEquals(123456, KerberosTime.microseconds(t));
    assertEquals(KerberosTime.seconds(t), KerberosTime.decode(KerberosTime.encode(t)));
    assertEquals(KerberosTime.MAX, KerberosTime.decode(KerberosTime.encode(KerberosTime.MAX)));
    assertEquals(KerberosTime.MIN, KerberosTime.decode(KerberosTime.encode(KerberosTime.MIN)));
    assertThrows(IllegalArgumentException.class, () -> KerberosTime.encode(KerberosTime.MAX.plusSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> KerberosTime.encode(Instant.MAX));
    assertThrows(IllegalArgumentException.class, () -> KerberosTime.encode(KerberosTime.MIN.minusSeconds(1)));
  }

  @Test
  void readsKerberosFlagsStrictly() throws Exception {
    assertEquals(0x40810010, (int) read("03050040810010", DerReader::kerberosFlags));
    assertEquals(0x80000000, (int) read("03020780", DerReader::kerberosFlags)); // one bit, 7 unused
    assertEquals(0, (int) read("030100", DerReader::kerberosFlags)); // empty bit string
    refused("03020781", DerReader::kerberosFlags); // padding bit set
    refused("030108", DerReader::kerberosFlags); // unused bits without octets
    refused("03020880", DerReader::kerberosFlags); // unused count 8
    refused("0300", DerReader::kerberosFlags); // no unused-bits octet
  }

  @Test
  void readsKerberosStringsAsStrictUtf8() throws Exception {
    assertEquals("é", read("1b02c3a9", DerReader::kerberosString));
    refused("1b01ff", DerReader::kerberosString);
    refused("1b02c328", DerReader::kerberosString);
    refused("0c0161", DerReader::kerberosString); // UTF8String tag is not GeneralString
  }

  @Test
  void readsObjectIdentifiersStrictly() throws Exception {
    assertEquals("1.2.840.10046.2.1", read("06072a8648ce3e0201", DerReader::oid));
    assertEquals("2.999.3", read("0603883703", DerReader::oid));
    refused("06028001", DerReader::oid); // leading 0x80 in an arc
    refused("06022a86", DerReader::oid); // ends inside an arc
    refused("0600", DerReader::oid);
    assertEquals("1.2.840.10046.2.1", read(HEX.formatHex(Der.oid("1.2.840.10046.2.1")), DerReader::oid));
    assertEquals("2.999.3", read(HEX.formatHex(Der.oid("2.999.3")), DerReader::oid));
  }

  @Test
  void boundsNestingDepth() {
    StringBuilder hex = new StringBuilder("0500");
    for (int i = 0; i < 40; i++) {
      int len = hex.length() / 2;
      hex.insert(0, len < 128 ? String.format("30%02x", len) : String.format("3081%02x", len));
    }
    String message = refused(hex.toString(), DerReaderTest::walk);
    assertTrue(message.contains("nested deeper"), message);
  }

  /** Walks every element recursively, as a generic decoder would. */
  private static Integer walk(DerReader reader) throws KrbMessageException {
    DerReader.Element e = reader.next();
    if ((e.identifier() & 0x20) != 0) {
      DerReader inner = e.reader("x");
      while (inner.hasNext()) {
        walk(inner);
      }
    }
    return 0;
  }

  @Test
  void boundsSequenceOfLength() {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i <= DerReader.MAX_ELEMENTS; i++) {
      content.append("020100");
    }
    int len = content.length() / 2;
    String hex = String.format("3082%04x", len) + content;
    assertTrue(refused(hex, r -> r.sequenceOf(DerReader::int32)).contains("more than"));
  }

  @Test
  void refusesHugeAndEmptyInputs() {
    assertThrows(KrbMessageException.class, () -> DerReader.of(new byte[0], "X"));
    assertThrows(KrbMessageException.class, () -> DerReader.of(new byte[DerReader.MAX_INPUT + 1], "X"));
  }

  @Test
  void errorMessagesNameThePathAndOffset() {
    String message = String.valueOf(assertThrows(KrbMessageException.class,
        () -> PrincipalName.decode(HEX.parseHex("3009a003020101a1023000ff"))).getMessage());
    assertTrue(message.startsWith("PrincipalName"), message);
    assertTrue(message.contains("offset"), message);
  }
}
