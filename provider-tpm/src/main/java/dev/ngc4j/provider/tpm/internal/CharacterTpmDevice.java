package dev.ngc4j.provider.tpm.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * A TSS.Java device for a TPM character device at a configured path other than {@code /dev/tpmrm0} (for which
 * TSS.Java's {@code TpmDeviceLinux} is used), such as {@code /dev/tpm0} or a vTPM proxy device. The Linux TPM
 * driver takes one whole command per {@code write} and returns one whole response per {@code read}; the kernel
 * applies its own command timeouts.
 *
 * <p>Without a resource manager ({@code /dev/tpm0}) this process must be the TPM's only user.
 *
 * <p>Thread safety: not thread-safe; {@link TpmConnection} serialises all use.
 */
final class CharacterTpmDevice extends TpmDevice {
  private final Path path;
  private @Nullable RandomAccessFile file;
  private byte @Nullable [] response;

  CharacterTpmDevice(Path path) {
    this.path = path;
  }

  @Override
  public boolean connect() {
    close();
    // RandomAccessFile "rw" would create a missing file: a TPM device must exist and be a device.
    if (!Files.exists(path)) {
      throw new TpmTransportException(path + " does not exist");
    }
    if (Files.isRegularFile(path) || Files.isDirectory(path)) {
      throw new TpmTransportException(path + " is not a device");
    }
    try {
      file = new RandomAccessFile(path.toFile(), "rw");
      return true;
    } catch (IOException | SecurityException e) {
      throw new TpmTransportException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    RandomAccessFile f = file;
    file = null;
    response = null;
    if (f != null) {
      try {
        f.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  @Override
  public void dispatchCommand(byte[] command) {
    RandomAccessFile f = file;
    if (f == null) {
      throw new TpmTransportException(path + " is not open");
    }
    response = null;
    try {
      f.write(command);
      byte[] buf = new byte[SocketTpmDevice.MAX_RESPONSE];
      int n = f.read(buf);
      if (n < SocketTpmDevice.HEADER) {
        throw new IOException("short response (" + n + " bytes)");
      }
      int size = TpmConnection.readU32(buf, 2);
      if (size != n) {
        throw new IOException("response announces " + size + " bytes but " + n + " arrived");
      }
      response = Arrays.copyOf(buf, n);
    } catch (IOException e) {
      close();
      throw new TpmTransportException("I/O error on " + path + ": " + e.getMessage(), e);
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

  @Override
  public String toString() {
    return "CharacterTpmDevice[" + path + "]";
  }
}
