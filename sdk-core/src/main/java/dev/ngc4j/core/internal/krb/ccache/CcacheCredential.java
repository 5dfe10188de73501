package dev.ngc4j.core.internal.krb.ccache;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One credential of a credential cache: a ticket with its session key and the KDC reply's times and flags.
 *
 * <p>Times are whole seconds; the cache stores them as unsigned 32-bit seconds since the epoch, so they must lie
 * between 1970 and 2106 (sub-second parts are dropped when written). Addresses and authorization data are always
 * empty (ngc4j requests address-less tickets). The key is held, not copied: destroying it after writing is the
 * caller's choice.
 *
 * <p>Thread safety: immutable apart from the key's {@code destroy()}.
 *
 * @param client the client principal (the KDC reply's cname and crealm)
 * @param server the service principal (sname and srealm), {@code krbtgt/REALM@REALM} for a TGT
 * @param key the session key from the reply's encrypted part
 * @param authTime the authtime
 * @param startTime the starttime, or null if the reply had none (then authtime applies)
 * @param endTime the endtime
 * @param renewTill the renew-till time, or null if the ticket is not renewable
 * @param isSkey whether the ticket is encrypted in another ticket's session key (user-to-user); normally false
 * @param ticketFlags the reply's flags ({@link TicketFlags})
 * @param ticket the DER of the Ticket
 * @param secondTicket the DER of the second ticket for user-to-user, normally empty
 */
public record CcacheCredential(
    PrincipalName client,
    PrincipalName server,
    KerberosKey key,
    Instant authTime,
    @Nullable Instant startTime,
    Instant endTime,
    @Nullable Instant renewTill,
    boolean isSkey,
    int ticketFlags,
    Bytes ticket,
    Bytes secondTicket) {

  private static final long MAX_TIME = 0xFFFFFFFFL;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if a time is outside what the cache can store, or the ticket is empty
   */
  public CcacheCredential {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(key, "key");
    checkTime(Objects.requireNonNull(authTime, "authTime"), "authTime");
    if (startTime != null) {
      checkTime(startTime, "startTime");
    }
    checkTime(Objects.requireNonNull(endTime, "endTime"), "endTime");
    if (renewTill != null) {
      checkTime(renewTill, "renewTill");
    }
    Objects.requireNonNull(ticket, "ticket");
    Objects.requireNonNull(secondTicket, "secondTicket");
    if (ticket.length() == 0) {
      throw new IllegalArgumentException("the ticket must not be empty");
    }
  }

  /**
   * The usual credential: not user-to-user, no second ticket.
   *
   * @param client the client principal
   * @param server the service principal
   * @param key the session key
   * @param authTime the authtime
   * @param startTime the starttime, or null
   * @param endTime the endtime
   * @param renewTill the renew-till time, or null
   * @param ticketFlags the flags ({@link TicketFlags})
   * @param ticket the DER of the Ticket
   * @return the credential
   */
  public static CcacheCredential of(
      PrincipalName client,
      PrincipalName server,
      KerberosKey key,
      Instant authTime,
      @Nullable Instant startTime,
      Instant endTime,
      @Nullable Instant renewTill,
      int ticketFlags,
      Bytes ticket) {
    return new CcacheCredential(
        client, server, key, authTime, startTime, endTime, renewTill, false, ticketFlags, ticket, Bytes.empty());
  }

  private static void checkTime(Instant time, String name) {
    long seconds = time.getEpochSecond();
    if (seconds < 0 || seconds > MAX_TIME) {
      throw new IllegalArgumentException(name + " must lie between 1970 and 2106 to fit a credential cache");
    }
  }
}
