package dev.ngc4j.core.internal.krb.ccache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MIT FILE ccache v4 codec and the atomic, owner-only write. */
final class CredentialCacheTest {
  private static final PrincipalName ALICE = PrincipalName.parse("alice@WHFB.TEST");
  private static final PrincipalName TGS = PrincipalName.parse("krbtgt/WHFB.TEST@WHFB.TEST");
  private static final PrincipalName HTTP =
      PrincipalName.parse("HTTP/www.whfb.test@WHFB.TEST", PrincipalName.NT_SRV_HST);
  private static final Instant AUTH = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dir;

  private static byte[] seq(int n, int start) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  private static CcacheCredential tgt() throws IOException {
    return CcacheCredential.of(
        ALICE,
        TGS,
        new KerberosKey(EncType.AES256_CTS_HMAC_SHA1_96, seq(32, 0x40)),
        AUTH,
        AUTH,
        AUTH.plusSeconds(36000),
        AUTH.plus(Duration.ofDays(7)),
        TicketFlags.FORWARDABLE | TicketFlags.RENEWABLE | TicketFlags.INITIAL | TicketFlags.PRE_AUTHENT,
        Bytes.of(TestTickets.ticket(TGS, 18, 1, seq(100, 0))));
  }

  private static CcacheCredential serviceTicket() throws IOException {
    return CcacheCredential.of(
        ALICE,
        HTTP,
        new KerberosKey(EncType.AES128_CTS_HMAC_SHA256_128, seq(16, 0x80)),
        AUTH,
        null,
        AUTH.plusSeconds(3600),
        null,
        TicketFlags.FORWARDABLE,
        Bytes.of(TestTickets.ticket(HTTP, 19, 4, seq(60, 9))));
  }

  @Nested
  final class RoundTrip {
    @Test
    void readsBackEveryField() throws IOException {
      Path file = dir.resolve("cc");
      CcacheCredential tgt = tgt();
      CcacheCredential st = serviceTicket();
      CredentialCache.write(file, ALICE, List.of(tgt, st));

      CredentialCache.Contents contents = CredentialCache.readContents(file);
      assertEquals(ALICE, contents.defaultPrincipal());
      assertNull(contents.kdcTimeOffset());
      assertEquals(2, contents.credentials().size());
      assertSame(tgt, contents.credentials().get(0));
      assertSame(st, contents.credentials().get(1));
      CcacheCredential back = contents.credentials().get(1);
      assertNull(back.startTime());
      assertNull(back.renewTill());
      assertEquals(HTTP, back.server());
      assertEquals(PrincipalName.NT_SRV_HST, back.server().nameType());
      assertEquals(2, CredentialCache.read(file).size());
    }

    @Test
    void keepsTheKdcTimeOffset() throws IOException {
      Path file = dir.resolve("cc");
      CredentialCache.write(file, ALICE, List.of(tgt()), Duration.ofSeconds(-42).plusMillis(250));
      assertEquals(Duration.ofSeconds(-42).plusMillis(250), CredentialCache.readContents(file).kdcTimeOffset());
    }

    @Test
    void anEmptyCacheHasOnlyTheDefaultPrincipal() throws IOException {
      Path file = dir.resolve("cc");
      CredentialCache.write(file, ALICE, List.of());
      assertEquals(List.of(), CredentialCache.read(file));
      assertEquals(ALICE, CredentialCache.readContents(file).defaultPrincipal());
    }

    @Test
    void timesAtTheEdgesOfUnsigned32BitSeconds() throws IOException {
      Path file = dir.resolve("cc");
      Instant last = Instant.ofEpochSecond(0xFFFFFFFFL);
      CcacheCredential far =
          CcacheCredential.of(
              ALICE, TGS, new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, seq(16, 1)), Instant.EPOCH, null, last,
              last, 0, Bytes.of(seq(3, 1)));
      CredentialCache.write(file, ALICE, List.of(far));
      CcacheCredential back = CredentialCache.read(file).get(0);
      assertEquals(last, back.endTime());
      assertEquals(last, back.renewTill());
      assertEquals(Instant.EPOCH, back.authTime());
      assertThrows(
          IllegalArgumentException.class,
          () ->
              CcacheCredential.of(
                  ALICE, TGS, new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, seq(16, 1)), Instant.EPOCH, null,
                  last.plusSeconds(1), null, 0, Bytes.of(seq(3, 1))));
    }

    private void assertSame(CcacheCredential expected, CcacheCredential actual) {
      assertEquals(expected.client(), actual.client());
      assertEquals(expected.server(), actual.server());
      assertEquals(expected.key().type(), actual.key().type());
      assertArrayEquals(expected.key().bytes(), actual.key().bytes());
      assertEquals(expected.authTime(), actual.authTime());
      assertEquals(expected.startTime(), actual.startTime());
      assertEquals(expected.endTime(), actual.endTime());
      assertEquals(expected.renewTill(), actual.renewTill());
      assertEquals(expected.isSkey(), actual.isSkey());
      assertEquals(expected.ticketFlags(), actual.ticketFlags());
      assertEquals(expected.ticket(), actual.ticket());
      assertEquals(expected.secondTicket(), actual.secondTicket());
    }
  }

  @Nested
  final class Encoding {
    /** The exact bytes of MIT's format for a small cache, written out field by field. */
    @Test
    void matchesTheFormatByteForByte() throws IOException {
      byte[] ticket = {0x61, 0x01, 0x00};
      CcacheCredential c =
          new CcacheCredential(
              ALICE,
              TGS,
              new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, seq(16, 0)),
              Instant.ofEpochSecond(0x01020304L),
              Instant.ofEpochSecond(0x05060708L),
              Instant.ofEpochSecond(0x90A0B0C0L),
              null,
              false,
              TicketFlags.INITIAL | TicketFlags.PRE_AUTHENT,
              Bytes.of(ticket),
              Bytes.empty());
      ByteArrayOutputStream x = new ByteArrayOutputStream();
      hex(x, "0504 000c 0001 0008 0000000a 00000000"); // version, header: KDC offset 10 s, 0 us
      hex(x, "00000001 00000001"); // default principal: NT-PRINCIPAL, 1 component
      data(x, "WHFB.TEST");
      data(x, "alice");
      hex(x, "00000001 00000001");
      data(x, "WHFB.TEST");
      data(x, "alice"); // client
      hex(x, "00000002 00000002");
      data(x, "WHFB.TEST");
      data(x, "krbtgt");
      data(x, "WHFB.TEST"); // server
      hex(x, "0011 00000010 000102030405060708090a0b0c0d0e0f"); // keyblock: enctype 17, 16 bytes
      hex(x, "01020304 05060708 90a0b0c0 00000000"); // authtime, starttime, endtime, renew_till
      hex(x, "00 00600000"); // is_skey, flags (initial | pre-authent)
      hex(x, "00000000 00000000"); // no addresses, no authdata
      hex(x, "00000003 610100 00000000"); // ticket, empty second ticket
      assertArrayEquals(
          x.toByteArray(), CredentialCache.encode(ALICE, List.of(c), Duration.ofSeconds(10)));
    }

    private void hex(ByteArrayOutputStream out, String hex) {
      out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private void data(ByteArrayOutputStream out, String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      out.writeBytes(new byte[] {0, 0, 0, (byte) b.length});
      out.writeBytes(b);
    }
  }

  @Nested
  final class Malformed {
    @Test
    void everyTruncationIsAnIoExceptionExceptAtAnEntryBoundary() throws IOException {
      byte[] full = CredentialCache.encode(ALICE, List.of(tgt(), serviceTicket()), Duration.ofSeconds(5));
      int afterPrincipal = CredentialCache.encode(ALICE, List.of(), Duration.ofSeconds(5)).length;
      int afterFirst = CredentialCache.encode(ALICE, List.of(tgt()), Duration.ofSeconds(5)).length;
      List<Integer> valid = new java.util.ArrayList<>();
      for (int len = 0; len < full.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(full, len);
        try {
          CredentialCache.decode(cut);
          valid.add(len); // a cut right after the default principal or a whole credential is a shorter, valid cache
        } catch (IOException expected) {
          // what every other cut must give
        }
      }
      assertEquals(List.of(afterPrincipal, afterFirst), valid);
      assertEquals(16 + 30, afterPrincipal); // 0x0504, 12-byte header, alice@WHFB.TEST
    }

    @Test
    void refusesOtherVersionsAndImpossibleLengths() throws IOException {
      byte[] good = CredentialCache.encode(ALICE, List.of(tgt()), null);
      byte[] v3 = good.clone();
      v3[1] = 0x03;
      assertTrue(String.valueOf(assertThrows(IOException.class, () -> CredentialCache.decode(v3)).getMessage())
          .contains("0x0503"));
      byte[] hugeHeader = good.clone();
      hugeHeader[2] = (byte) 0xff;
      assertThrows(IOException.class, () -> CredentialCache.decode(hugeHeader));
      byte[] hugeRealm = good.clone();
      hugeRealm[12] = (byte) 0x7f; // the default principal's realm length
      assertThrows(IOException.class, () -> CredentialCache.decode(hugeRealm));
      byte[] noComponents = good.clone();
      noComponents[11] = 0; // the default principal's component count
      assertThrows(IOException.class, () -> CredentialCache.decode(noComponents));
    }

    @Test
    void refusesUnsupportedKeysAndAddresses() throws IOException {
      byte[] good = CredentialCache.encode(ALICE, List.of(tgt()), null);
      int keyblock = indexOf(good, new byte[] {0x00, 0x12, 0x00, 0x00, 0x00, 0x20}); // enctype 18, 32 bytes
      byte[] rc4 = good.clone();
      rc4[keyblock + 1] = 23;
      assertTrue(
          String.valueOf(assertThrows(IOException.class, () -> CredentialCache.decode(rc4)).getMessage())
              .contains("enctype 23"));
      int addresses = keyblock + 6 + 32 + 16 + 1 + 4;
      byte[] withAddresses = good.clone();
      withAddresses[addresses + 3] = 1;
      assertThrows(IOException.class, () -> CredentialCache.decode(withAddresses));
    }

    @Test
    void skipsMitConfigurationEntries() throws IOException {
      // A configuration entry as MIT kinit writes one: server realm X-CACHECONF:, enctype 0, empty key.
      ByteArrayOutputStream x = new ByteArrayOutputStream();
      x.writeBytes(CredentialCache.encode(ALICE, List.of(), null));
      x.writeBytes(HexFormat.of().parseHex("00000001000000010000000957484642" + "2e54455354000000" + "05616c696365"));
      x.writeBytes(HexFormat.of().parseHex("0000000000000002"));
      byte[] realm = "X-CACHECONF:".getBytes(StandardCharsets.US_ASCII);
      x.writeBytes(new byte[] {0, 0, 0, (byte) realm.length});
      x.writeBytes(realm);
      byte[] k = "krb5_ccache_conf_data".getBytes(StandardCharsets.US_ASCII);
      x.writeBytes(new byte[] {0, 0, 0, (byte) k.length});
      x.writeBytes(k);
      byte[] pa = "pa_type".getBytes(StandardCharsets.US_ASCII);
      x.writeBytes(new byte[] {0, 0, 0, (byte) pa.length});
      x.writeBytes(pa);
      x.writeBytes(new byte[2 + 4 + 16 + 1 + 4 + 4 + 4]); // keyblock (0, empty), times, is_skey, flags, counts
      x.writeBytes(HexFormat.of().parseHex("000000023136" + "00000000")); // ticket "16", no second ticket
      // then a real credential: the encoding of a one-credential cache without its header and default principal
      byte[] withTgt = CredentialCache.encode(ALICE, List.of(tgt()), null);
      int prefix = 4 + (4 + 4 + 4 + 9 + 4 + 5);
      x.write(withTgt, prefix, withTgt.length - prefix);
      List<CcacheCredential> creds = CredentialCache.decode(x.toByteArray()).credentials();
      assertEquals(1, creds.size());
      assertEquals(TGS, creds.get(0).server());
    }

    private int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      throw new AssertionError("not found");
    }
  }

  @Nested
  final class TheFile {
    @Test
    void isOwnerOnlyAndReplacesTheOldOneWithoutLeftovers() throws IOException {
      Path file = dir.resolve("krb5cc_1000");
      Files.writeString(file, "old contents");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      String dirPermissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
      CredentialCache.write(file, ALICE, List.of(tgt()));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals(dirPermissions, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      assertEquals(1, CredentialCache.read(file).size());
      try (Stream<Path> entries = Files.list(dir)) {
        assertEquals(List.of(file), entries.toList());
      }
    }

    @Test
    void aMissingDirectoryFailsAndAMissingFileCannotBeRead() throws IOException {
      assertThrows(IOException.class, () -> CredentialCache.write(dir.resolve("no/such/dir/cc"), ALICE, List.of(tgt())));
      assertThrows(IOException.class, () -> CredentialCache.read(dir.resolve("absent")));
      assertFalse(Files.exists(dir.resolve("no")));
    }
  }
}
