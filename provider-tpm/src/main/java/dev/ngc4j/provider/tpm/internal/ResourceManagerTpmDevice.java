package dev.ngc4j.provider.tpm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import tss.TpmDevice;
import tss.TpmDeviceLinux;

/**
 * The Linux kernel's TPM resource manager ({@code /dev/tpmrm0}) through TSS.Java's {@link TpmDeviceLinux}, with two
 * of its habits contained:
 *
 * <ul>
 *   <li>its {@code connect()} falls back to {@code /dev/tpm0} (no resource manager) and prints to
 *       {@code System.err} when neither opens; here the path is checked first (exists, readable, writable) and a
 *       failure is a {@link TpmTransportException} naming it;
 *   <li>its I/O failures are bare {@link RuntimeException}s; here they become {@link TpmTransportException}s, so
 *       the connection maps them to {@code PROVIDER_UNAVAILABLE} like any other transport failure.
 * </ul>
 *
 * <p>Thread safety: not thread-safe; {@link TpmConnection} serialises all use.
 */
final class ResourceManagerTpmDevice extends TpmDevice {
  private final Path path;
  private final TpmDeviceLinux delegate = new TpmDeviceLinux();

  ResourceManagerTpmDevice(Path path) {
    this.path = path;
    this.TpmInfo = TpmUsesTrm;
  }

  @Override
  public boolean connect() {
    if (!Files.exists(path)) {
      throw new TpmTransportException(path + " does not exist");
    }
    if (!Files.isReadable(path) || !Files.isWritable(path)) {
      throw new TpmTransportException("this user cannot read and write " + path);
    }
    try {
      if (!delegate.connect()) {
        throw new TpmTransportException("TSS.Java could not open " + path);
      }
      return true;
    } catch (TpmTransportException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TpmTransportException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } catch (RuntimeException e) {
      // closing a broken device: nothing more to do
    }
  }

  @Override
  public void dispatchCommand(byte[] command) {
    try {
      delegate.dispatchCommand(command);
    } catch (RuntimeException e) {
      throw new TpmTransportException("I/O error on " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] getResponse() {
    try {
      return delegate.getResponse();
    } catch (RuntimeException e) {
      throw new TpmTransportException("no TPM response from " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean responseReady() {
    return delegate.responseReady();
  }

  @Override
  public String toString() {
    return "ResourceManagerTpmDevice[" + path + "]";
  }
}
