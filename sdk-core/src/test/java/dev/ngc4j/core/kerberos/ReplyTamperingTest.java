package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies from a real MIT KDC altered on the way back (the channel between client and KDC is the attacker's): a
 * flipped byte anywhere in the AS-REP, an AS-REP replayed from an earlier exchange, a TGS-REP from an earlier
 * exchange, and a request for a realm the KDC does not serve. Every case is a typed error; none yields a ticket.
 */
class ReplyTamperingTest {
  private static final char[] PIN = "305718".toCharArray();

  @TempDir static Path dir;
  static MitKdc kdc;
  static ProviderSession session;
  static KeyContainer alice;
  static X509Certificate certificate;

  @BeforeAll
  static void start() throws Exception {
    kdc = MitKdc.builder(dir.resolve("kdc")).start();
    kdc.addUser("alice");
    kdc.addService("host/localhost");
    session = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("provider"), Clock.systemUTC(),
        Map.of("argon2.memoryKiB", "1024", "argon2.iterations", "1")));
    try (PooledKey key = session.keySource().generate()) {
      alice = session.containers().create(new ContainerSpec(ContainerId.of("alice"),
          UserPrincipal.of("alice@whfb.test"), ProtectorSpec.pin(), PinPolicy.defaults()), key, pin());
    }
    certificate = kdc.issueClientCertificate(alice.publicKey(), "alice");
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
    if (kdc != null) {
      kdc.close();
    }
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN.clone());
  }

  static PkinitRequest request() {
    return new PkinitRequest(alice.user(), kdc.realm(), List.of(), PkinitMode.CERTIFICATE_TRUST,
        List.of(certificate));
  }

  static PkinitClient honest() {
    return PkinitClient.builder()
        .kdcValidation(KdcValidation.builder().trustAnchors(List.of(kdc.caCertificate())).build())
        .kdcs(kdc.realm(), List.of(kdc.address()))
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /** A client whose replies pass through {@code change} (requests go to the real KDC unchanged). */
  static PkinitClient through(UnaryOperator<byte[]> change) {
    KdcChannel real = honest().channel();
    return PkinitClient.builder()
        .kdcValidation(KdcValidation.builder().trustAnchors(List.of(kdc.caCertificate())).build())
        .kdcs(kdc.realm(), List.of(kdc.address()))
        .channel((realm, kdcs, request, deadline) -> change.apply(real.exchange(realm, kdcs, request, deadline)))
        .build();
  }

  static boolean isAsRep(byte[] reply) {
    return reply.length > 0 && (reply[0] & 0xff) == 0x6b;
  }

  static boolean isTgsRep(byte[] reply) {
    return reply.length > 0 && (reply[0] & 0xff) == 0x6d;
  }

  @Test
  void aFlippedBitAnywhereInTheAsRepOutsideTheTicketIsRefused() throws Exception {
    // The ticket is opaque to the client (encrypted for the KDC), so a change there only shows when the TGT is used;
    // everything else is signed by the KDC, encrypted with the reply key, or compared with the request.
    List<byte[]> recorded = new ArrayList<>();
    through(reply -> {
      if (isAsRep(reply)) {
        recorded.add(reply);
      }
      return reply;
    }).asExchange(request(), alice, pin()).close();
    byte[] sample = recorded.get(0);
    byte[] ticket = KdcRep.decodeAsRep(sample).ticket().der();
    int ticketStart = indexOf(sample, ticket);
    assertTrue(ticketStart > 0, "the ticket is inside the AS-REP");
    int ticketEnd = ticketStart + ticket.length;
    List<Integer> offsets = new ArrayList<>();
    for (int i = 1; i <= 14; i++) {
      int at = (int) ((long) sample.length * i / 15);
      if (at < ticketStart || at >= ticketEnd) {
        offsets.add(at);
      }
    }
    offsets.add(sample.length - 1);
    assertTrue(offsets.size() >= 8, "enough offsets outside the ticket: " + offsets);
    for (int offset : offsets) {
      PkinitClient client = through(reply -> {
        if (!isAsRep(reply) || offset >= reply.length) {
          return reply;
        }
        byte[] copy = reply.clone();
        copy[offset] ^= 0x01;
        return copy;
      });
      KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
          () -> client.asExchange(request(), alice, pin()), "offset " + offset + " of " + sample.length);
      assertTrue(e.code() == ErrorCode.KDC_REPLY_INVALID || e.code() == ErrorCode.KDC_NOT_TRUSTED,
          "offset " + offset + ": " + e);
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void anAsRepReplayedFromAnEarlierExchangeIsRefused() throws Exception {
    List<byte[]> recorded = new ArrayList<>();
    PkinitClient recorder = through(reply -> {
      if (isAsRep(reply)) {
        recorded.add(reply);
      }
      return reply;
    });
    recorder.asExchange(request(), alice, pin()).close();
    assertEquals(1, recorded.size());
    PkinitClient replaying = through(reply -> isAsRep(reply) ? recorded.get(0) : reply);
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> replaying.asExchange(request(), alice, pin()));
    assertEquals(ErrorCode.KDC_REPLY_INVALID, e.code(), e::toString);
    assertTrue(e.getMessage().contains("nonce"), e::getMessage);
  }

  @Test
  void aTgsRepReplayedFromAnEarlierExchangeIsRefused() throws Exception {
    List<byte[]> recorded = new ArrayList<>();
    PkinitClient recorder = through(reply -> {
      if (isTgsRep(reply)) {
        recorded.add(reply);
      }
      return reply;
    });
    try (KerberosTgt tgt = recorder.asExchange(request(), alice, pin())) {
      recorder.serviceTicket(tgt, "host/localhost").close();
    }
    assertEquals(1, recorded.size());
    PkinitClient replaying = through(reply -> isTgsRep(reply) ? recorded.get(0) : reply);
    try (KerberosTgt tgt = replaying.asExchange(request(), alice, pin())) {
      KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
          () -> replaying.serviceTicket(tgt, "host/localhost"));
      assertEquals(ErrorCode.KDC_REPLY_INVALID, e.code(), e::toString);
    }
  }

  @Test
  void aRealmTheKdcDoesNotServeIsNamed() {
    PkinitRequest other = new PkinitRequest(alice.user(), "OTHER.TEST", List.of(kdc.address()),
        PkinitMode.CERTIFICATE_TRUST, List.of(certificate));
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> honest().asExchange(other, alice, pin()));
    assertTrue(e.code() == ErrorCode.WRONG_REALM || e.code() == ErrorCode.PRINCIPAL_UNKNOWN, e::toString);
    assertTrue(e.getMessage().contains("OTHER.TEST"), e::getMessage);
  }

  @Test
  void anUnknownServiceIsNamed() throws Exception {
    PkinitClient client = honest();
    try (KerberosTgt tgt = client.asExchange(request(), alice, pin())) {
      KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
          () -> client.serviceTicket(tgt, "host/nowhere"));
      assertEquals(ErrorCode.KERBEROS_ERROR, e.code(), e::toString);
      assertEquals(7, e.krbErrorCode().orElse(-1), e::toString);
    }
  }
}
