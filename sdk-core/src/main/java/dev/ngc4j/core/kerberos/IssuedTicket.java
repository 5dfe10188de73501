package dev.ngc4j.core.kerberos;

import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.msg.Ticket;
import java.time.Instant;
import java.util.Optional;

/**
 * What a KDC reply delivered, after the checks: the client and server as the KDC names them, the ticket (which keeps
 * its DER exactly as received), its session key and times.
 *
 * <p>Thread safety: immutable apart from the session key, which {@link #destroy()} forgets.
 */
record IssuedTicket(
    PrincipalName client,
    String clientRealm,
    PrincipalName server,
    String serverRealm,
    Ticket ticket,
    KerberosKey sessionKey,
    int flags,
    Instant authTime,
    Optional<Instant> startTime,
    Instant endTime,
    Optional<Instant> renewTill) {

  String clientName() {
    return String.join("/", client.components()) + "@" + clientRealm;
  }

  String serverName() {
    return String.join("/", server.components()) + "@" + serverRealm;
  }

  void destroy() {
    sessionKey.destroy();
  }
}
