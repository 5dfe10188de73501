package dev.ngc4j.core.internal.krb.fuzz;

import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PaPkAsRep;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import dev.ngc4j.testkit.kdc.MitKdc;
import dev.ngc4j.testkit.kdc.ToolResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Captures real replies of MIT {@code krb5kdc} as fuzz seeds: starts a {@link MitKdc} (PKINIT, freshness tokens
 * required), puts a recording TCP relay between MIT's own client tools and the KDC (Kerberos over TCP: a 4-byte
 * big-endian length, then the message), and runs
 *
 * <ol>
 *   <li>{@code kinit} with a CA-issued certificate: an AS-REQ without pre-authentication (answered with
 *       KDC_ERR_PREAUTH_REQUIRED and its METHOD-DATA, freshness token included), then the PKINIT AS-REQ (answered
 *       with an AS-REP carrying PA-PK-AS-REP, the KDC's SignedData and a KDCDHKeyInfo);
 *   <li>{@code kvno host/localhost}: a TGS-REP;
 *   <li>{@code kvno} for a service that does not exist: KDC_ERR_S_PRINCIPAL_UNKNOWN.
 * </ol>
 *
 * <p>Every reply and the structures nested in them are written as {@code mit-*.der} into the seed directories of
 * {@link KrbReplyDecodersFuzzTest}, then {@link FuzzSeeds#writeDispatcherSeeds(Path)} refreshes {@code
 * allDecoders}. Run from the sdk-core directory with the test class path; needs the MIT packages that {@link
 * MitKdc} names. The files are committed, so the build does not need a KDC for the fuzz tests.
 *
 * <p>Thread safety: not applicable (a program entry point).
 */
final class MitKdcCapture {
  private MitKdcCapture() {}

  /**
   * Captures and writes the seeds.
   *
   * @param args optional: the inputs directory (default {@link FuzzSeeds#INPUTS})
   * @throws Exception if the KDC or a tool fails
   */
  public static void main(String[] args) throws Exception {
    Path inputs = args.length > 0 ? Path.of(args[0]) : FuzzSeeds.INPUTS;
    MitKdc.requireInstalled();
    Path dir = Files.createTempDirectory("ngc4j-capture");
    List<byte[]> replies;
    try (MitKdc kdc = MitKdc.builder(dir).requireFreshness(true).start();
        Relay relay = new Relay(kdc.port())) {
      kdc.addUser("alice");
      kdc.addService("host/localhost");
      // MIT's client profile points at the relay instead of the KDC.
      String profile = Files.readString(kdc.krb5Conf(), StandardCharsets.UTF_8);
      String direct = "kdc = " + MitKdc.HOST + ":" + kdc.port();
      if (!profile.contains(direct)) {
        throw new IllegalStateException("krb5.conf does not name the KDC as expected: " + direct);
      }
      Files.writeString(kdc.krb5Conf(), profile.replace(direct, "kdc = " + MitKdc.HOST + ":" + relay.port()),
          StandardCharsets.UTF_8);

      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      X509Certificate certificate = kdc.issueClientCertificate(keys.getPublic(), "alice");
      Path cert = MitKdc.writeCertificatePem(dir.resolve("alice.pem"), certificate);
      Path key = MitKdc.writePrivateKeyPem(dir.resolve("alice-key.pem"), keys.getPrivate());
      Path ccache = dir.resolve("alice.ccache");
      expectSuccess(kdc.kinitWithCertificate(cert, key, "alice", ccache, List.of()), "kinit");
      expectSuccess(kdc.kvno(ccache, "host/localhost"), "kvno host/localhost");
      ToolResult unknown = kdc.kvno(ccache, "host/nowhere.invalid");
      if (unknown.exitCode() == 0) {
        throw new IllegalStateException("kvno for an unknown service succeeded: " + unknown.describe());
      }
      replies = relay.replies();
    } finally {
      deleteTree(dir);
    }
    write(inputs, replies);
    FuzzSeeds.writeDispatcherSeeds(inputs);
  }

  private static void expectSuccess(ToolResult result, String what) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(what + " failed: " + result.describe());
    }
  }

  /** Sorts the replies by message and writes them with the structures inside them. */
  private static void write(Path inputs, List<byte[]> replies) throws Exception {
    Map<String, byte[]> seeds = new TreeMap<>();
    int tgsReps = 0;
    for (byte[] reply : replies) {
      int tag = reply.length == 0 ? -1 : reply[0] & 0xFF;
      if (tag == 0x7E) { // [APPLICATION 30] KRB-ERROR
        KrbError error = KrbError.decode(reply);
        String name = KrbErrorCode.name(error.errorCode()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        seeds.put("krbError/mit-" + name + ".der", reply);
        byte[] eData = error.eData();
        if (error.errorCode() == KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED && eData != null) {
          seeds.put("methodData/mit-preauth-required.der", eData);
        }
      } else if (tag == 0x6B) { // [APPLICATION 11] AS-REP
        KdcRep rep = KdcRep.decodeAsRep(reply);
        seeds.put("asRep/mit-pkinit-as-rep.der", reply);
        seeds.put("ticket/mit-krbtgt.der", rep.ticket().der());
        PaData pa = PaData.find(rep.padata(), PaDataType.PA_PK_AS_REP).orElseThrow(
            () -> new IllegalStateException("the AS-REP carries no PA-PK-AS-REP"));
        seeds.put("paPkAsRep/mit-dh.der", pa.value());
        byte[] signedData = Objects.requireNonNull(PaPkAsRep.decode(pa.value()).dhInfo(), "dhInfo").dhSignedData();
        seeds.put("pkinitSignedData/mit-kdc-dh-key-data.der", signedData);
        seeds.put("kdcDhKeyInfo/mit.der",
            PkinitSignedData.verify(signedData, PkinitSignedData.ID_PKINIT_DH_KEY_DATA).content());
      } else if (tag == 0x6D) { // [APPLICATION 13] TGS-REP
        KdcRep.decodeTgsRep(reply);
        seeds.put("tgsRep/mit-tgs-rep" + (tgsReps++ == 0 ? "" : "-" + tgsReps) + ".der", reply);
      } else {
        throw new IllegalStateException("unexpected reply with first byte " + tag);
      }
    }
    for (String needed : List.of("krbError/mit-kdc-err-preauth-required.der", "asRep/mit-pkinit-as-rep.der",
        "tgsRep/mit-tgs-rep.der", "krbError/mit-kdc-err-s-principal-unknown.der")) {
      if (!seeds.containsKey(needed)) {
        throw new IllegalStateException("no " + needed + " was captured; got " + seeds.keySet());
      }
    }
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Path file = inputs.resolve(seed.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, seed.getValue());
      System.out.println("wrote " + file + " (" + seed.getValue().length + " bytes)");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A TCP relay on loopback that forwards each framed request to the KDC and records the framed replies. */
  private static final class Relay implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 20;

    private final ServerSocket server;
    private final int kdcPort;
    private final List<byte[]> replies = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    Relay(int kdcPort) throws IOException {
      this.kdcPort = kdcPort;
      this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      this.acceptor = new Thread(this::acceptLoop, "mit-capture-relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    List<byte[]> replies() {
      synchronized (replies) {
        return List.copyOf(replies);
      }
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try (Socket client = server.accept();
            Socket kdc = new Socket()) {
          client.setSoTimeout(30_000);
          kdc.setSoTimeout(30_000);
          kdc.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), kdcPort), 5_000);
          DataInputStream fromClient = new DataInputStream(client.getInputStream());
          DataOutputStream toKdc = new DataOutputStream(kdc.getOutputStream());
          DataInputStream fromKdc = new DataInputStream(kdc.getInputStream());
          DataOutputStream toClient = new DataOutputStream(client.getOutputStream());
          while (true) {
            byte[] request;
            try {
              request = frame(fromClient);
            } catch (EOFException e) {
              break; // the client closed the connection
            }
            toKdc.writeInt(request.length);
            toKdc.write(request);
            toKdc.flush();
            byte[] reply = frame(fromKdc);
            replies.add(reply);
            toClient.writeInt(reply.length);
            toClient.write(reply);
            toClient.flush();
          }
        } catch (IOException e) {
          if (!server.isClosed()) {
            System.err.println("relay: " + e);
          }
        }
      }
    }

    private static byte[] frame(DataInputStream in) throws IOException {
      int length = in.readInt();
      if (length < 0 || length > MAX_FRAME) {
        throw new IOException("frame length " + length);
      }
      byte[] frame = new byte[length];
      in.readFully(frame);
      return frame;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
