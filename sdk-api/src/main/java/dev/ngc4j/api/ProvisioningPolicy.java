package dev.ngc4j.api;

import java.util.Objects;

/**
 * The administrator's credential policy, and the seed system's rule for when to provision: a cloud-joined device
 * provisions unless the policy is disabled; a domain-joined device only when it is enabled; never a registered or
 * unjoined device, and never in a remote session.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param setting the administrator's setting
 * @since 0.1.0
 */
public record ProvisioningPolicy(PolicySetting setting) {
  /**
   * Validates the setting.
   *
   * @param setting the setting
   */
  public ProvisioningPolicy {
    Objects.requireNonNull(setting, "setting");
  }

  /**
   * Returns the policy with no administrator setting.
   *
   * @return the default policy
   * @since 0.1.0
   */
  public static ProvisioningPolicy notConfigured() {
    return new ProvisioningPolicy(PolicySetting.NOT_CONFIGURED);
  }

  /**
   * Decides whether to provision, and throws the reason when not.
   *
   * @param joinType how the device is joined
   * @param remoteSession whether the user is connected through a remote session
   * @throws PolicyException with {@link ErrorCode#REMOTE_SESSION}, {@link ErrorCode#POLICY_FORBIDS} or
   *     {@link ErrorCode#DEVICE_NOT_JOINED} when provisioning must not happen
   * @since 0.1.0
   */
  public void check(JoinType joinType, boolean remoteSession) throws PolicyException {
    Objects.requireNonNull(joinType, "joinType");
    if (remoteSession) {
      throw new PolicyException(
          ErrorCode.REMOTE_SESSION, "Provisioning is never offered in a remote session", null);
    }
    switch (joinType) {
      case CLOUD_JOINED -> {
        if (setting == PolicySetting.DISABLED) {
          throw new PolicyException(
              ErrorCode.POLICY_FORBIDS,
              "The credential policy is disabled for this cloud-joined device",
              "ask the administrator to stop disabling the credential policy",
              null);
        }
      }
      case DOMAIN_JOINED -> {
        if (setting != PolicySetting.ENABLED) {
          throw new PolicyException(
              ErrorCode.POLICY_FORBIDS,
              "Domain-joined devices provision only when the credential policy is enabled (it is " + setting + ")",
              "prepare the domain for key or certificate trust, then ask the administrator to enable the policy",
              null);
        }
      }
      default -> throw new PolicyException(
          ErrorCode.DEVICE_NOT_JOINED,
          "A " + joinType + " device does not provision sign-in credentials",
          "join the device to the cloud directory or the domain first",
          null);
    }
  }
}
