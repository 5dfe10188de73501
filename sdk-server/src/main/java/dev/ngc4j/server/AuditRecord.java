package dev.ngc4j.server;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the directory's audit log.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param sequence the strictly increasing sequence number
 * @param at when it happened
 * @param actor who did it (a user's object id, {@code admin}, or {@code service})
 * @param event what happened, for example {@code device.joined}, {@code key.replaced}
 * @param subject what it happened to (an id)
 * @param detail further detail, never a secret
 * @since 0.1.0
 */
public record AuditRecord(long sequence, Instant at, String actor, String event, String subject, String detail) {
  /**
   * Validates the fields.
   *
   * @param sequence the sequence
   * @param at the time
   * @param actor the actor
   * @param event the event
   * @param subject the subject
   * @param detail the detail
   */
  public AuditRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detail, "detail");
  }
}
