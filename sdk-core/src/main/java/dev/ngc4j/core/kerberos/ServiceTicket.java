package dev.ngc4j.core.kerberos;

import java.time.Instant;

/**
 * A service ticket obtained with a {@link KerberosTgt} ({@link PkinitClient#serviceTicket(KerberosTgt, String)}),
 * with its session key held in memory until {@link #close()}. Write it to a credential cache together with its TGT
 * ({@link KerberosTgt#writeCredentialCache(java.nio.file.Path, java.util.List)}).
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class ServiceTicket implements AutoCloseable {
  private final IssuedTicket ticket;

  ServiceTicket(IssuedTicket ticket) {
    this.ticket = ticket;
  }

  IssuedTicket issued() {
    return ticket;
  }

  /**
   * Returns the service principal, {@code service/host@REALM}.
   *
   * @return the server
   */
  public String server() {
    return ticket.serverName();
  }

  /**
   * Returns the client principal, {@code name@REALM}.
   *
   * @return the client
   */
  public String client() {
    return ticket.clientName();
  }

  /**
   * Returns when the ticket expires.
   *
   * @return the end time
   */
  public Instant endTime() {
    return ticket.endTime();
  }

  /**
   * Returns the name of the session key's encryption type, as MIT names it (for example
   * {@code aes256-cts-hmac-sha1-96}).
   *
   * @return the enctype
   */
  public String sessionKeyType() {
    return ticket.sessionKey().type().mitName();
  }

  /** Forgets the session key. Idempotent. */
  @Override
  public void close() {
    ticket.destroy();
  }

  @Override
  public String toString() {
    return "ServiceTicket[" + server() + " for " + client() + ", until " + endTime() + "]";
  }
}
