package dev.ngc4j.core.internal.krb.net;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.util.List;

/**
 * No KDC could be found for a realm: it is not configured and the DNS SRV lookups found nothing (or failed). The
 * message names each SRV name looked up and the outcome. Code {@link ErrorCode#KDC_UNREACHABLE}.
 *
 * <p>Thread safety: immutable.
 */
public final class KdcLocatorException extends NgcException {
  private static final long serialVersionUID = 1L;

  /** The SRV names looked up, in order. */
  private final List<String> srvNames;

  /**
   * Creates the exception.
   *
   * @param realm the realm
   * @param srvNames the SRV names looked up, in order (empty if DNS was not consulted)
   * @param outcomes one line per lookup, such as {@code "_kerberos._tcp.example.com: NXDOMAIN"}
   */
  public KdcLocatorException(String realm, List<String> srvNames, List<String> outcomes) {
    super(ErrorCode.KDC_UNREACHABLE, "no KDC found for realm " + realm + ": it is not configured"
        + (outcomes.isEmpty() ? "" : " and " + String.join("; ", outcomes)),
        "configure the realm's KDC addresses, or publish _kerberos._tcp SRV records for it in DNS", null);
    this.srvNames = List.copyOf(srvNames);
  }

  /**
   * Returns the SRV names that were looked up.
   *
   * @return the names, in order; immutable
   */
  public List<String> srvNames() {
    return srvNames;
  }
}
