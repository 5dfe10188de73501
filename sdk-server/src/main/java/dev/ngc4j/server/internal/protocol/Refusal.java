package dev.ngc4j.server.internal.protocol;

/**
 * A refused request: the {@link ErrorKind} and, rarely, an HTTP status other than the kind's default. Carries no
 * stack trace and no request content.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final int status;

  /**
   * Creates a refusal with the kind's status.
   *
   * @param kind the kind
   */
  public Refusal(ErrorKind kind) {
    this(kind, kind.status());
  }

  /**
   * Creates a refusal with another status.
   *
   * @param kind the kind
   * @param status the HTTP status
   */
  public Refusal(ErrorKind kind, int status) {
    super(kind.code(), null, false, false);
    this.kind = kind;
    this.status = status;
  }

  /** Returns the kind. */
  public ErrorKind kind() {
    return kind;
  }

  /** Returns the HTTP status. */
  public int status() {
    return status;
  }
}
