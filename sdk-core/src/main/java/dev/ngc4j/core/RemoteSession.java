package dev.ngc4j.core;

import java.util.Map;

/**
 * Tells whether the current process runs in a remote session, where provisioning is never offered.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class RemoteSession {
  private RemoteSession() {}

  /**
   * Reads the environment: SSH ({@code SSH_CONNECTION}, {@code SSH_CLIENT}, {@code SSH_TTY}) or an xrdp session
   * ({@code XRDP_SESSION}).
   *
   * @return true in a remote session
   * @since 0.1.0
   */
  public static boolean fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Decides from the given environment.
   *
   * @param env environment variables
   * @return true in a remote session
   * @since 0.1.0
   */
  public static boolean fromEnvironment(Map<String, String> env) {
    return env.containsKey("SSH_CONNECTION") || env.containsKey("SSH_CLIENT") || env.containsKey("SSH_TTY")
        || env.containsKey("XRDP_SESSION");
  }
}
