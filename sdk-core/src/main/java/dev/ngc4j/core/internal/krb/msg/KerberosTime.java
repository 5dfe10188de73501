package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.time.temporal.ChronoField;

/**
 * KerberosTime (RFC 4120 §5.2.3): a GeneralizedTime of exactly {@code YYYYMMDDHHMMSSZ}, in whole seconds; the
 * messages that need more precision carry microseconds in a separate field ({@code cusec}, {@code susec}).
 * These helpers split an {@link Instant} into the two and encode or decode the time alone.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class KerberosTime {
  /** The earliest encodable time, 0000-01-01T00:00:00Z. */
  public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  /** The latest encodable time, 9999-12-31T23:59:59Z. */
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

  private KerberosTime() {}

  /**
   * Returns the time rounded down to whole seconds, as it is sent.
   *
   * @param time the time
   * @return the time without its fraction of a second
   */
  public static Instant seconds(Instant time) {
    return Instant.ofEpochSecond(time.getEpochSecond());
  }

  /**
   * Returns the microseconds within the second, for a {@code cusec} field.
   *
   * @param time the time
   * @return 0 to 999999
   */
  public static int microseconds(Instant time) {
    return time.get(ChronoField.MICRO_OF_SECOND);
  }

  /**
   * Encodes the time in DER (dropping the fraction of a second).
   *
   * @param time the time, between {@link #MIN} and {@link #MAX}
   * @return the GeneralizedTime encoding
   */
  public static byte[] encode(Instant time) {
    return Der.kerberosTime(time);
  }

  /**
   * Decodes a KerberosTime strictly.
   *
   * @param der the GeneralizedTime encoding
   * @return the time
   * @throws KrbMessageException if it is not exactly {@code YYYYMMDDHHMMSSZ} with a valid date and time
   */
  public static Instant decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "KerberosTime", DerReader::kerberosTime);
  }
}
