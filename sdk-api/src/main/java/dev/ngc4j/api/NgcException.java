package dev.ngc4j.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every checked ngc4j error. Each instance has a stable {@link ErrorCode}, a detail saying what
 * failed (never a secret), and a remedy hint; {@link #getMessage()} combines them as
 * {@code "<detail> [CODE]. Remedy: <remedy>"}.
 *
 * <p>Misuse of the API (a {@code null} argument, use after close) gets the JDK's unchecked exceptions instead.
 *
 * <p>Thread safety: immutable after construction and safe for concurrent use.
 *
 * @since 0.1.0
 */
public class NgcException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String detail;
  private final String remedy;

  /**
   * Creates an exception with the code's default remedy.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @since 0.1.0
   */
  public NgcException(ErrorCode code, String detail) {
    this(code, detail, code.remedy(), null);
  }

  /**
   * Creates an exception with the code's default remedy and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public NgcException(ErrorCode code, String detail, @Nullable Throwable cause) {
    this(code, detail, code.remedy(), cause);
  }

  /**
   * Creates an exception with a specific remedy.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param remedy what to do about it
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public NgcException(ErrorCode code, String detail, String remedy, @Nullable Throwable cause) {
    super(
        Objects.requireNonNull(detail, "detail") + " [" + Objects.requireNonNull(code, "code") + "]. Remedy: "
            + Objects.requireNonNull(remedy, "remedy"),
        cause);
    this.code = code;
    this.detail = detail;
    this.remedy = remedy;
  }

  /**
   * Returns {@code "<detail> [CODE]. Remedy: <remedy>"}; never {@code null}.
   *
   * @return the message
   */
  @Override
  public String getMessage() {
    String m = super.getMessage();
    return m == null ? detail + " [" + code + "]. Remedy: " + remedy : m;
  }

  /**
   * Returns the stable error code.
   *
   * @return the code
   * @since 0.1.0
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns what failed, without the code and the remedy.
   *
   * @return the detail
   * @since 0.1.0
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns what the user or the application can do.
   *
   * @return the remedy hint
   * @since 0.1.0
   */
  public String remedy() {
    return remedy;
  }
}
