package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.provider.support.testing.ByteSearch;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A wrapped TPM transport for tests: a loopback TCP proxy in front of swtpm's data port that forwards raw TPM
 * commands and responses unchanged (each command in one write, as swtpm needs) and can record every one of them.
 * The provider under test is simply pointed at {@link #deviceSpec()}, so it is observed through its public API with
 * no hook in the code under test: what the proxy records is exactly what crossed the TPM interface.
 */
public final class RecordingTpmProxy implements AutoCloseable {
  private static final int HEADER = 10;
  private static final int MAX_FRAME = 64 * 1024;

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<byte[]> commands = new ArrayList<>();
  private final List<byte[]> responses = new ArrayList<>();
  private boolean recording;
  private volatile boolean closed;

  private RecordingTpmProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tpm-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy in front of a TPM's raw data port.
   *
   * @param host the TPM's host
   * @param port the TPM's port
   * @return the running proxy
   * @throws IOException if no loopback port can be bound
   */
  public static RecordingTpmProxy start(String host, int port) throws IOException {
    return new RecordingTpmProxy(host, port);
  }

  /** The device setting that points the provider at this proxy. */
  public String deviceSpec() {
    return "tcp:127.0.0.1:" + server.getLocalPort();
  }

  /** Forgets what was recorded and records from now on. */
  public synchronized void record() {
    commands.clear();
    responses.clear();
    recording = true;
  }

  /** Stops recording and returns the commands recorded, in order. */
  public synchronized List<byte[]> stop() {
    recording = false;
    return List.copyOf(commands);
  }

  /** The responses recorded since the last {@link #record()}, in order. */
  public synchronized List<byte[]> responses() {
    return List.copyOf(responses);
  }

  /** The commands recorded so far, without stopping. */
  public synchronized List<byte[]> commands() {
    return List.copyOf(commands);
  }

  private synchronized void recordCommand(byte[] command) {
    if (recording) {
      commands.add(command.clone());
    }
  }

  private synchronized void recordResponse(byte[] response) {
    if (recording) {
      responses.add(response.clone());
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      Thread pump = new Thread(() -> pump(client), "tpm-proxy-pump");
      pump.setDaemon(true);
      pump.start();
    }
  }

  /** Forwards frames between one client and a fresh upstream connection until either side closes. */
  private void pump(Socket client) {
    try (client; Socket upstream = new Socket()) {
      open.add(upstream);
      upstream.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5_000);
      DataInputStream fromClient = new DataInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      DataInputStream fromTpm = new DataInputStream(upstream.getInputStream());
      OutputStream toTpm = upstream.getOutputStream();
      while (!closed) {
        byte[] command = readFrame(fromClient);
        if (command == null) {
          return;
        }
        recordCommand(command);
        toTpm.write(command);
        toTpm.flush();
        byte[] response = readFrame(fromTpm);
        if (response == null) {
          return;
        }
        recordResponse(response);
        toClient.write(response);
        toClient.flush();
      }
    } catch (IOException e) {
      // one side went away: the other sees its socket closed
    } finally {
      open.remove(client);
    }
  }

  /** Reads one TPM frame (10-byte header, then the size it declares); null at a clean end of stream. */
  private static byte @Nullable [] readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[HEADER];
    int first = in.read();
    if (first < 0) {
      return null;
    }
    header[0] = (byte) first;
    in.readFully(header, 1, HEADER - 1);
    int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
        | (header[5] & 0xFF);
    if (size < HEADER || size > MAX_FRAME) {
      throw new IOException("implausible TPM frame size " + size);
    }
    byte[] frame = Arrays.copyOf(header, size);
    in.readFully(frame, HEADER, size - HEADER);
    return frame;
  }

  /** The command code (or response code) of a frame. */
  public static int code(byte[] frame) {
    return ((frame[6] & 0xFF) << 24) | ((frame[7] & 0xFF) << 16) | ((frame[8] & 0xFF) << 8) | (frame[9] & 0xFF);
  }

  /** Whether {@code needle} occurs anywhere in {@code haystack}. */
  public static boolean contains(byte[] haystack, byte[] needle) {
    return ByteSearch.contains(haystack, needle);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
