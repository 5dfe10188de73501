package dev.ngc4j.provider.tpm.internal.session;

import java.io.IOException;

/**
 * A connection that sends one complete TPM 2.0 command and returns the TPM's complete response, both as raw bytes
 * (the 10-byte header included). Everything this package sends goes through it.
 *
 * <p>Thread safety: implementations must make each {@link #transact} atomic (one command, then its response) when
 * several threads share the connection.
 */
@FunctionalInterface
public interface RawTpm {
  /**
   * Sends a command and returns the response.
   *
   * @param command the complete command, header included; not modified
   * @return the complete response, header included; never {@code null}
   * @throws IOException if the command could not be sent or no complete response arrived
   */
  byte[] transact(byte[] command) throws IOException;
}
