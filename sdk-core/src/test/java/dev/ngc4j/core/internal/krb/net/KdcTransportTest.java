package dev.ngc4j.core.internal.krb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KDC transport against real sockets served by the test on loopback. */
final class KdcTransportTest {
  private static final byte[] REQUEST = "an AS-REQ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] REPLY = "an AS-REP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final KdcTransport transport = new KdcTransport();

  private static Instant in(Duration d) {
    return Instant.now().plus(d);
  }

  private static byte[] krbError(int code) {
    return KrbError.builder()
        .stime(Instant.parse("2026-11-22T10:00:00Z"), 0)
        .errorCode(code)
        .service("WHFB.TEST", PrincipalName.krbtgt("WHFB.TEST"))
        .build()
        .der();
  }

  private KdcUnreachableException unreachable(List<KdcAddress> kdcs, Instant deadline) {
    return assertThrows(KdcUnreachableException.class, () -> transport.exchange(kdcs, REQUEST, deadline));
  }

  @Test
  void tcpFramesTheRequestAndReturnsTheUnframedReply() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(REPLY))) {
      byte[] reply = transport.exchange(List.of(kdc.address()), REQUEST, in(Duration.ofSeconds(5)));
      assertArrayEquals(REPLY, reply);
      assertArrayEquals(REQUEST, kdc.requests.get(0), "the server read exactly the length-prefixed request");
    }
  }

  @Test
  void tcpReadsAReplyDeliveredInSmallPieces() throws Exception {
    byte[] big = new byte[70_000];
    Arrays.fill(big, (byte) 7);
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      byte[] framed = LoopbackKdc.frame(big);
      for (int i = 0; i < framed.length; i += 1000) {
        out.write(framed, i, Math.min(1000, framed.length - i));
        out.flush();
      }
    })) {
      assertArrayEquals(big, transport.exchange(List.of(kdc.address()), REQUEST, in(Duration.ofSeconds(5))));
    }
  }

  @Test
  void refusesAReplyLengthWithTheHighBitSet() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      out.write(new byte[] {(byte) 0x80, 0, 0, 9});
      out.write(REPLY);
    })) {
      KdcUnreachableException e = unreachable(List.of(kdc.address()), in(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("high bit"), e.getMessage());
      assertEquals(ErrorCode.KDC_UNREACHABLE, e.code());
    }
  }

  @Test
  void refusesAReplyLongerThanTheCapWithoutReadingIt() throws Exception {
    KdcTransport small = new KdcTransport(Clock.systemUTC(), 1024);
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      out.write(ByteBuffer.allocate(4).putInt(1025).array());
    })) {
      KdcUnreachableException e = assertThrows(KdcUnreachableException.class,
          () -> small.exchange(List.of(kdc.address()), REQUEST, in(Duration.ofSeconds(5))));
      assertTrue(e.getMessage().contains("1025 exceeds the cap of 1024"), e.getMessage());
    }
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      out.write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
    })) {
      KdcUnreachableException e = unreachable(List.of(kdc.address()), in(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("exceeds the cap of 1048576"), e.getMessage());
    }
  }

  @Test
  void refusesAnEmptyReply() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      out.write(new byte[4]);
    })) {
      assertTrue(unreachable(List.of(kdc.address()), in(Duration.ofSeconds(5))).getMessage().contains("empty"));
    }
  }

  @Test
  void aHalfReplyThenCloseIsAFailureNotAShortReply() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      out.write(ByteBuffer.allocate(4).putInt(100).array());
      out.write(new byte[50]); // the server then shuts its output down
    })) {
      KdcUnreachableException e = unreachable(List.of(kdc.address()), in(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("closed after 50 of 100 bytes"), e.getMessage());
    }
  }

  @Test
  void aSlowKdcFailsAtTheDeadlineNotLater() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp((request, out, stop) -> {
      stop.await(); // accepts, reads, never answers
    })) {
      long start = System.nanoTime();
      KdcUnreachableException e = unreachable(List.of(kdc.address()), in(Duration.ofMillis(800)));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMillis >= 700, "gave up early: " + elapsedMillis + " ms");
      assertTrue(elapsedMillis < 800 + 1200, "gave up late: " + elapsedMillis + " ms");
      assertTrue(e.getMessage().contains("tcp/127.0.0.1:" + kdc.port() + ": no answer within"), e.getMessage());
    }
  }

  @Test
  void failsOverFromARefusedKdcToTheNextOne() throws Exception {
    int closed = LoopbackKdc.closedPort();
    try (LoopbackKdc kdc = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(REPLY))) {
      byte[] reply = transport.exchange(List.of(KdcAddress.tcp("127.0.0.1", closed), kdc.address()), REQUEST,
          in(Duration.ofSeconds(5)));
      assertArrayEquals(REPLY, reply);
    }
  }

  @Test
  void aHangingFirstKdcLeavesTimeForTheSecond() throws Exception {
    try (LoopbackKdc hang = LoopbackKdc.tcp((request, out, stop) -> stop.await());
        LoopbackKdc good = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(REPLY))) {
      long start = System.nanoTime();
      byte[] reply = transport.exchange(List.of(hang.address(), good.address()), REQUEST, in(Duration.ofSeconds(4)));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertArrayEquals(REPLY, reply);
      assertEquals(1, good.requests.size());
      assertTrue(elapsedMillis < 3500, "the first KDC took more than its share: " + elapsedMillis + " ms");
    }
  }

  @Test
  void listsEveryKdcAndWhyWhenAllFail() throws Exception {
    int closed1 = LoopbackKdc.closedPort();
    int closed2 = LoopbackKdc.closedPort();
    KdcUnreachableException e = unreachable(List.of(KdcAddress.tcp("127.0.0.1", closed1),
        KdcAddress.tcp("127.0.0.1", closed2)), in(Duration.ofSeconds(5)));
    assertEquals(List.of("tcp/127.0.0.1:" + closed1 + ": connection refused",
        "tcp/127.0.0.1:" + closed2 + ": connection refused"), e.attempts());
    assertTrue(e.getMessage().contains("[KDC_UNREACHABLE]"), e.getMessage());
    assertThrows(KdcUnreachableException.class, () -> transport.exchange(List.of(), REQUEST, in(Duration.ofSeconds(1))));
  }

  @Test
  void aPassedDeadlineTriesNothing() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(REPLY))) {
      KdcUnreachableException e = unreachable(List.of(kdc.address()), Instant.now().minusSeconds(1));
      assertTrue(e.getMessage().contains("not tried"), e.getMessage());
      assertTrue(kdc.requests.isEmpty());
    }
  }

  @Test
  void udpSendsOneDatagramAndReturnsTheReply() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.udp(LoopbackKdc.udpReplying(REPLY))) {
      assertArrayEquals(REPLY, transport.exchange(List.of(kdc.address()), REQUEST, in(Duration.ofSeconds(5))));
      assertArrayEquals(REQUEST, kdc.requests.get(0));
    }
  }

  @Test
  void udpResendsWhenADatagramIsLost() throws Exception {
    try (LoopbackKdc kdc = LoopbackKdc.udp(request -> null)) {
      // no answer at all: the request is re-sent after one second, then the deadline ends the attempt
      unreachable(List.of(kdc.address()), in(Duration.ofMillis(2500)));
      assertTrue(kdc.requests.size() >= 2, "sent " + kdc.requests.size() + " time(s)");
    }
  }

  @Test
  void udpResponseTooBigRetriesTheSameKdcOverTcp() throws Exception {
    byte[] tooBig = krbError(KrbErrorCode.KRB_ERR_RESPONSE_TOO_BIG);
    for (int attempt = 0; ; attempt++) {
      try (LoopbackKdc udp = LoopbackKdc.udp(LoopbackKdc.udpReplying(tooBig));
          LoopbackKdc tcp = LoopbackKdc.tcp(udp.port(), LoopbackKdc.tcpReplying(REPLY))) {
        byte[] reply = transport.exchange(List.of(udp.address()), REQUEST, in(Duration.ofSeconds(5)));
        assertArrayEquals(REPLY, reply);
        assertEquals(1, udp.requests.size());
        assertArrayEquals(REQUEST, tcp.requests.get(0));
        return;
      } catch (BindException e) {
        if (attempt == 5) {
          throw e; // the TCP port twin of the UDP port stayed busy
        }
      }
    }
  }

  @Test
  void aRequestTooLargeForUdpGoesOverTcpToTheSameAddress() throws Exception {
    byte[] large = new byte[KdcTransport.UDP_PREFERENCE_LIMIT + 1];
    for (int attempt = 0; ; attempt++) {
      try (LoopbackKdc udp = LoopbackKdc.udp(LoopbackKdc.udpReplying(new byte[] {1}));
          LoopbackKdc tcp = LoopbackKdc.tcp(udp.port(), LoopbackKdc.tcpReplying(REPLY))) {
        assertArrayEquals(REPLY, transport.exchange(List.of(udp.address()), large, in(Duration.ofSeconds(5))));
        assertTrue(udp.requests.isEmpty());
        assertEquals(large.length, tcp.requests.get(0).length);
        return;
      } catch (BindException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void serviceUnavailableMovesOnButIsReturnedIfNothingElseAnswers() throws Exception {
    byte[] unavailable = krbError(KrbErrorCode.KDC_ERR_SVC_UNAVAILABLE);
    try (LoopbackKdc busy = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(unavailable));
        LoopbackKdc good = LoopbackKdc.tcp(LoopbackKdc.tcpReplying(REPLY))) {
      assertArrayEquals(REPLY, transport.exchange(List.of(busy.address(), good.address()), REQUEST,
          in(Duration.ofSeconds(5))));
      int closed = LoopbackKdc.closedPort();
      assertArrayEquals(unavailable, transport.exchange(List.of(busy.address(), KdcAddress.tcp("127.0.0.1", closed)),
          REQUEST, in(Duration.ofSeconds(5))));
    }
  }

  @Test
  void kdcAddressesParseAndPrintLikeKrb5Conf() {
    assertEquals(KdcAddress.tcp("kdc.example.com", 88), KdcAddress.parse("kdc.example.com", KdcAddress.Protocol.TCP));
    assertEquals(KdcAddress.udp("10.0.0.1", 750), KdcAddress.parse("10.0.0.1:750", KdcAddress.Protocol.UDP));
    assertEquals(KdcAddress.tcp("::1", 60088), KdcAddress.parse("[::1]:60088", KdcAddress.Protocol.TCP));
    assertEquals(KdcAddress.tcp("fe80::1", 88), KdcAddress.parse("fe80::1", KdcAddress.Protocol.TCP));
    assertEquals("tcp/[::1]:88", KdcAddress.tcp("::1", 88).toString());
    assertEquals("udp/kdc:88", KdcAddress.udp("kdc", 88).toString());
    assertThrows(IllegalArgumentException.class, () -> KdcAddress.parse("kdc:0", KdcAddress.Protocol.TCP));
    assertThrows(IllegalArgumentException.class, () -> KdcAddress.parse("kdc:x", KdcAddress.Protocol.TCP));
    assertThrows(IllegalArgumentException.class, () -> KdcAddress.parse("[::1", KdcAddress.Protocol.TCP));
    assertThrows(IllegalArgumentException.class, () -> KdcAddress.tcp("", 88));
  }

  @Test
  void closedLoopbackKdcIsNotReachable() throws IOException {
    // A port below the ephemeral range (see LoopbackKdc.closedPort): a KDC was there and has gone.
    LoopbackKdc kdc = LoopbackKdc.tcp(LoopbackKdc.closedPort(), LoopbackKdc.tcpReplying(REPLY));
    KdcAddress address = kdc.address();
    kdc.close();
    assertTrue(unreachable(List.of(address), in(Duration.ofSeconds(2))).getMessage().contains("refused"));
  }
}
