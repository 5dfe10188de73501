package dev.ngc4j.api;

/**
 * Why a provider asks for a gesture; lets the application word its prompt.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum GesturePurpose {
  /** Open the container to use the key. */
  UNLOCK,
  /** Choose the gesture of a new container (a new PIN, or a biometric enrolment). */
  CREATE,
  /** Prove the current gesture before a change (PIN change, adding a protector). */
  CONFIRM_CURRENT,
  /** Choose the new PIN during a PIN change. */
  CHANGE,
  /** Enrol an additional protector (such as a biometric next to the PIN). */
  ADD_PROTECTOR
}
