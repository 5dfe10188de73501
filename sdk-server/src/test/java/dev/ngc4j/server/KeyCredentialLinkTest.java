package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.server.KeyCredentialLinkException.Reason;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The KEYCREDENTIALLINK_BLOB codec against a blob written out field by field from MS-ADTS 2.2.20, round trips,
 * the DN-Binary form, and a refusal with its own reason for each way a blob can be wrong.
 */
final class KeyCredentialLinkTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final UUID DEVICE = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
  private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

  /** A fixed 2048-bit modulus (not a real key; the codec only needs an odd number of exactly 2048 bits). */
  static byte[] modulus() {
    byte[] m = new byte[256];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) (i * 37 + 0x81);
    }
    m[0] = (byte) 0xC3;
    m[255] |= 1;
    return m;
  }

  static RSAPublicKey fixedKey() throws Exception {
    return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
        new RSAPublicKeySpec(new BigInteger(1, modulus()), BigInteger.valueOf(65537)));
  }

  /** The RSA1 blob of {@link #fixedKey()}, written out: header (LE u32s), exponent, modulus (big-endian). */
  static byte[] fixedRsa1() {
    return concat(
        HEX.parseHex("52534131"), // magic "RSA1"
        HEX.parseHex("00080000"), // BitLength 2048
        HEX.parseHex("03000000"), // cbPublicExp 3
        HEX.parseHex("00010000"), // cbModulus 256
        HEX.parseHex("00000000"), // cbPrime1
        HEX.parseHex("00000000"), // cbPrime2
        HEX.parseHex("010001"), // 65537
        modulus());
  }

  /** SHA-256 of {@link #fixedRsa1()}, computed outside Java (Python hashlib). */
  static final String FIXED_KEY_ID = "c6ce052f3147c55212628465c2f8d0ca6b7d966d8a531edbeeef9d808f017920";
  /** SHA-256 of the entries after KeyHash in {@link #golden()}, computed outside Java (Python hashlib). */
  static final String FIXED_KEY_HASH = "1f3bf53c65e6e6553972c3443a9551b9f5643f32cdd28aea026062e60ce1f5b3";

  /** The blob of the fixed key on {@link #DEVICE}, created {@link #CREATED}, written out entry by entry. */
  static byte[] golden() {
    return concat(
        HEX.parseHex("00020000"), // Version 0x00000200, little-endian
        HEX.parseHex("2000" + "01"), HEX.parseHex(FIXED_KEY_ID), // KeyID: length 32, id 0x01
        HEX.parseHex("2000" + "02"), HEX.parseHex(FIXED_KEY_HASH), // KeyHash: length 32, id 0x02
        HEX.parseHex("1b01" + "03"), fixedRsa1(), // KeyMaterial: length 283 (0x011b), id 0x03
        HEX.parseHex("0100" + "04" + "01"), // KeyUsage NGC
        HEX.parseHex("0100" + "05" + "00"), // KeySource AD
        // DeviceId 00112233-4455-6677-8899-aabbccddeeff: Data1, Data2, Data3 little-endian, Data4 as is
        HEX.parseHex("1000" + "06" + "33221100" + "5544" + "7766" + "8899aabbccddeeff"),
        // KeyCreationTime: (1704067200 + 11644473600) * 10^7 = 133485408000000000 = 0x01da3c457689c000, LE
        HEX.parseHex("0800" + "09" + "00c08976453cda01"));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  static KeyCredentialLinkException refused(Reason reason, byte[] blob) {
    KeyCredentialLinkException e = assertThrows(KeyCredentialLinkException.class, () -> KeyCredentialLink.decode(blob));
    assertEquals(reason, e.reason(), e::getMessage);
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.getMessage().startsWith(reason.code() + ": "), e.getMessage());
    return e;
  }

  /** One refused input per reason, so that adding a reason without a test fails here. */
  @Test
  void everyReasonHasARefusedExample() throws Exception {
    Map<Reason, ThrowingSupplier<?>> examples = new EnumMap<>(Reason.class);
    byte[] usage = {1};
    examples.put(Reason.VERSION, () -> KeyCredentialLink.decode(new Raw().version(0x100).build()));
    examples.put(Reason.TRUNCATED, () -> KeyCredentialLink.decode(new byte[3]));
    examples.put(Reason.UNKNOWN_ENTRY, () -> KeyCredentialLink.decode(new Raw().entry(0x0A, usage).build()));
    examples.put(Reason.ORDER, () -> KeyCredentialLink.decode(new Raw().entry(4, usage).entry(3, MATERIAL).build()));
    examples.put(Reason.DUPLICATE, () -> KeyCredentialLink.decode(new Raw().entry(4, usage).entry(4, usage).build()));
    examples.put(Reason.ENTRY_LENGTH, () -> KeyCredentialLink.decode(new Raw().entry(1, usage).build()));
    examples.put(Reason.MISSING_ENTRY, () -> KeyCredentialLink.decode(new Raw().build()));
    examples.put(Reason.KEY_ID, () -> KeyCredentialLink.decode(new Raw().entry(1, new byte[32]).entry(3, MATERIAL)
        .entry(4, usage).build()));
    examples.put(Reason.KEY_HASH, () -> KeyCredentialLink.decode(new Raw().entry(1, sha256(MATERIAL))
        .entry(2, new byte[32]).entry(3, MATERIAL).entry(4, usage).build()));
    examples.put(Reason.KEY_USAGE, () -> KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4,
        new byte[] {2}))));
    examples.put(Reason.KEY_SOURCE, () -> KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4, usage)
        .entry(5, usage))));
    examples.put(Reason.CUSTOM_KEY_INFORMATION, () -> KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial()
        .entry(4, usage).entry(7, new byte[] {0, 0}))));
    examples.put(Reason.TIMESTAMP, () -> KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4, usage)
        .entry(9, HEX.parseHex("0000000000000080")))));
    examples.put(Reason.KEY_MATERIAL, () -> KeyCredentialLink.builder(Bytes.of(usage)).build().rsaPublicKey());
    examples.put(Reason.DN_BINARY, () -> KeyCredentialLinkValue.parse("B:2:0:CN=x"));
    assertEquals(EnumSet.allOf(Reason.class), examples.keySet());
    for (Map.Entry<Reason, ThrowingSupplier<?>> e : examples.entrySet()) {
      KeyCredentialLinkException thrown = assertThrows(KeyCredentialLinkException.class, e.getValue()::get,
          e.getKey()::toString);
      assertEquals(e.getKey(), thrown.reason(), thrown::getMessage);
      assertTrue(thrown.getMessage().contains("Remedy: " + e.getKey().remedy()), thrown::getMessage);
    }
  }

  @Nested
  final class Golden {
    @Test
    void theFixedNgcKeyEncodesToTheLayoutWrittenOutFieldByField() throws Exception {
      KeyCredentialLink link = KeyCredentialLink.ngcKey(fixedKey()).deviceId(DEVICE).creationTime(CREATED).build();
      assertEquals(HEX.formatHex(golden()), HEX.formatHex(link.encode()));
      assertEquals(398, link.encode().length);
    }

    @Test
    void theHashesInTheGoldenBlobAreWhatTheLayoutImplies() throws Exception {
      byte[] blob = golden();
      assertEquals(FIXED_KEY_ID, HEX.formatHex(sha256(fixedRsa1())));
      int afterKeyHash = 4 + 35 + 35;
      assertEquals(FIXED_KEY_HASH, HEX.formatHex(sha256(Arrays.copyOfRange(blob, afterKeyHash, blob.length))));
    }

    @Test
    void theGoldenBlobDecodesToTheSameKeyDeviceAndTime() throws Exception {
      KeyCredentialLink link = KeyCredentialLink.decode(golden());
      assertEquals(fixedKey(), link.rsaPublicKey());
      assertEquals(DEVICE, link.deviceId().orElseThrow());
      assertEquals(CREATED, link.creationTime().orElseThrow());
      assertEquals(KeyCredentialLink.KEY_USAGE_NGC, link.keyUsage());
      assertEquals(OptionalInt.of(KeyCredentialLink.KEY_SOURCE_AD), link.keySource());
      assertEquals(FIXED_KEY_ID, link.keyId().toHex());
      assertArrayEquals(fixedRsa1(), link.keyMaterial().toByteArray());
      assertTrue(link.hasKeyHash());
      assertTrue(link.lastLogon().isEmpty());
      assertTrue(link.customKeyInformation().isEmpty());
      assertArrayEquals(golden(), link.encode());
    }

    @Test
    void everySingleByteChangeOfTheGoldenBlobIsRefusedWithATypedError() {
      byte[] good = golden();
      for (int i = 0; i < good.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] bad = good.clone();
          bad[i] ^= (byte) (1 << bit);
          try {
            KeyCredentialLink.decode(bad);
            fail("byte " + i + " bit " + bit + " changed, but the blob was accepted");
          } catch (KeyCredentialLinkException expected) {
            assertEquals(ErrorCode.UNSUPPORTED, expected.code());
          }
        }
      }
    }
  }

  @Nested
  final class RoundTrip {
    @Test
    void everyOptionalEntryRoundTrips() throws Exception {
      Instant lastLogon = Instant.parse("2025-06-30T12:34:56.123456789Z");
      byte[] cki = HEX.parseHex("0102000100020000000000000000000000aabb"); // long form + 3 bytes extended
      KeyCredentialLink link = KeyCredentialLink.builder(Bytes.of(HEX.parseHex("3082010a")))
          .keyUsage(KeyCredentialLink.KEY_USAGE_FIDO)
          .deviceId(new UUID(0, 0))
          .customKeyInformation(Bytes.of(cki))
          .lastLogon(lastLogon)
          .creationTime(Instant.parse("1601-01-01T00:00:00Z"))
          .keyHash(false)
          .build();
      KeyCredentialLink back = KeyCredentialLink.decode(link.encode());
      assertEquals(link, back);
      assertEquals(link.hashCode(), back.hashCode());
      assertEquals(KeyCredentialLink.KEY_USAGE_FIDO, back.keyUsage());
      assertEquals(OptionalInt.empty(), back.keySource());
      assertEquals(new UUID(0, 0), back.deviceId().orElseThrow());
      assertEquals(Bytes.of(cki), back.customKeyInformation().orElseThrow());
      assertEquals(Instant.parse("2025-06-30T12:34:56.1234567Z"), back.lastLogon().orElseThrow(), "kept to 100 ns");
      assertEquals(Instant.parse("1601-01-01T00:00:00Z"), back.creationTime().orElseThrow());
      assertFalse(back.hasKeyHash());
      KeyCredentialLinkException e = assertThrows(KeyCredentialLinkException.class, back::rsaPublicKey);
      assertEquals(Reason.KEY_MATERIAL, e.reason());
    }

    @Test
    void theMinimalBlobHasOnlyTheRequiredEntries() throws Exception {
      byte[] material = {0x42};
      byte[] blob = KeyCredentialLink.builder(Bytes.of(material)).keyHash(false).build().encode();
      assertEquals(HEX.formatHex(concat(HEX.parseHex("00020000"), HEX.parseHex("200001"), sha256(material),
          HEX.parseHex("010003" + "42"), HEX.parseHex("010004" + "01"))), HEX.formatHex(blob));
      assertArrayEquals(blob, KeyCredentialLink.decode(blob).encode());
    }

    @Test
    void theBuilderRefusesValuesTheBlobCannotHold() throws Exception {
      assertThrows(IllegalArgumentException.class, () -> KeyCredentialLink.builder(Bytes.empty()));
      assertThrows(IllegalArgumentException.class, () -> KeyCredentialLink.builder(Bytes.of(new byte[65536])));
      KeyCredentialLink.Builder b = KeyCredentialLink.builder(Bytes.of(new byte[] {1}));
      assertThrows(IllegalArgumentException.class, () -> b.keyUsage(2));
      assertThrows(IllegalArgumentException.class, () -> b.customKeyInformation(Bytes.of(new byte[] {2, 0})));
      assertThrows(IllegalArgumentException.class, () -> b.customKeyInformation(Bytes.of(new byte[] {1, 0, 0})));
      assertThrows(IllegalArgumentException.class, () -> b.creationTime(Instant.parse("1600-12-31T23:59:59Z")));
      RSAPublicKey small = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(BigInteger.ONE.shiftLeft(1023).setBit(0), BigInteger.valueOf(65537)));
      assertThrows(IllegalArgumentException.class, () -> KeyCredentialLink.ngcKey(small));
    }

    @Test
    void equalLinksHaveEqualEncodingsAndTheSummaryShowsNoKeyMaterial() throws Exception {
      KeyCredentialLink a = KeyCredentialLink.ngcKey(fixedKey()).deviceId(DEVICE).build();
      KeyCredentialLink b = KeyCredentialLink.ngcKey(fixedKey()).deviceId(DEVICE).build();
      KeyCredentialLink c = KeyCredentialLink.ngcKey(fixedKey()).build();
      assertEquals(a, b);
      assertNotEquals(a, c);
      String summary = a.toString();
      assertTrue(summary.contains(a.keyId().toBase64Url().substring(0, 12)), summary);
      assertFalse(summary.toLowerCase(Locale.ROOT).contains(HEX.formatHex(modulus()).substring(0, 16)), summary);
    }
  }

  @Nested
  final class DnBinaryForm {
    private static final String OWNER = "CN=alice@contoso.example,CN=Users,DC=contoso,DC=example";

    @Test
    void theValueIsBCountHexAndOwnerDn() throws Exception {
      KeyCredentialLinkValue value = new KeyCredentialLinkValue(KeyCredentialLink.decode(golden()), OWNER);
      String text = value.dnBinary();
      assertEquals("B:796:" + HEX.formatHex(golden()).toUpperCase(Locale.ROOT) + ":" + OWNER, text);
      assertEquals(value, KeyCredentialLinkValue.parse(text));
      assertEquals(value, KeyCredentialLinkValue.parse(text.toLowerCase(Locale.ROOT).replace("b:796:", "B:796:")
          .replace(OWNER.toLowerCase(Locale.ROOT), OWNER)), "hex is read in either case");
      assertEquals("CN=a:b,DC=x", KeyCredentialLinkValue.parse("B:796:" + HEX.formatHex(golden()) + ":CN=a:b,DC=x")
          .ownerDn(), "the DN may contain ':'");
    }

    @Test
    void malformedValuesAreRefused() {
      String hex = HEX.formatHex(golden());
      for (String bad : new String[] {
          "", "X:796:" + hex + ":" + OWNER, "B796:" + hex, "B::" + hex + ":" + OWNER, "B:0796:" + hex + ":" + OWNER,
          "B:794:" + hex + ":" + OWNER, "B:798:" + hex + ":" + OWNER, "B:795:" + hex + ":" + OWNER,
          "B:796:" + hex + ":", "B:796:" + hex, "B:796:" + hex.substring(0, 795) + "g:" + OWNER,
          "B:-796:" + hex + ":" + OWNER, "B:99999999:" + hex + ":" + OWNER, "B:796:" + hex + ":CN=a\nb"}) {
        KeyCredentialLinkException e =
            assertThrows(KeyCredentialLinkException.class, () -> KeyCredentialLinkValue.parse(bad), bad);
        assertEquals(Reason.DN_BINARY, e.reason(), bad);
      }
    }

    @Test
    void aWellFormedValueWithABadBlobGetsTheBlobsReason() {
      byte[] blob = golden();
      blob[blob.length - 1] ^= 1;
      KeyCredentialLinkException e = assertThrows(KeyCredentialLinkException.class,
          () -> KeyCredentialLinkValue.parse("B:796:" + HEX.formatHex(blob) + ":" + OWNER));
      assertEquals(Reason.KEY_HASH, e.reason());
    }

    @Test
    void theOwnerDnMustNotBeEmpty() throws Exception {
      KeyCredentialLink link = KeyCredentialLink.decode(golden());
      assertThrows(IllegalArgumentException.class, () -> new KeyCredentialLinkValue(link, ""));
    }
  }

  /** Blobs written by hand: the entries as given, with KeyID and KeyHash computed only where asked for. */
  static final class Raw {
    private final ByteArrayOutputStream entries = new ByteArrayOutputStream();
    private int version = 0x200;

    Raw version(int v) {
      this.version = v;
      return this;
    }

    Raw entry(int id, byte[] value) {
      return entry(id, value.length, value);
    }

    Raw entry(int id, int declaredLength, byte[] value) {
      entries.write(declaredLength & 0xFF);
      entries.write(declaredLength >>> 8);
      entries.write(id);
      entries.writeBytes(value);
      return this;
    }

    Raw bytes(byte[] raw) {
      entries.writeBytes(raw);
      return this;
    }

    byte[] build() {
      return concat(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(version).array(),
          entries.toByteArray());
    }

    /** KeyID of the material, KeyHash over the rest, then the rest (which must start with the material entry). */
    static byte[] hashed(byte[] material, Raw rest) throws Exception {
      byte[] tail = rest.entries.toByteArray();
      return new Raw().entry(1, sha256(material)).entry(2, sha256(tail)).bytes(tail).build();
    }
  }

  static final byte[] MATERIAL = fixedRsa1();

  static Raw withMaterial() {
    return new Raw().entry(3, MATERIAL);
  }

  @Nested
  final class Refusals {
    @Test
    void aBlobShorterThanItsVersion() {
      refused(Reason.TRUNCATED, new byte[0]);
      refused(Reason.TRUNCATED, new byte[] {0, 2, 0});
    }

    @Test
    void anotherVersion() throws Exception {
      refused(Reason.VERSION, withVersion(0x100));
      refused(Reason.VERSION, withVersion(0x0002_0000)); // the version written big-endian
      refused(Reason.VERSION, withVersion(0));
    }

    private byte[] withVersion(int version) throws Exception {
      byte[] blob = Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}));
      ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(0, version);
      return blob;
    }

    @Test
    void anEntryHeaderOrValueCutShort() throws Exception {
      byte[] good = Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}));
      refused(Reason.TRUNCATED, concat(good, new byte[] {1, 0}));
      refused(Reason.TRUNCATED, Arrays.copyOf(good, good.length - 1));
      refused(Reason.TRUNCATED, new Raw().entry(1, 40, sha256(MATERIAL)).build());
    }

    @Test
    void anUnknownIdentifier() throws Exception {
      refused(Reason.UNKNOWN_ENTRY, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(10,
          new byte[] {0})));
      refused(Reason.UNKNOWN_ENTRY, new Raw().entry(0, new byte[] {0}).build());
    }

    @Test
    void entriesOutOfOrder() throws Exception {
      refused(Reason.ORDER, Raw.hashed(MATERIAL, withMaterial().entry(5, new byte[] {0}).entry(4, new byte[] {1})));
      refused(Reason.ORDER, new Raw().entry(3, MATERIAL).entry(1, sha256(MATERIAL)).entry(4, new byte[] {1}).build());
    }

    @Test
    void aRepeatedEntry() throws Exception {
      refused(Reason.DUPLICATE, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(4,
          new byte[] {1})));
    }

    @Test
    void aValueOfTheWrongLength() throws Exception {
      refused(Reason.ENTRY_LENGTH, new Raw().entry(1, new byte[31]).build());
      refused(Reason.ENTRY_LENGTH, new Raw().entry(1, sha256(MATERIAL)).entry(2, new byte[33]).build());
      refused(Reason.ENTRY_LENGTH, new Raw().entry(1, sha256(new byte[0])).entry(3, new byte[0]).build());
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1, 0})));
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(5,
          new byte[0])));
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(6,
          new byte[15])));
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(7,
          new byte[0])));
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(8,
          new byte[7])));
      refused(Reason.ENTRY_LENGTH, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(9,
          new byte[9])));
    }

    @Test
    void aMissingRequiredEntry() throws Exception {
      refused(Reason.MISSING_ENTRY, new Raw().entry(3, MATERIAL).entry(4, new byte[] {1}).build()); // no KeyID
      refused(Reason.MISSING_ENTRY, new Raw().entry(1, sha256(MATERIAL)).entry(4, new byte[] {1}).build());
      refused(Reason.MISSING_ENTRY, Raw.hashed(MATERIAL, withMaterial())); // no KeyUsage
      refused(Reason.MISSING_ENTRY, new Raw().build()); // no entries at all
    }

    @Test
    void aKeyIdThatIsNotTheHashOfTheMaterial() throws Exception {
      byte[] otherId = sha256(new byte[] {1});
      refused(Reason.KEY_ID, new Raw().entry(1, otherId).entry(3, MATERIAL).entry(4, new byte[] {1}).build());
    }

    @Test
    void aKeyHashThatIsNotTheHashOfTheFollowingEntries() throws Exception {
      byte[] blob = golden();
      blob[blob.length - 12] ^= 0x01; // a DeviceId byte: still a well-formed blob, but KeyHash no longer matches
      refused(Reason.KEY_HASH, blob);
      byte[] keyHashOnly = golden();
      keyHashOnly[4 + 35 + 3] ^= (byte) 0x80; // the first byte of KeyHash's value
      refused(Reason.KEY_HASH, keyHashOnly);
    }

    @Test
    void aKeyUsageOutsideNgcFidoFek() throws Exception {
      for (int usage : new int[] {0x00, 0x02, 0x06, 0x09, 0xFF}) {
        refused(Reason.KEY_USAGE, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {(byte) usage})));
      }
      for (int usage : new int[] {0x01, 0x07, 0x08}) {
        assertEquals(usage, KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4,
            new byte[] {(byte) usage}))).keyUsage());
      }
    }

    @Test
    void aKeySourceOtherThanAd() throws Exception {
      refused(Reason.KEY_SOURCE, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(5,
          new byte[] {1})));
    }

    @Test
    void aCustomKeyInformationOfAnotherVersionOrAnImpossibleLength() throws Exception {
      refused(Reason.CUSTOM_KEY_INFORMATION, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(7,
          new byte[] {2, 0})));
      refused(Reason.CUSTOM_KEY_INFORMATION, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(7,
          new byte[] {1, 0, 0})));
      refused(Reason.CUSTOM_KEY_INFORMATION, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(7,
          new byte[15])));
      byte[] sixteen = new byte[16];
      sixteen[0] = 1;
      assertTrue(KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(7,
          sixteen))).customKeyInformation().isPresent());
    }

    @Test
    void aFileTimeAtOrAbove2To63() throws Exception {
      byte[] max = HEX.parseHex("0000000000000080");
      refused(Reason.TIMESTAMP, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(9, max)));
      refused(Reason.TIMESTAMP, Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(8,
          HEX.parseHex("ffffffffffffffff"))));
      byte[] justBelow = HEX.parseHex("ffffffffffffff7f");
      KeyCredentialLink link = KeyCredentialLink.decode(Raw.hashed(MATERIAL, withMaterial().entry(4,
          new byte[] {1}).entry(9, justBelow)));
      assertTrue(link.creationTime().orElseThrow().isAfter(Instant.parse("+30000-01-01T00:00:00Z")));
      assertArrayEquals(Raw.hashed(MATERIAL, withMaterial().entry(4, new byte[] {1}).entry(9, justBelow)),
          link.encode(), "the largest FILETIME round-trips");
    }
  }
}
