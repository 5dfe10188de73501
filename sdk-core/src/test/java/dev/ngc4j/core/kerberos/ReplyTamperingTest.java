package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.core.kerberos.testing.PkinitFixture;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  static PkinitFixture fixture;
  static MitKdc kdc;
  static KeyContainer alice;
  static X509Certificate certificate;

  @BeforeAll
  static void start() throws Exception {
    fixture = PkinitFixture.builder(dir, PIN).users("alice").services("host/localhost").start();
    kdc = fixture.kdc();
    alice = fixture.container("alice");
    certificate = kdc.issueClientCertificate(alice.publicKey(), "alice");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static PkinitRequest request() {
    return fixture.certificateTrust(alice, certificate);
  }

  static PkinitClient honest() {
    return fixture.client();
  }

  /** A client whose replies pass through {@code change} (requests go to the real KDC unchanged). */
  static PkinitClient through(UnaryOperator<byte[]> change) {
    KdcChannel real = honest().channel();
    return fixture.clientBuilder()
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
    }).asExchange(request(), alice, fixture.pin()).close();
    // The places are fifteenths of the reply (the last one its last byte), found again in every reply: DER integers
    // such as the KDC's DH public value change length from one exchange to the next, so the length of the AS-REP and
    // the position of the ticket in it move by a byte or so (a place fixed on the first reply could fall past the end
    // of a shorter one, which then went through unchanged).
    byte[] sample = recorded.get(0);
    List<Integer> fifteenths = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      if (outsideTheTicket(sample, i).isPresent()) {
        fifteenths.add(i);
      }
    }
    assertTrue(fifteenths.size() >= 8, "enough places outside the ticket: " + fifteenths);
    for (int fifteenth : fifteenths) {
      List<Integer> flipped = new ArrayList<>();
      PkinitClient client = through(reply -> {
        if (!isAsRep(reply)) {
          return reply;
        }
        byte[] copy = reply.clone();
        int offset = nearestOutsideTheTicket(copy, fifteenth);
        copy[offset] ^= 0x01;
        flipped.add(offset);
        return copy;
      });
      KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
          () -> client.asExchange(request(), alice, fixture.pin()), () -> "offset " + flipped + " of " + sample.length);
      assertTrue(e.code() == ErrorCode.KDC_REPLY_INVALID || e.code() == ErrorCode.KDC_NOT_TRUSTED,
          "offset " + flipped + ": " + e);
    }
  }

  /** The byte at {@code fifteenth}/15 of the reply (15: its last byte), if it is not a byte of the ticket. */
  static Optional<Integer> outsideTheTicket(byte[] reply, int fifteenth) {
    int at = fifteenth == 15 ? reply.length - 1 : (int) ((long) reply.length * fifteenth / 15);
    int[] ticket = ticketRange(reply);
    return at < ticket[0] || at >= ticket[1] ? Optional.of(at) : Optional.empty();
  }

  /** As {@link #outsideTheTicket}, or the first byte after the ticket where the ticket moved onto that place. */
  static int nearestOutsideTheTicket(byte[] reply, int fifteenth) {
    return outsideTheTicket(reply, fifteenth).orElseGet(() -> ticketRange(reply)[1]);
  }

  /** The start (inclusive) and end (exclusive) of the ticket in an AS-REP. */
  static int[] ticketRange(byte[] reply) {
    byte[] ticket;
    try {
      ticket = KdcRep.decodeAsRep(reply).ticket().der();
    } catch (KrbMessageException e) {
      throw new AssertionError("the KDC's AS-REP does not decode", e);
    }
    int start = indexOf(reply, ticket);
    assertTrue(start > 0, "the ticket is inside the AS-REP");
    return new int[] {start, start + ticket.length};
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
    recorder.asExchange(request(), alice, fixture.pin()).close();
    assertEquals(1, recorded.size());
    PkinitClient replaying = through(reply -> isAsRep(reply) ? recorded.get(0) : reply);
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> replaying.asExchange(request(), alice, fixture.pin()));
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
    try (KerberosTgt tgt = recorder.asExchange(request(), alice, fixture.pin())) {
      recorder.serviceTicket(tgt, "host/localhost").close();
    }
    assertEquals(1, recorded.size());
    PkinitClient replaying = through(reply -> isTgsRep(reply) ? recorded.get(0) : reply);
    try (KerberosTgt tgt = replaying.asExchange(request(), alice, fixture.pin())) {
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
        () -> honest().asExchange(other, alice, fixture.pin()));
    assertTrue(e.code() == ErrorCode.WRONG_REALM || e.code() == ErrorCode.PRINCIPAL_UNKNOWN, e::toString);
    assertTrue(e.getMessage().contains("OTHER.TEST"), e::getMessage);
  }

  @Test
  void anUnknownServiceIsNamed() throws Exception {
    PkinitClient client = honest();
    try (KerberosTgt tgt = client.asExchange(request(), alice, fixture.pin())) {
      KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
          () -> client.serviceTicket(tgt, "host/nowhere"));
      assertEquals(ErrorCode.KERBEROS_ERROR, e.code(), e::toString);
      assertEquals(7, e.krbErrorCode().orElse(-1), e::toString);
    }
  }
}
