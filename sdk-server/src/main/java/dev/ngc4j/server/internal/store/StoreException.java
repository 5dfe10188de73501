package dev.ngc4j.server.internal.store;

/** A storage failure; {@link #conflict()} tells a uniqueness conflict (the caller's error) from an I/O failure. */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean conflict;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param conflict whether the failure is a uniqueness conflict
   * @param cause the cause, or null
   */
  public StoreException(String message, boolean conflict, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.conflict = conflict;
  }

  /**
   * Returns whether this is a uniqueness conflict.
   *
   * @return true for a conflict
   */
  public boolean conflict() {
    return conflict;
  }
}
