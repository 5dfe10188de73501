package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.NgcException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A TGT obtained by PKINIT, with its session key held in memory until {@link #close()}.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface TicketGrantingTicket extends AutoCloseable {
  /**
   * Returns the client principal name, {@code name@REALM}.
   *
   * @return the client
   * @since 0.1.0
   */
  String client();

  /**
   * Returns when the ticket expires.
   *
   * @return the end time
   * @since 0.1.0
   */
  Instant endTime();

  /**
   * Writes the ticket and its session key to an MIT credential cache file (format 4), atomically and owner-only.
   *
   * @param file the cache file
   * @throws NgcException {@code STORAGE_FAILURE}
   * @since 0.1.0
   */
  void writeCredentialCache(Path file) throws NgcException;

  /**
   * Forgets the session key. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
