package dev.ngc4j.core;

import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the device, a user's credential, the key pool and the prerequisite checks, in the spirit of
 * {@code dsregcmd /status}. Each failing check says why and what to do. {@link #toString()} renders it as text.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param device the device state
 * @param user the user state
 * @param pool the key pool counters
 * @param checks the prerequisite checks, in the order the flows depend on them
 * @since 0.1.0
 */
public record Status(DeviceState device, UserState user, PoolStats pool, List<Check> checks) {
  /**
   * Copies the list.
   *
   * @param device device
   * @param user user
   * @param pool pool
   * @param checks checks
   */
  public Status {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(pool, "pool");
    checks = List.copyOf(checks);
  }

  /**
   * Returns whether every check passed.
   *
   * @return true when nothing needs attention
   * @since 0.1.0
   */
  public boolean allChecksPassed() {
    return checks.stream().allMatch(Check::passed);
  }

  /**
   * The device section.
   *
   * @param joinType how the device is joined
   * @param deviceId the directory's device id, if known
   * @param providerId the credential provider in use
   * @param hardwareBacked whether its keys live in hardware
   * @param dataDirectory where ngc4j keeps its state
   * @since 0.1.0
   */
  public record DeviceState(
      JoinType joinType, Optional<String> deviceId, String providerId, boolean hardwareBacked, String dataDirectory) {}

  /**
   * The user section.
   *
   * @param user the user
   * @param credentialSet whether a credential is provisioned (NgcSet)
   * @param keyId its key id
   * @param registered whether the key was registered with the directory
   * @param lockedOut whether the container is locked out now
   * @param attemptsRemaining gesture attempts left, when known
   * @param prtPresent whether a Primary Refresh Token is held
   * @since 0.1.0
   */
  public record UserState(
      UserPrincipal user,
      boolean credentialSet,
      Optional<KeyId> keyId,
      boolean registered,
      boolean lockedOut,
      Optional<Integer> attemptsRemaining,
      boolean prtPresent) {}

  /**
   * One prerequisite check.
   *
   * @param name what is checked
   * @param passed whether it passed
   * @param reason why it failed; empty when it passed
   * @param remedy what to do; empty when it passed
   * @since 0.1.0
   */
  public record Check(String name, boolean passed, Optional<String> reason, Optional<String> remedy) {
    /**
     * A passed check.
     *
     * @param name the check
     * @return the check
     * @since 0.1.0
     */
    public static Check pass(String name) {
      return new Check(name, true, Optional.empty(), Optional.empty());
    }

    /**
     * A failed check.
     *
     * @param name the check
     * @param reason why
     * @param remedy what to do
     * @return the check
     * @since 0.1.0
     */
    public static Check fail(String name, String reason, String remedy) {
      return new Check(name, false, Optional.of(reason), Optional.of(remedy));
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("+----------------------------------------------------------------------+\n");
    sb.append("| Device State                                                         |\n");
    sb.append("+----------------------------------------------------------------------+\n");
    line(sb, "JoinType", device.joinType().name());
    line(sb, "DeviceId", device.deviceId().orElse("(none)"));
    line(sb, "Provider", device.providerId());
    line(sb, "HardwareBacked", yes(device.hardwareBacked()));
    line(sb, "DataDirectory", device.dataDirectory());
    sb.append("+----------------------------------------------------------------------+\n");
    sb.append("| User State                                                           |\n");
    sb.append("+----------------------------------------------------------------------+\n");
    line(sb, "User", user.user().upn());
    line(sb, "NgcSet", yes(user.credentialSet()));
    line(sb, "NgcKeyId", user.keyId().map(KeyId::toBase64Url).orElse("(none)"));
    line(sb, "KeyRegistered", yes(user.registered()));
    line(sb, "LockedOut", yes(user.lockedOut()));
    line(sb, "AttemptsRemaining", user.attemptsRemaining().map(String::valueOf).orElse("(n/a)"));
    line(sb, "PrtPresent", yes(user.prtPresent()));
    sb.append("+----------------------------------------------------------------------+\n");
    sb.append("| Key Pool                                                             |\n");
    sb.append("+----------------------------------------------------------------------+\n");
    line(sb, "Available", pool.available() + " of " + pool.capacity());
    line(sb, "Hits / Misses", pool.hits() + " / " + pool.misses());
    line(sb, "Refills / Failures", pool.refills() + " / " + pool.failures());
    line(sb, "GenerationTime", pool.generationTime().toMillis() + " ms");
    sb.append("+----------------------------------------------------------------------+\n");
    sb.append("| Prerequisite Check                                                   |\n");
    sb.append("+----------------------------------------------------------------------+\n");
    for (Check c : checks) {
      line(sb, c.name(), c.passed() ? "PASS" : "FAIL");
      c.reason().ifPresent(r -> sb.append("        why: ").append(r).append('\n'));
      c.remedy().ifPresent(r -> sb.append("     remedy: ").append(r).append('\n'));
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(String.format("%28s : %s%n", key, value));
  }

  private static String yes(boolean b) {
    return b ? "YES" : "NO";
  }
}
