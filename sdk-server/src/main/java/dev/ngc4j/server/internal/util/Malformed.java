package dev.ngc4j.server.internal.util;

/**
 * Input that does not have the expected form. Carries no stack trace (it is thrown on hostile input and caught
 * close by) and never the offending input, only a fixed description of what was wrong.
 */
public final class Malformed extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param what a fixed description, without any of the input
   */
  public Malformed(String what) {
    super(what, null, false, false);
  }
}
