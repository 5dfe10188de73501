package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.krb.msg.TicketFlags;
import dev.ngc4j.spi.TicketGrantingTicket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A ticket-granting ticket obtained by PKINIT, with its session key held in memory until {@link #close()}. Write it
 * to an MIT credential cache for other Kerberos software ({@code klist}, {@code kvno}, GSS-API applications), or use
 * it for service tickets through {@link PkinitClient#serviceTicket(KerberosTgt, String)}.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KerberosTgt implements TicketGrantingTicket {
  private final IssuedTicket ticket;
  private final List<java.net.InetSocketAddress> kdcs;

  KerberosTgt(IssuedTicket ticket, List<java.net.InetSocketAddress> kdcs) {
    this.ticket = ticket;
    this.kdcs = List.copyOf(kdcs);
  }

  IssuedTicket issued() {
    return ticket;
  }

  List<java.net.InetSocketAddress> kdcs() {
    return kdcs;
  }

  @Override
  public String client() {
    return ticket.clientName();
  }

  /**
   * Returns the ticket's server, {@code krbtgt/REALM@REALM}.
   *
   * @return the server
   */
  public String server() {
    return ticket.serverName();
  }

  /**
   * Returns the realm that issued the ticket.
   *
   * @return the realm
   */
  public String realm() {
    return ticket.serverRealm();
  }

  /**
   * Returns when the KDC authenticated the client.
   *
   * @return the authentication time
   */
  public Instant authTime() {
    return ticket.authTime();
  }

  @Override
  public Instant endTime() {
    return ticket.endTime();
  }

  /**
   * Returns until when the ticket can be renewed.
   *
   * @return the renewal limit, or empty for a ticket that is not renewable
   */
  public Optional<Instant> renewTill() {
    return ticket.renewTill();
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

  /**
   * Returns whether the KDC marked the ticket as issued after pre-authentication (the {@code pre-authent} flag),
   * as every PKINIT ticket is.
   *
   * @return true when the pre-authent flag is set
   */
  public boolean preAuthenticated() {
    return (ticket.flags() & dev.ngc4j.core.internal.krb.msg.KerberosFlags.bit(TicketFlags.PRE_AUTHENT)) != 0;
  }

  @Override
  public void writeCredentialCache(Path file) throws NgcException {
    writeCredentialCache(file, List.of());
  }

  /**
   * Writes the TGT and service tickets to an MIT credential cache file (format version 4), atomically and
   * owner-only, replacing the file. The default principal is the TGT's client.
   *
   * @param file the cache file (for {@code KRB5CCNAME=FILE:<file>})
   * @param services service tickets obtained with this TGT
   * @throws NgcException {@code STORAGE_FAILURE} when the file cannot be written
   * @since 0.1.0
   */
  public void writeCredentialCache(Path file, List<ServiceTicket> services) throws NgcException {
    List<IssuedTicket> all = new ArrayList<>();
    all.add(ticket);
    for (ServiceTicket service : services) {
      all.add(service.issued());
    }
    try {
      CredentialCaches.write(file, ticket, all);
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE,
          "The credential cache " + file + " could not be written: " + e.getMessage(),
          "check that the directory exists and is writable by this user", e);
    }
  }

  @Override
  public void close() {
    ticket.destroy();
  }

  @Override
  public String toString() {
    return "KerberosTgt[" + client() + ", until " + endTime() + ", " + sessionKeyType() + "]";
  }
}
