package dev.ngc4j.core.internal.krb.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny authoritative DNS server on a loopback UDP port that answers SRV queries from a table, for the locator's
 * unit tests. Names not in the table get NXDOMAIN; names mapped to an empty list get an empty NOERROR answer.
 * The DNS wire format (RFC 1035 §4.1, RFC 2782 for SRV RDATA) is written here by hand.
 */
final class LoopbackDns implements AutoCloseable {
  /** One SRV record; target "." means "no service". */
  record Srv(int priority, int weight, int port, String target) {}

  private static final int TYPE_SRV = 33;
  private static final int CLASS_IN = 1;
  private static final int RCODE_NXDOMAIN = 3;

  final List<String> queries = new CopyOnWriteArrayList<>();
  private final Map<String, List<Srv>> zone = new ConcurrentHashMap<>();
  private final DatagramSocket socket;
  private volatile boolean silent;

  LoopbackDns() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::serve, "loopback-dns");
    t.setDaemon(true);
    t.start();
  }

  /** Publishes SRV records for a name (an empty list: the name exists without SRV records). */
  LoopbackDns put(String name, Srv... records) {
    zone.put(name.toLowerCase(Locale.ROOT), List.of(records));
    return this;
  }

  /** Stops answering (queries are still recorded), to test timeouts. */
  void silence() {
    silent = true;
  }

  String hostAndPort() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    byte[] buf = new byte[512];
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        byte[] reply = answer(buf, p.getLength());
        if (reply != null && !silent) {
          socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  private byte @org.jspecify.annotations.Nullable [] answer(byte[] query, int length) {
    ByteBuffer q = ByteBuffer.wrap(query, 0, length);
    if (q.remaining() < 12) {
      return null;
    }
    int id = q.getShort() & 0xFFFF;
    int flags = q.getShort() & 0xFFFF;
    int qdcount = q.getShort() & 0xFFFF;
    q.position(12);
    if (qdcount != 1) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    while (true) {
      int len = q.get() & 0xFF;
      if (len == 0) {
        break;
      }
      byte[] label = new byte[len];
      q.get(label);
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(label, StandardCharsets.US_ASCII));
    }
    int qtype = q.getShort() & 0xFFFF;
    int qclass = q.getShort() & 0xFFFF;
    int questionEnd = q.position();
    String qname = name.toString().toLowerCase(Locale.ROOT);
    queries.add(qname);
    List<Srv> records = zone.get(qname);
    boolean exists = records != null;
    List<Srv> answers = records != null && qtype == TYPE_SRV && qclass == CLASS_IN ? records : List.of();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(12);
    header.putShort((short) id);
    header.putShort((short) (0x8400 | (flags & 0x0100) | 0x0080 | (exists ? 0 : RCODE_NXDOMAIN)));
    header.putShort((short) 1).putShort((short) answers.size()).putShort((short) 0).putShort((short) 0);
    out.writeBytes(header.array());
    out.write(query, 12, questionEnd - 12); // the question, echoed
    for (Srv srv : answers) {
      byte[] target = encodeName(srv.target());
      ByteBuffer rr = ByteBuffer.allocate(2 + 2 + 2 + 4 + 2 + 6 + target.length);
      rr.putShort((short) 0xC00C); // a pointer to the question's name
      rr.putShort((short) TYPE_SRV).putShort((short) CLASS_IN).putInt(60);
      rr.putShort((short) (6 + target.length));
      rr.putShort((short) srv.priority()).putShort((short) srv.weight()).putShort((short) srv.port());
      rr.put(target);
      out.writeBytes(rr.array());
    }
    return out.toByteArray();
  }

  private static byte[] encodeName(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!name.equals(".")) {
      for (String label : name.split("\\.", -1)) {
        if (!label.isEmpty()) {
          out.write(label.length());
          out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    out.write(0);
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
  }
}
