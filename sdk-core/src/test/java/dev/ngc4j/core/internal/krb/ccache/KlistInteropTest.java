package dev.ngc4j.core.internal.krb.ccache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability: MIT {@code klist} (package krb5-user) reads a cache ngc4j wrote, and lists the principals,
 * enctypes, flags and times ngc4j put in it.
 */
final class KlistInteropTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void mitKlistListsWhatWeWrote() throws Exception {
    PrincipalName alice = PrincipalName.parse("alice@WHFB.TEST");
    PrincipalName tgs = PrincipalName.parse("krbtgt/WHFB.TEST@WHFB.TEST");
    PrincipalName http = PrincipalName.parse("HTTP/www.whfb.test@WHFB.TEST", PrincipalName.NT_SRV_HST);
    Instant auth = Instant.parse("2026-11-22T10:15:30Z");
    Instant end = Instant.parse("2026-11-22T20:15:30Z");
    Instant renew = Instant.parse("2026-11-29T10:15:30Z");
    byte[] sessionKey = new byte[32];
    RANDOM.nextBytes(sessionKey);
    byte[] serviceKey = new byte[16];
    RANDOM.nextBytes(serviceKey);
    CcacheCredential tgt =
        CcacheCredential.of(
            alice,
            tgs,
            new KerberosKey(EncType.AES256_CTS_HMAC_SHA1_96, sessionKey),
            auth,
            auth,
            end,
            renew,
            TicketFlags.FORWARDABLE | TicketFlags.RENEWABLE | TicketFlags.INITIAL | TicketFlags.PRE_AUTHENT,
            Bytes.of(TestTickets.ticket(tgs, 18, 1, randomBytes(200))));
    CcacheCredential service =
        CcacheCredential.of(
            alice,
            http,
            new KerberosKey(EncType.AES128_CTS_HMAC_SHA256_128, serviceKey),
            auth,
            Instant.parse("2026-11-22T11:00:00Z"),
            end,
            null,
            TicketFlags.FORWARDABLE | TicketFlags.PRE_AUTHENT | TicketFlags.OK_AS_DELEGATE,
            Bytes.of(TestTickets.ticket(http, 20, 3, randomBytes(120))));
    Path cache = dir.resolve("krb5cc_test");
    CredentialCache.write(cache, alice, List.of(tgt, service));

    String out = klist(cache);

    assertTrue(out.contains("Ticket cache: FILE:" + cache), out);
    assertTrue(out.contains("Default principal: alice@WHFB.TEST"), out);
    String tgtLine = lineWith(out, "krbtgt/WHFB.TEST@WHFB.TEST");
    String httpLine = lineWith(out, "HTTP/www.whfb.test@WHFB.TEST");
    // klist prints "valid starting" and "expires" in the C locale as MM/DD/YY HH:MM:SS (TZ=UTC here).
    DateTimeFormatter klistTime = DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss").withZone(ZoneOffset.UTC);
    assertTrue(tgtLine.startsWith(klistTime.format(auth) + "  " + klistTime.format(end)), tgtLine);
    assertTrue(httpLine.startsWith(klistTime.format(Instant.parse("2026-11-22T11:00:00Z"))), httpLine);
    assertTrue(out.contains("renew until " + klistTime.format(renew)), out);
    assertTrue(out.contains("Flags: FRIA"), out);
    assertTrue(out.contains("Flags: FAO"), out);
    // "Etype (skey, tkt)": the session key's enctype from the cache, the ticket's from its enc-part.
    assertTrue(out.contains("Etype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96"), out);
    assertTrue(
        out.contains("Etype (skey, tkt): aes128-cts-hmac-sha256-128, aes256-cts-hmac-sha384-192"), out);
  }

  @Test
  void klistAcceptsACacheWithTheKdcTimeOffsetField() throws Exception {
    PrincipalName bob = PrincipalName.parse("bob@WHFB.TEST");
    PrincipalName tgs = PrincipalName.parse("krbtgt/WHFB.TEST@WHFB.TEST");
    Instant auth = Instant.parse("2030-01-02T03:04:05Z");
    CcacheCredential tgt =
        CcacheCredential.of(
            bob,
            tgs,
            new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, randomBytes(16)),
            auth,
            null,
            auth.plusSeconds(3600),
            null,
            TicketFlags.INITIAL,
            Bytes.of(TestTickets.ticket(tgs, 17, 2, randomBytes(64))));
    Path cache = dir.resolve("with-offset");
    CredentialCache.write(cache, bob, List.of(tgt), java.time.Duration.ofSeconds(-42));
    String out = klist(cache);
    assertTrue(out.contains("Default principal: bob@WHFB.TEST"), out);
    assertTrue(out.contains("Flags: I"), out);
    assertTrue(out.contains("Etype (skey, tkt): aes128-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96"), out);
    // No starttime in the cache: klist shows the authtime as "valid starting".
    DateTimeFormatter klistTime = DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss").withZone(ZoneOffset.UTC);
    assertTrue(lineWith(out, "krbtgt/WHFB.TEST@WHFB.TEST").startsWith(klistTime.format(auth)), out);
  }

  private String klist(Path cache) throws IOException, InterruptedException {
    Path emptyConfig = Files.createFile(dir.resolve("krb5-" + System.nanoTime() + ".conf"));
    ProcessBuilder pb = new ProcessBuilder("klist", "-c", "FILE:" + cache, "-e", "-f");
    Map<String, String> env = pb.environment();
    env.put("KRB5_CONFIG", emptyConfig.toString());
    env.put("LC_ALL", "C");
    env.put("TZ", "UTC");
    env.remove("KRB5CCNAME");
    pb.redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(
          "MIT klist is not installed: install krb5-user (./scripts/setup-debian.sh) - " + e.getMessage(), e);
    }
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("klist did not finish within 30 s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "klist failed:\n" + text);
    return text;
  }

  private static String lineWith(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).findFirst().orElseThrow(() -> new AssertionError(
        "no line with " + needle + " in:\n" + text));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
