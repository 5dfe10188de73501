package dev.ngc4j.server.internal.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A refused request: the {@link ErrorKind}, rarely an HTTP status other than the kind's default, and for a few
 * kinds (attestation, AIK enrollment) a reason that the DRS error body's {@code Message} carries after the fixed
 * description. Carries no stack trace; a reason describes public material only (certificates, TPM structures),
 * never secrets or tokens.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final int status;
  private final @Nullable String detail;

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
    this.detail = null;
  }

  /**
   * Creates a refusal with the kind's status and a reason.
   *
   * @param kind the kind
   * @param detail what was wrong, without secrets
   */
  public Refusal(ErrorKind kind, String detail) {
    super(kind.code(), null, false, false);
    this.kind = kind;
    this.status = kind.status();
    this.detail = detail;
  }

  /** Returns the kind. */
  public ErrorKind kind() {
    return kind;
  }

  /** Returns the HTTP status. */
  public int status() {
    return status;
  }

  /** Returns the reason, if one was given. */
  public @Nullable String detail() {
    return detail;
  }
}
