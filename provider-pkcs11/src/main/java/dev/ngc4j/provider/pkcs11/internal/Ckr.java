package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_REMOVED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_EXPIRED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_INCORRECT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_LEN_RANGE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_LOCKED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_SESSION_CLOSED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_SESSION_HANDLE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_SLOT_ID_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TOKEN_NOT_PRESENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TOKEN_NOT_RECOGNIZED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import java.util.Locale;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * PKCS#11 return values ({@code CKR_*}) and what the provider makes of them.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Ckr {
  /** What a C_Login (or C_SetPIN) result means for the gesture. */
  public enum LoginOutcome {
    /** The token accepted the PIN. */
    ACCEPTED,
    /** The token refused the PIN: a wrong gesture. */
    WRONG_PIN,
    /** The token has blocked its user PIN: only the SO can unblock it. */
    PIN_BLOCKED,
    /** The PIN's length or characters are outside what the token takes: refused before any check. */
    PIN_MALFORMED,
    /** This application is logged in already (by another part of the process). */
    ALREADY_LOGGED_IN,
    /** The token is gone or stopped answering. */
    TOKEN_GONE,
    /** Any other failure. */
    OTHER
  }

  private Ckr() {}

  /**
   * Classifies the result of C_Login or C_SetPIN.
   *
   * @param ckr the return value (0 for CKR_OK)
   * @return the outcome
   */
  public static LoginOutcome loginOutcome(long ckr) {
    if (ckr == 0) {
      return LoginOutcome.ACCEPTED;
    }
    if (ckr == CKR_PIN_INCORRECT) {
      return LoginOutcome.WRONG_PIN;
    }
    if (ckr == CKR_PIN_LOCKED || ckr == CKR_PIN_EXPIRED) {
      return LoginOutcome.PIN_BLOCKED;
    }
    if (ckr == CKR_PIN_LEN_RANGE || ckr == CKR_PIN_INVALID) {
      return LoginOutcome.PIN_MALFORMED;
    }
    if (ckr == CKR_USER_ALREADY_LOGGED_IN) {
      return LoginOutcome.ALREADY_LOGGED_IN;
    }
    return tokenGone(ckr) ? LoginOutcome.TOKEN_GONE : LoginOutcome.OTHER;
  }

  /**
   * Returns whether a return value means the token is gone: removed, not recognised, its slot vanished, or the
   * device or the session broke.
   *
   * @param ckr the return value
   * @return true for a token that cannot be used any more
   */
  public static boolean tokenGone(long ckr) {
    return ckr == CKR_TOKEN_NOT_PRESENT || ckr == CKR_DEVICE_REMOVED || ckr == CKR_DEVICE_ERROR
        || ckr == CKR_TOKEN_NOT_RECOGNIZED || ckr == CKR_SLOT_ID_INVALID || ckr == CKR_SESSION_HANDLE_INVALID
        || ckr == CKR_SESSION_CLOSED;
  }

  /**
   * Returns the return value of a wrapper exception.
   *
   * @param e the exception
   * @return the CKR code, or -1 if the exception carries none
   */
  public static long code(TokenException e) {
    return e instanceof PKCS11Exception p ? p.getErrorCode() : -1;
  }

  /**
   * Returns a return value's name for messages.
   *
   * @param e the exception
   * @return for example {@code CKR_PIN_INCORRECT}
   */
  public static String name(TokenException e) {
    if (e instanceof PKCS11Exception p) {
      String n = p.getErrorName();
      return n == null ? "CKR 0x" + Long.toHexString(p.getErrorCode()).toUpperCase(Locale.ROOT) : n;
    }
    return e.getClass().getSimpleName();
  }

  /**
   * The exception for a token that was removed or stopped answering.
   *
   * @param token the token in messages
   * @param what the operation
   * @param cause the failure, or {@code null}
   * @return {@code TOKEN_REMOVED}
   */
  public static NgcException removed(String token, String what, @org.jspecify.annotations.Nullable Exception cause) {
    return new ProviderUnavailableException(ErrorCode.TOKEN_REMOVED,
        "Token " + token + " was removed or stopped answering while " + what
            + (cause instanceof TokenException t ? " (" + name(t) + ")" : ""),
        ErrorCode.TOKEN_REMOVED.remedy(), cause);
  }

  /**
   * The exception for any other token failure.
   *
   * @param token the token in messages
   * @param what the operation
   * @param cause the failure
   * @return {@code PROVIDER_UNAVAILABLE}
   */
  public static NgcException failed(String token, String what, TokenException cause) {
    return new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
        "Token " + token + " refused " + what + " (" + name(cause) + ")",
        "check the token and its PKCS#11 library; retry, or reinitialise the token if it keeps failing", cause);
  }
}
