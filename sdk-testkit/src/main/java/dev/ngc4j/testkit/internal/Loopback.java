package dev.ngc4j.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The loopback address the harnesses bind to. Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class Loopback {
  /** {@code 127.0.0.1}. */
  public static final String HOST = "127.0.0.1";

  private Loopback() {}

  /**
   * Returns 127.0.0.1 as an address, without a name lookup.
   *
   * @return the address, named {@link #HOST}
   * @throws IOException never in practice (the address has four bytes)
   */
  public static InetAddress address() throws IOException {
    return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
  }
}
