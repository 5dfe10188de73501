package dev.ngc4j.api;

/**
 * The three states of an administrator's policy switch.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum PolicySetting {
  /** The administrator has not set the policy; the device's default applies. */
  NOT_CONFIGURED,
  /** The administrator enabled the feature. */
  ENABLED,
  /** The administrator disabled the feature. */
  DISABLED
}
