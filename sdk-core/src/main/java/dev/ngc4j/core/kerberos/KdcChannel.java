package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.NgcException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * Sends one Kerberos message to a KDC of a realm and returns the reply bytes: the KDCs named in the request, or those
 * located for the realm, tried in order until one answers or the deadline passes.
 *
 * <p>Thread safety: implementations are safe for concurrent use.
 */
interface KdcChannel {
  /**
   * Exchanges one message.
   *
   * @param realm the realm
   * @param kdcs the KDCs to use; empty to locate them
   * @param request the DER message
   * @param deadline when to give up
   * @return the reply's DER bytes
   * @throws NgcException {@code KDC_UNREACHABLE} when no KDC answered in time
   */
  byte[] exchange(String realm, List<InetSocketAddress> kdcs, byte[] request, Instant deadline) throws NgcException;
}
