package dev.ngc4j.provider.tpm.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * A TSS.Java device for a TPM reached over TCP with raw TPM 2.0 framing: swtpm's data channel
 * ({@code swtpm socket --server type=tcp}). TSS.Java's own {@code TpmDeviceTcp} speaks the Microsoft simulator
 * protocol instead (two sockets, the command split into four writes, Nagle on: about 44 ms per command).
 *
 * <ul>
 *   <li>One socket, {@code TCP_NODELAY}, a connect timeout and a read timeout (a hung TPM fails the command instead
 *       of blocking the caller forever).
 *   <li>Each command goes out in one {@code write}: swtpm processes whatever one read returns once it holds the
 *       10-byte header, so a command split across segments would be processed truncated.
 *   <li>The response is read as the 10-byte header, then exactly the size it declares (checked to be at least 10
 *       and at most {@value #MAX_RESPONSE} bytes).
 * </ul>
 *
 * <p>Failures surface as {@link TpmTransportException} and leave the device closed: the next use reconnects.
 *
 * <p>Thread safety: not thread-safe; {@link TpmConnection} serialises all use.
 */
final class SocketTpmDevice extends TpmDevice {
  static final int HEADER = 10;
  static final int MAX_RESPONSE = 8192;
  static final int MAX_COMMAND = 8192;

  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private @Nullable Socket socket;
  private @Nullable DataInputStream in;
  private @Nullable OutputStream out;
  private byte @Nullable [] response;
  private long commandsWritten;

  SocketTpmDevice(String host, int port, Duration connectTimeout, Duration readTimeout) {
    this.host = host;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.TpmInfo = TpmSocketConn;
  }

  /**
   * Connects.
   *
   * @return true
   * @throws TpmTransportException if the TPM does not accept the connection in time
   */
  @Override
  public boolean connect() {
    close();
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(millis(readTimeout));
      s.connect(new InetSocketAddress(host, port), millis(connectTimeout));
      socket = s;
      in = new DataInputStream(s.getInputStream());
      out = s.getOutputStream();
      return true;
    } catch (IOException e) {
      closeQuietly(s);
      throw new TpmTransportException("cannot connect to the TPM at " + endpoint() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    response = null;
    if (s != null) {
      closeQuietly(s);
    }
  }

  @Override
  public void dispatchCommand(byte[] command) {
    OutputStream o = out;
    DataInputStream i = in;
    if (o == null || i == null) {
      throw new TpmTransportException("the connection to the TPM at " + endpoint() + " is closed");
    }
    if (command.length < HEADER || command.length > MAX_COMMAND) {
      throw new TpmTransportException("refusing to send a " + command.length + "-byte TPM command");
    }
    response = null;
    try {
      o.write(command);
      o.flush();
      commandsWritten++;
      byte[] header = new byte[HEADER];
      i.readFully(header);
      int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
          | (header[5] & 0xFF);
      if (size < HEADER || size > MAX_RESPONSE) {
        throw new IOException("the TPM announced a response of " + size + " bytes");
      }
      byte[] whole = Arrays.copyOf(header, size);
      i.readFully(whole, HEADER, size - HEADER);
      response = whole;
    } catch (SocketTimeoutException e) {
      close();
      throw new TpmTransportException(
          "the TPM at " + endpoint() + " did not answer within " + readTimeout.toMillis() + " ms", e);
    } catch (EOFException e) {
      close();
      throw new TpmTransportException("the TPM at " + endpoint() + " closed the connection", e);
    } catch (IOException e) {
      close();
      throw new TpmTransportException("I/O error talking to the TPM at " + endpoint() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] getResponse() {
    byte[] r = response;
    response = null;
    if (r == null) {
      throw new TpmTransportException("no TPM response is pending");
    }
    return r;
  }

  @Override
  public boolean responseReady() {
    return response != null;
  }

  /** How many commands were written since this device was made (for tests of "the command was sent"). */
  long commandsWritten() {
    return commandsWritten;
  }

  String endpoint() {
    return host + ":" + port;
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "SocketTpmDevice[" + endpoint() + "]";
  }
}
