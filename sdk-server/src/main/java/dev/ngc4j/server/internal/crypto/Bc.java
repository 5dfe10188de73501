package dev.ngc4j.server.internal.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance the service passes to BC-based code explicitly. It is never registered
 * with {@code java.security.Security}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Bc {
  private Bc() {}

  private static final class Holder {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  /**
   * Returns the shared provider instance (created on first use).
   *
   * @return the provider
   */
  public static Provider provider() {
    return Holder.PROVIDER;
  }
}
