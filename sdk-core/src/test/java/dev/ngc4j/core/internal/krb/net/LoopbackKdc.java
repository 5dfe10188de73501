package dev.ngc4j.core.internal.krb.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * A scripted KDC stand-in on a loopback port, TCP or UDP, for the transport's unit tests: it records each request
 * and answers as its {@link Behavior} says. Closing it stops its thread and releases anything blocked.
 */
final class LoopbackKdc implements AutoCloseable {
  /** What a TCP server does with one connection, after reading the framed request. */
  interface TcpBehavior {
    /**
     * Answers one request.
     *
     * @param request the request received (unframed)
     * @param out the connection's output; the server shuts it down afterwards
     * @param stop released when the server closes; a behavior that hangs waits on it
     */
    void answer(byte[] request, OutputStream out, CountDownLatch stop) throws IOException, InterruptedException;
  }

  /** What a UDP server does with one datagram. */
  interface UdpBehavior {
    /**
     * Answers one request.
     *
     * @param request the datagram received
     * @return the reply datagram, or {@code null} for none
     */
    byte @Nullable [] answer(byte[] request);
  }

  final List<byte[]> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final @Nullable ServerSocket tcp;
  private final @Nullable DatagramSocket udp;
  private final Thread thread;

  private LoopbackKdc(@Nullable ServerSocket tcp, @Nullable DatagramSocket udp, @Nullable TcpBehavior tcpBehavior,
      @Nullable UdpBehavior udpBehavior) {
    this.tcp = tcp;
    this.udp = udp;
    this.thread = new Thread(() -> serve(tcpBehavior, udpBehavior), "loopback-kdc");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Starts a TCP server on a free loopback port. */
  static LoopbackKdc tcp(TcpBehavior behavior) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new LoopbackKdc(s, null, behavior, null);
  }

  /** Starts a TCP server on the given loopback port (used to pair with a UDP server's port). */
  static LoopbackKdc tcp(int port, TcpBehavior behavior) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return new LoopbackKdc(s, null, behavior, null);
  }

  /** Starts a UDP server on a free loopback port. */
  static LoopbackKdc udp(UdpBehavior behavior) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new LoopbackKdc(null, s, null, behavior);
  }

  int port() {
    return tcp != null ? tcp.getLocalPort() : java.util.Objects.requireNonNull(udp).getLocalPort();
  }

  KdcAddress address() {
    return new KdcAddress("127.0.0.1", port(), tcp != null ? KdcAddress.Protocol.TCP : KdcAddress.Protocol.UDP);
  }

  /**
   * A loopback port on which nothing listens (connection refused), chosen below Linux's ephemeral range (32768 and
   * up by default). A closed port inside that range is not reliably closed: other processes' {@code bind(0)} may take
   * it at any moment, and a client's own connect may pick it as its source port and connect to itself (TCP
   * simultaneous open), which then "answers" with the request.
   */
  static int closedPort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("no free loopback port between 20000 and 32000", last);
  }

  /** Frames a reply as RFC 4120 §7.2.2 says: a 4-byte big-endian length, then the bytes. */
  static byte[] frame(byte[] reply) {
    return ByteBuffer.allocate(4 + reply.length).putInt(reply.length).put(reply).array();
  }

  /** Answers every TCP request with the same framed reply. */
  static TcpBehavior tcpReplying(byte[] reply) {
    return (request, out, stop) -> {
      out.write(frame(reply));
      out.flush();
    };
  }

  /** Answers every UDP request with the same datagram. */
  static UdpBehavior udpReplying(byte[] reply) {
    return request -> reply;
  }

  private void serve(@Nullable TcpBehavior tcpBehavior, @Nullable UdpBehavior udpBehavior) {
    ServerSocket tcp = this.tcp;
    DatagramSocket udp = this.udp;
    try {
      if (tcp != null && tcpBehavior != null) {
        while (true) {
          Socket s = tcp.accept();
          Thread t = new Thread(() -> handle(s, tcpBehavior), "loopback-kdc-conn");
          t.setDaemon(true);
          t.start();
        }
      } else if (udp != null && udpBehavior != null) {
        byte[] buf = new byte[65535];
        while (true) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          udp.receive(p);
          byte[] request = java.util.Arrays.copyOf(buf, p.getLength());
          requests.add(request);
          byte[] reply = udpBehavior.answer(request);
          if (reply != null) {
            udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
          }
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void handle(Socket s, TcpBehavior behavior) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readInt();
      byte[] request = new byte[length];
      in.readFully(request);
      requests.add(request);
      behavior.answer(request, s.getOutputStream(), stop);
      s.shutdownOutput();
      stop.await(); // keep the socket open until the test ends, so the client sees no spurious EOF
    } catch (SocketException e) {
      // client went away
    } catch (IOException | InterruptedException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    stop.countDown();
    if (tcp != null) {
      tcp.close();
    }
    if (udp != null) {
      udp.close();
    }
  }
}
