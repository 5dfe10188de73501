package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.Objects;

/**
 * One LastReq entry (RFC 4120 §5.4.2): {@code SEQUENCE { lr-type [0] Int32, lr-value [1] KerberosTime }}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param type the lr-type
 * @param value the lr-value
 */
public record LastReqEntry(int type, Instant value) {
  /**
   * Checks the value is present.
   *
   * @param type the lr-type
   * @param value the lr-value
   */
  public LastReqEntry {
    Objects.requireNonNull(value, "value");
  }
}
