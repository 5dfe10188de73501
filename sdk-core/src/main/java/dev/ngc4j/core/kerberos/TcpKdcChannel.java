package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.krb.net.KdcAddress;
import dev.ngc4j.core.internal.krb.net.KdcLocator;
import dev.ngc4j.core.internal.krb.net.KdcLocatorException;
import dev.ngc4j.core.internal.krb.net.KdcTransport;
import dev.ngc4j.core.internal.krb.net.KdcUnreachableException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The real channel: the KDCs named in the request, else the configured ones of the realm, else those the realm's DNS
 * SRV records name ({@code _kerberos._tcp}, then {@code _kerberos._udp}), each tried in order over TCP (UDP only for
 * KDCs DNS lists for UDP alone) until one answers or the deadline passes.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
final class TcpKdcChannel implements KdcChannel {
  private final KdcLocator locator;
  private final KdcTransport transport = new KdcTransport();

  TcpKdcChannel(Map<String, List<InetSocketAddress>> configured, @Nullable URI dnsServer, boolean useDns) {
    KdcLocator.Builder builder = KdcLocator.builder().dnsLookup(useDns);
    for (Map.Entry<String, List<InetSocketAddress>> realm : configured.entrySet()) {
      builder.realm(realm.getKey(), addresses(realm.getValue()));
    }
    if (dnsServer != null) {
      builder.dnsServer(dnsServer.getAuthority());
    }
    this.locator = builder.build();
  }

  @Override
  public byte[] exchange(String realm, List<InetSocketAddress> kdcs, byte[] request, Instant deadline)
      throws NgcException {
    List<KdcAddress> targets;
    try {
      targets = kdcs.isEmpty() ? locator.locate(realm) : addresses(kdcs);
    } catch (KdcLocatorException e) {
      throw new KerberosPreauthException(ErrorCode.KDC_UNREACHABLE, -1, e.detail(), e.remedy(), e);
    }
    try {
      return transport.exchange(targets, request, deadline);
    } catch (KdcUnreachableException e) {
      throw new KerberosPreauthException(ErrorCode.KDC_UNREACHABLE, -1,
          "No KDC of " + realm + " answered in time: " + String.join("; ", e.attempts()),
          ErrorCode.KDC_UNREACHABLE.remedy(), e);
    }
  }

  private static List<KdcAddress> addresses(List<InetSocketAddress> kdcs) {
    List<KdcAddress> out = new ArrayList<>(kdcs.size());
    for (InetSocketAddress kdc : kdcs) {
      out.add(KdcAddress.tcp(kdc.getHostString(), kdc.getPort()));
    }
    return out;
  }
}
