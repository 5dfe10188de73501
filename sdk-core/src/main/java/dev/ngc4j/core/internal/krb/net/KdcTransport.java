package dev.ngc4j.core.internal.krb.net;

import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.core.internal.krb.msg.MessageType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one Kerberos request to a realm's KDCs and returns the first reply.
 *
 * <ul>
 *   <li>KDCs are tried in the order given. Each gets an equal share of the time left before the deadline (at
 *       least one second when that much is left), so one KDC that accepts and never answers cannot use up the
 *       time of the others. Connection refused, timeouts, resets, unreachable ports and malformed frames move
 *       on to the next KDC.
 *   <li>TCP (RFC 4120 §7.2.2): the request and the reply are each prefixed by a 4-byte big-endian length. A
 *       reply length with the high bit set (reserved), zero, or above the cap ({@link #DEFAULT_MAX_REPLY} by
 *       default) is refused without reading further.
 *   <li>UDP (RFC 4120 §7.2.1) only for addresses marked UDP, and only for requests of at most
 *       {@link #UDP_PREFERENCE_LIMIT} bytes (as MIT's {@code udp_preference_limit}); larger requests go to the
 *       same host and port over TCP. The datagram is re-sent after 1, 2, 4... seconds without an answer. A
 *       KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG reply makes the same KDC be asked again over TCP.
 *   <li>A KRB-ERROR KDC_ERR_SVC_UNAVAILABLE reply moves on to the next KDC; it is returned only if no other KDC
 *       answers.
 *   <li>If no KDC answers, {@link KdcUnreachableException} lists every KDC and why, no later than the deadline
 *       plus the time of one blocking name lookup.
 * </ul>
 *
 * Replies are returned as received; the caller decodes them. Host names are resolved with the JDK resolver, and
 * every address of a host is tried.
 *
 * <p>Thread safety: immutable and safe for concurrent use; each call uses its own sockets.
 */
public final class KdcTransport {
  /** The default cap on a reply, in bytes (1 MiB). */
  public static final int DEFAULT_MAX_REPLY = 1 << 20;
  /** The largest request sent over UDP, in bytes; larger ones go over TCP. */
  public static final int UDP_PREFERENCE_LIMIT = 1465;

  private static final Logger log = LoggerFactory.getLogger(KdcTransport.class);
  private static final long MIN_SHARE_MILLIS = 1000;
  private static final int UDP_FIRST_RESEND_MILLIS = 1000;
  private static final int MAX_UDP_DATAGRAM = 65535;

  private final Clock clock;
  private final int maxReplyBytes;

  /** Creates a transport with the system clock and the default reply cap. */
  public KdcTransport() {
    this(Clock.systemUTC(), DEFAULT_MAX_REPLY);
  }

  /**
   * Creates a transport.
   *
   * @param clock the clock the deadline is measured against
   * @param maxReplyBytes the largest reply accepted, 1 to 2^31 - 1 bytes
   */
  public KdcTransport(Clock clock, int maxReplyBytes) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxReplyBytes < 1) {
      throw new IllegalArgumentException("the reply cap must be positive");
    }
    this.maxReplyBytes = maxReplyBytes;
  }

  /**
   * Sends {@code request} to the KDCs in order and returns the first reply.
   *
   * @param kdcs the KDCs, most preferred first
   * @param request the DER of the request (without any length prefix)
   * @param deadline when to give up
   * @return the reply (without the TCP length prefix)
   * @throws KdcUnreachableException if no KDC answered before the deadline; the message lists each attempt
   */
  public byte[] exchange(List<KdcAddress> kdcs, byte[] request, Instant deadline) throws KdcUnreachableException {
    Objects.requireNonNull(kdcs, "kdcs");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(deadline, "deadline");
    if (request.length == 0) {
      throw new IllegalArgumentException("empty request");
    }
    List<String> attempts = new ArrayList<>();
    byte[] unavailableReply = null;
    for (int i = 0; i < kdcs.size(); i++) {
      KdcAddress kdc = kdcs.get(i);
      long remaining = millisUntil(deadline);
      if (remaining <= 0) {
        attempts.add(kdc + ": not tried, the deadline had passed");
        continue;
      }
      Instant start = clock.instant();
      Instant attemptDeadline = share(deadline, kdcs.size() - i);
      long shareMillis = Duration.between(start, attemptDeadline).toMillis();
      try {
        byte[] reply = attempt(kdc, request, attemptDeadline, deadline, kdcs.size() - i);
        if (i + 1 < kdcs.size() && isError(reply, KrbErrorCode.KDC_ERR_SVC_UNAVAILABLE)) {
          log.debug("KDC {} answered KDC_ERR_SVC_UNAVAILABLE; trying the next one", kdc);
          attempts.add(kdc + ": KDC_ERR_SVC_UNAVAILABLE");
          unavailableReply = reply;
          continue;
        }
        log.debug("KDC {} answered with {} bytes", kdc, reply.length);
        return reply;
      } catch (IOException e) {
        String why = describe(e, shareMillis);
        log.debug("KDC {} failed: {}", kdc, why);
        attempts.add(kdc + ": " + why);
      }
    }
    if (unavailableReply != null) {
      return unavailableReply;
    }
    throw new KdcUnreachableException(attempts);
  }

  private byte[] attempt(KdcAddress kdc, byte[] request, Instant attemptDeadline, Instant deadline, int kdcsLeft)
      throws IOException {
    InetAddress[] addresses = InetAddress.getAllByName(kdc.host());
    IOException last = null;
    for (int j = 0; j < addresses.length; j++) {
      long left = millisUntil(attemptDeadline);
      if (left <= 0) {
        break;
      }
      Instant addressDeadline = clock.instant().plusMillis(Math.max(left / (addresses.length - j),
          Math.min(left, MIN_SHARE_MILLIS)));
      InetSocketAddress target = new InetSocketAddress(addresses[j], kdc.port());
      try {
        if (kdc.protocol() == KdcAddress.Protocol.UDP && request.length <= UDP_PREFERENCE_LIMIT) {
          byte[] reply = udp(target, request, addressDeadline);
          if (!isError(reply, KrbErrorCode.KRB_ERR_RESPONSE_TOO_BIG)) {
            return reply;
          }
          log.debug("KDC {} says the response is too big for UDP; asking again over TCP", kdc);
          return tcp(target, request, later(addressDeadline, share(deadline, kdcsLeft)));
        }
        return tcp(target, request, addressDeadline);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new SocketTimeoutException("no time left for " + kdc);
  }

  private byte[] tcp(InetSocketAddress target, byte[] request, Instant until) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(target, timeoutMillis(until));
      OutputStream out = socket.getOutputStream();
      byte[] framed = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).array();
      out.write(framed);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] header = readFully(socket, in, 4, until);
      int length = ByteBuffer.wrap(header).getInt();
      if (length < 0) {
        throw new ProtocolException("the reply length has the reserved high bit set");
      }
      if (length == 0) {
        throw new ProtocolException("the reply is empty");
      }
      if (length > maxReplyBytes) {
        throw new ProtocolException("the reply length " + length + " exceeds the cap of " + maxReplyBytes
            + " bytes");
      }
      return readFully(socket, in, length, until);
    }
  }

  private byte[] readFully(Socket socket, InputStream in, int length, Instant until) throws IOException {
    byte[] buf = new byte[length];
    int off = 0;
    while (off < length) {
      socket.setSoTimeout(timeoutMillis(until));
      int n = in.read(buf, off, length - off);
      if (n < 0) {
        throw new EOFException("the connection closed after " + off + " of " + length + " bytes");
      }
      off += n;
    }
    return buf;
  }

  private byte[] udp(InetSocketAddress target, byte[] request, Instant until) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(target);
      DatagramPacket out = new DatagramPacket(request, request.length);
      byte[] buf = new byte[MAX_UDP_DATAGRAM];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      long resendAfter = UDP_FIRST_RESEND_MILLIS;
      socket.send(out);
      while (true) {
        int wait = (int) Math.min(timeoutMillis(until), resendAfter);
        socket.setSoTimeout(wait);
        try {
          socket.receive(in);
          if (in.getLength() == 0) {
            throw new ProtocolException("the reply datagram is empty");
          }
          return Arrays.copyOf(buf, in.getLength());
        } catch (SocketTimeoutException e) {
          if (millisUntil(until) <= 0) {
            throw e;
          }
          resendAfter *= 2;
          socket.send(out);
        }
      }
    }
  }

  /** Tells whether a reply is a KRB-ERROR with the given code. */
  private static boolean isError(byte[] reply, int code) {
    try {
      return MessageType.of(reply) == MessageType.KRB_ERROR && KrbError.decode(reply).errorCode() == code;
    } catch (KrbMessageException e) {
      return false;
    }
  }

  private Instant share(Instant deadline, int kdcsLeft) {
    long remaining = Math.max(0, millisUntil(deadline));
    long share = Math.max(remaining / Math.max(1, kdcsLeft), Math.min(remaining, MIN_SHARE_MILLIS));
    return clock.instant().plusMillis(share);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private long millisUntil(Instant until) {
    return Duration.between(clock.instant(), until).toMillis();
  }

  /** A socket timeout for the time left: at least 1 ms (0 would mean forever). */
  private int timeoutMillis(Instant until) throws SocketTimeoutException {
    long left = millisUntil(until);
    if (left <= 0) {
      throw new SocketTimeoutException("time is up");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  private static String describe(IOException e, long shareMillis) {
    if (e instanceof ProtocolException) {
      return "malformed reply: " + e.getMessage();
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof PortUnreachableException) {
      return "port unreachable";
    }
    if (e instanceof SocketTimeoutException) {
      return "no answer within " + shareMillis + " ms";
    }
    if (e instanceof EOFException) {
      return String.valueOf(e.getMessage());
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** A reply that breaks the framing rules. */
  private static final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
      super(message);
    }
  }

  /**
   * Returns a debugging summary.
   *
   * @return the reply cap
   */
  @Override
  public String toString() {
    return "KdcTransport[maxReplyBytes=" + maxReplyBytes + "]";
  }
}
