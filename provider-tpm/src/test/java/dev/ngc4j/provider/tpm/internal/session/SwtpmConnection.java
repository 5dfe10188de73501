package dev.ngc4j.provider.tpm.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * One persistent connection to swtpm's data port, used both as the {@link RawTpm} of the code under test and as
 * TSS.Java's device (swtpm serves one client at a time, so both must share it). It can record every command and
 * response that passes, whoever sent it.
 */
final class SwtpmConnection extends TpmDevice implements RawTpm {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final List<byte[]> commands = new ArrayList<>();
  private final List<byte[]> responses = new ArrayList<>();
  private boolean recording;
  private byte @Nullable [] pending;

  SwtpmConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  @Override
  public synchronized byte[] transact(byte[] command) throws IOException {
    if (recording) {
      commands.add(command.clone());
    }
    out.write(command); // one write: swtpm processes what one read returns
    out.flush();
    byte[] header = in.readNBytes(10);
    if (header.length != 10) {
      throw new IOException("swtpm closed the connection");
    }
    int size = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
    if (size < 10 || size > 65536) {
      throw new IOException("implausible response size " + size);
    }
    byte[] response = new byte[size];
    System.arraycopy(header, 0, response, 0, 10);
    if (in.readNBytes(response, 10, size - 10) != size - 10) {
      throw new IOException("swtpm closed the connection in a response");
    }
    if (recording) {
      responses.add(response.clone());
    }
    return response;
  }

  /** Starts recording (and forgets what was recorded before). */
  synchronized void record() {
    commands.clear();
    responses.clear();
    recording = true;
  }

  synchronized List<byte[]> stopRecording() {
    recording = false;
    return List.copyOf(commands);
  }

  synchronized List<byte[]> recordedResponses() {
    return List.copyOf(responses);
  }

  // TSS.Java device side

  @Override
  public boolean connect() {
    return true;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void dispatchCommand(byte[] command) {
    try {
      pending = transact(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public byte[] getResponse() {
    byte[] r = pending;
    pending = null;
    if (r == null) {
      throw new IllegalStateException("no response pending");
    }
    return r;
  }

  @Override
  public boolean responseReady() {
    return pending != null;
  }
}
