package dev.ngc4j.core.internal.krb.net;

import java.util.Locale;
import java.util.Objects;

/**
 * One KDC endpoint: a host name or address literal, a port and the transport to use.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param host the host name or IP address literal (IPv6 without brackets)
 * @param port the port, 1 to 65535
 * @param protocol TCP or UDP
 */
public record KdcAddress(String host, int port, Protocol protocol) {
  /** The Kerberos port. */
  public static final int DEFAULT_PORT = 88;

  /** The transport of a KDC endpoint. */
  public enum Protocol {
    /** TCP with the 4-byte length prefix of RFC 4120 §7.2.2. */
    TCP,
    /** One UDP datagram per message (RFC 4120 §7.2.1). */
    UDP
  }

  /**
   * Validates the fields.
   *
   * @param host the host
   * @param port the port
   * @param protocol the transport
   */
  public KdcAddress {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
      throw new IllegalArgumentException("not a host name or address: \"" + host + "\"");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port outside 1 to 65535: " + port);
    }
  }

  /**
   * Returns a TCP endpoint.
   *
   * @param host the host
   * @param port the port
   * @return the address
   */
  public static KdcAddress tcp(String host, int port) {
    return new KdcAddress(host, port, Protocol.TCP);
  }

  /**
   * Returns a UDP endpoint.
   *
   * @param host the host
   * @param port the port
   * @return the address
   */
  public static KdcAddress udp(String host, int port) {
    return new KdcAddress(host, port, Protocol.UDP);
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port} as in krb5.conf's {@code kdc} lines;
   * the port defaults to 88.
   *
   * @param text the address
   * @param protocol the transport
   * @return the address
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static KdcAddress parse(String text, Protocol protocol) {
    String t = text.strip();
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed [ in KDC address: " + text);
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected text after ] in KDC address: " + text);
        }
        port = rest.substring(1);
      }
    } else {
      int colon = t.indexOf(':');
      if (colon >= 0 && t.indexOf(':', colon + 1) >= 0) {
        host = t; // a bare IPv6 literal
      } else if (colon >= 0) {
        host = t.substring(0, colon);
        port = t.substring(colon + 1);
      } else {
        host = t;
      }
    }
    int p = DEFAULT_PORT;
    if (port != null) {
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not a port number in KDC address: " + text);
      }
      p = Integer.parseInt(port);
    }
    return new KdcAddress(host, p, protocol);
  }

  /**
   * Returns {@code tcp/host:port} or {@code udp/host:port}.
   *
   * @return the text form
   */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return protocol.name().toLowerCase(Locale.ROOT) + "/" + h + ":" + port;
  }
}
