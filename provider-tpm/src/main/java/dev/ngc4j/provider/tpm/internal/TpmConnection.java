package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.provider.tpm.internal.session.RawTpm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.TpmDevice;
import tss.TpmException;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_SU;

/**
 * The provider's one connection to its TPM: it owns the TSS.Java {@link Tpm} and its device and serialises every
 * use with one lock, because {@code tss.Tpm} keeps per-command state in fields and swtpm serves one command at a
 * time. All TPM access goes through {@link #call} (TSS.Java commands) or {@link #transact} (raw command bytes, for
 * code that builds its own commands, such as salted HMAC sessions).
 *
 * <h2>Connecting</h2>
 *
 * <p>A TCP device ({@code tcp:HOST:PORT}) uses {@link SocketTpmDevice}; {@code /dev/tpmrm0} uses TSS.Java's
 * {@code TpmDeviceLinux} (through {@link ResourceManagerTpmDevice}); any other path uses
 * {@link CharacterTpmDevice}. After connecting, TPM2_Startup(CLEAR)
 * is sent (TPM_RC_INITIALIZE, "already started", is fine) and transient objects and sessions left behind by an
 * earlier client that died are flushed (swtpm has no resource manager; behind {@code /dev/tpmrm0} there are none
 * to see).
 *
 * <h2>Failures</h2>
 *
 * <p>An I/O failure or timeout closes the device and surfaces as {@link ProviderUnavailableException} with a remedy
 * that fits the device; the next call reconnects (and {@link #generation()} changes, so holders of transient
 * handles, such as the storage root key, know to re-create them). TSS.Java's own error printing is never reached:
 * every command goes through {@code _allowErrors()} and its response code is checked by the caller through
 * {@link #lastResponseCode()}.
 *
 * <p>Thread safety: safe for concurrent use; commands are serialised.
 */
public final class TpmConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TpmConnection.class);
  private static final int HANDLES_PER_QUERY = 64;
  private static final int[] STALE_HANDLE_RANGES = {0x80000000, 0x02000000, 0x03000000};

  /** A unit of work on the TPM, run under the connection's lock. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Runs TSS.Java commands.
     *
     * @param tpm the connected TPM; use only inside this call
     * @return the result
     * @throws NgcException to fail the call
     */
    T run(Tpm tpm) throws NgcException;
  }

  private final TpmSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Tpm tpm;
  private @Nullable TpmDevice device;
  private long generation;
  private int lastRawResponseCode = -1;
  private volatile boolean closed;

  private TpmConnection(TpmSettings settings) {
    this.settings = settings;
  }

  /**
   * Connects, starts the TPM and flushes stale handles.
   *
   * @param settings the device and timeouts
   * @return the open connection
   * @throws ProviderUnavailableException if the TPM cannot be reached or started
   */
  public static TpmConnection open(TpmSettings settings) throws ProviderUnavailableException {
    TpmConnection c = new TpmConnection(settings);
    c.lock.lock();
    try {
      c.connect();
    } finally {
      c.lock.unlock();
    }
    return c;
  }

  /**
   * Runs TSS.Java commands under the lock, connecting first if the last connection failed.
   *
   * @param what what the work does, for messages ("loading the key")
   * @param work the commands
   * @param <T> the result type
   * @return the work's result
   * @throws NgcException the work's own, or {@link ProviderUnavailableException} if the TPM is unreachable
   * @throws IllegalStateException if the connection was closed
   */
  public <T> T call(String what, Work<T> work) throws NgcException {
    acquire();
    try {
      Tpm t = connected();
      try {
        return work.run(t);
      } catch (TpmTransportException e) {
        disconnect();
        throw unavailable("The TPM failed while " + what + ": " + e.getMessage(), e);
      } catch (TpmException e) {
        throw new ProviderUnavailableException(
            ErrorCode.PROVIDER_UNAVAILABLE,
            "TSS.Java failed while " + what + ": " + e.getMessage(),
            "this is unexpected for a working TPM; check the TPM's health (TPM2_GetTestResult) and report it",
            e);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs work like {@link #call} if the connection is free within {@code wait}; otherwise does nothing (for
   * housekeeping at close, which must not wait for a hung command).
   *
   * @param what what the work does
   * @param work the commands
   * @param wait how long to wait for the lock
   * @return true if the work ran
   * @throws NgcException as {@link #call}
   */
  public boolean callIfFree(String what, Work<?> work, java.time.Duration wait) throws NgcException {
    if (closed) {
      return false;
    }
    boolean locked;
    try {
      locked = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!locked) {
      return false;
    }
    try {
      call(what, work);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends one raw TPM command and returns the raw response, under the same lock as {@link #call}. The command must
   * be complete (header with its size, handles, authorisation area, parameters); nothing is checked but the frame.
   * Handles and sessions the command creates belong to the caller, who flushes them.
   *
   * @param command the command bytes
   * @return the response bytes, header included
   * @throws ProviderUnavailableException if the TPM cannot be reached or does not answer in time
   * @throws IllegalStateException if the connection was closed
   */
  public byte[] transact(byte[] command) throws ProviderUnavailableException {
    acquire();
    try {
      connected();
      return dispatch(command);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the connection as a {@link RawTpm} for the salted sessions of
   * {@link dev.ngc4j.provider.tpm.internal.session}, bound to the current connection generation. Call it inside
   * {@link #call}: each of its commands must run under the connection's lock, so that a whole secure exchange
   * (TPM2_StartAuthSession, the commands, TPM2_FlushContext) runs while this thread holds it, and it never
   * reconnects: once the connection failed or was re-established its sessions and transient handles are gone, so
   * it fails with an {@link IOException} instead of sending them to a TPM that no longer knows them. A transport
   * failure disconnects, as in {@link #transact}; the {@link IOException} then has the
   * {@link ProviderUnavailableException} with this connection's remedy as its cause (see {@link #unwrap}).
   *
   * @return the adapter; valid until the connection is re-established
   * @throws IllegalStateException if the current thread does not hold the lock
   */
  public RawTpm raw() {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("TpmConnection.raw() must be called inside call(), under the connection's lock");
    }
    long bound = generation;
    return command -> {
      if (!lock.isHeldByCurrentThread()) {
        throw new IllegalStateException("a raw TPM command must be sent under the connection's lock");
      }
      if (closed || tpm == null || device == null || generation != bound) {
        throw new IOException("the TPM connection was closed or re-established since this session started; its "
            + "sessions and transient objects are gone");
      }
      try {
        return dispatch(command);
      } catch (ProviderUnavailableException e) {
        throw new IOException(e.detail(), e);
      }
    };
  }

  /**
   * Returns the {@link ProviderUnavailableException} that a failed {@link #raw()} command carried, if this exception
   * wraps one (a salted session wraps the {@link IOException} it got into its own exception); otherwise the
   * exception itself.
   *
   * @param e an exception from a salted-session command
   * @return the connection's own exception, with its remedy, or {@code e}
   */
  public static NgcException unwrap(NgcException e) {
    if (e.getCause() instanceof IOException io && io.getCause() instanceof ProviderUnavailableException original) {
      return original;
    }
    return e;
  }

  /** Sends one command on the connected device; the caller holds the lock. */
  private byte[] dispatch(byte[] command) throws ProviderUnavailableException {
    TpmDevice d = device;
    if (d == null) {
      throw new IllegalStateException("not connected");
    }
    try {
      d.dispatchCommand(command.clone());
      byte[] response = d.getResponse();
      lastRawResponseCode = response.length >= 10 ? readU32(response, 6) : -1;
      return response;
    } catch (TpmTransportException e) {
      disconnect();
      throw unavailable("The TPM failed while processing a raw command: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the raw response code of the last command sent through this connection. Only meaningful inside
   * {@link #call} (under the lock), right after the command.
   *
   * @return the code as the TPM sent it (format-one codes include the handle/session/parameter number)
   */
  public int lastResponseCode() {
    return lastRawResponseCode;
  }

  /**
   * Returns a number that changes whenever the connection is re-established: transient handles of an older
   * generation are gone.
   *
   * @return the generation, starting at 1
   */
  public long generation() {
    acquire();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether the current thread holds the connection's lock (for assertions).
   *
   * @return true inside {@link #call}
   */
  public boolean heldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /**
   * Returns the settings this connection was made with.
   *
   * @return the settings
   */
  public TpmSettings settings() {
    return settings;
  }

  /**
   * Returns how many commands the TCP device wrote (for tests); -1 for other devices.
   *
   * @return the count
   */
  long commandsWritten() {
    TpmDevice d = device;
    return d instanceof SocketTpmDevice s ? s.commandsWritten() : -1;
  }

  /** Closes the device; a command in progress on another thread fails. Idempotent. */
  @Override
  public void close() {
    closed = true;
    TpmDevice d = device;
    if (d != null) {
      d.close(); // unblocks a reader stuck on a hung TPM
    }
    boolean locked = false;
    try {
      locked = lock.tryLock(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      disconnect();
    } finally {
      if (locked) {
        lock.unlock();
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private void acquire() {
    if (closed) {
      throw new IllegalStateException("this TPM connection is closed");
    }
    lock.lock();
    if (closed) {
      lock.unlock();
      throw new IllegalStateException("this TPM connection is closed");
    }
  }

  private Tpm connected() throws ProviderUnavailableException {
    Tpm t = tpm;
    if (t != null) {
      return t;
    }
    connect();
    t = tpm;
    if (t == null) {
      throw new IllegalStateException("connect() left no TPM");
    }
    return t;
  }

  /** Connects, starts up and flushes; the caller holds the lock. */
  private void connect() throws ProviderUnavailableException {
    TpmDevice d = newDevice();
    try {
      if (!d.connect()) {
        throw new TpmTransportException("the TPM device " + settings.device() + " did not open");
      }
      Tpm t = new Tpm();
      t._setDevice(d);
      t._setCallback((cc, rc, cmd, resp) -> lastRawResponseCode = resp != null && resp.length >= 10
          ? readU32(resp, 6) : rc == null ? -1 : rc.toInt());
      device = d;
      tpm = t;
      lastRawResponseCode = -1;
      t._allowErrors().Startup(TPM_SU.CLEAR);
      int rc = lastRawResponseCode;
      if (rc != TpmRc.SUCCESS && rc != TpmRc.INITIALIZE) {
        throw new ProviderUnavailableException(
            ErrorCode.PROVIDER_UNAVAILABLE,
            "TPM2_Startup failed on " + settings.device() + " with response code " + TpmRc.hex(rc),
            "the TPM may be in failure mode or need a platform reset; reboot, or check TPM2_GetTestResult",
            null);
      }
      int flushed = flushStaleHandles(t);
      generation++;
      log.debug("connected to the TPM at {} (startup rc {}, {} stale handles flushed, generation {})",
          settings.device(), TpmRc.hex(rc), flushed, generation);
    } catch (RuntimeException e) {
      tpm = null;
      device = null;
      d.close();
      if (e instanceof TpmTransportException te) {
        throw unavailable("Cannot reach the TPM at " + settings.device() + ": " + te.getMessage(), te);
      }
      throw unavailable("Cannot open the TPM at " + settings.device() + ": " + e, e);
    } catch (ProviderUnavailableException e) {
      tpm = null;
      device = null;
      d.close();
      throw e;
    }
  }

  private TpmDevice newDevice() {
    if (settings.tcp()) {
      return new SocketTpmDevice(
          settings.tcpHost(), settings.tcpPort(), settings.connectTimeout(), settings.commandTimeout());
    }
    Path path = Path.of(settings.device());
    if (path.equals(Path.of(TpmSettings.DEFAULT_DEVICE))) {
      return new ResourceManagerTpmDevice(path);
    }
    return new CharacterTpmDevice(path);
  }

  /** Flushes transient objects and sessions an earlier client left; returns how many. */
  private int flushStaleHandles(Tpm t) {
    int flushed = 0;
    for (int first : STALE_HANDLE_RANGES) {
      GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.HANDLES, first, HANDLES_PER_QUERY);
      if (lastRawResponseCode != TpmRc.SUCCESS || !(r.capabilityData instanceof TPML_HANDLE list)
          || list.handle == null) {
        continue;
      }
      for (TPM_HANDLE h : list.handle) {
        if ((h.handle >>> 24) != (first >>> 24)) {
          continue;
        }
        t._allowErrors().FlushContext(h);
        if (lastRawResponseCode == TpmRc.SUCCESS) {
          flushed++;
        } else {
          log.debug("could not flush stale handle {}: rc {}", Integer.toHexString(h.handle),
              TpmRc.hex(lastRawResponseCode));
        }
      }
    }
    return flushed;
  }

  private void disconnect() {
    Tpm t = tpm;
    TpmDevice d = device;
    tpm = null;
    device = null;
    if (d != null) {
      d.close();
    }
    if (t != null) {
      log.debug("disconnected from the TPM at {}", settings.device());
    }
  }

  private ProviderUnavailableException unavailable(String detail, Throwable cause) {
    return new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE, detail, remedy(settings), cause);
  }

  /**
   * Returns what to check when the configured TPM cannot be used.
   *
   * @param settings the settings
   * @return the remedy text
   */
  public static String remedy(TpmSettings settings) {
    if (settings.tcp()) {
      return "check that swtpm (or another TPM over TCP) is running and listening on " + settings.tcpHost() + ":"
          + settings.tcpPort() + " (./scripts/swtpm.sh start), that no other client holds its single connection, "
          + "or set ngc4j.tpm." + TpmSettings.KEY_DEVICE + " to the right tcp:HOST:PORT or device path";
    }
    return "check that " + settings.device() + " exists (a TPM 2.0 present and enabled in the firmware, kernel "
        + "driver loaded) and that this user can read and write it (on Linux: member of the 'tss' group, or a udev "
        + "rule for /dev/tpmrm0), or set ngc4j.tpm." + TpmSettings.KEY_DEVICE + " to tcp:HOST:PORT for swtpm";
  }

  static int readU32(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }

  @Override
  public String toString() {
    return "TpmConnection[" + settings.device() + (closed ? ", closed]" : "]");
  }
}
