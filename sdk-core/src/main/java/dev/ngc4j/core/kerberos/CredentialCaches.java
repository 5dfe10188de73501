package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.krb.ccache.CcacheCredential;
import dev.ngc4j.core.internal.krb.ccache.CredentialCache;
import dev.ngc4j.core.internal.krb.ccache.PrincipalName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns issued tickets into MIT credential cache entries.
 *
 * <p>Thread safety: stateless.
 */
final class CredentialCaches {
  private CredentialCaches() {}

  static void write(Path file, IssuedTicket tgt, List<IssuedTicket> tickets) throws IOException {
    List<CcacheCredential> credentials = new ArrayList<>();
    for (IssuedTicket ticket : tickets) {
      credentials.add(CcacheCredential.of(
          name(ticket.client(), ticket.clientRealm()),
          name(ticket.server(), ticket.serverRealm()),
          ticket.sessionKey(),
          ticket.authTime(),
          ticket.startTime().orElse(null),
          ticket.endTime(),
          ticket.renewTill().orElse(null),
          ticket.flags(),
          Bytes.of(ticket.ticket().der())));
    }
    CredentialCache.write(file, name(tgt.client(), tgt.clientRealm()), credentials);
  }

  private static PrincipalName name(dev.ngc4j.core.internal.krb.msg.PrincipalName name, String realm) {
    return new PrincipalName(name.nameType(), name.components(), realm);
  }
}
