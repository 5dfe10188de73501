package dev.ngc4j.api;

/**
 * How the device is registered with the directory; decides the provisioning default.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum JoinType {
  /** Joined to the cloud directory only: provisioning is on unless policy disables it. */
  CLOUD_JOINED,
  /** Joined to an on-premises domain (and registered with the cloud): provisioning is off unless enabled. */
  DOMAIN_JOINED,
  /** A personal device with a work account added: no sign-in credential is provisioned. */
  REGISTERED,
  /** Not registered with any directory. */
  NOT_JOINED
}
