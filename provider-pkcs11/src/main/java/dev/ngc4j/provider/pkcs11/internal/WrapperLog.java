package dev.ngc4j.provider.pkcs11.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * Routes ipkcs11wrapper's own logging (its licence banner, {@code [INFO]} lines for every C_OpenSession, and its
 * warnings) to SLF4J instead of the wrapper's default of printing to stdout. Installed before the wrapper's
 * {@code PKCS11Module} class is first touched, so not even the banner reaches stdout. The wrapper's INFO lines are
 * logged at DEBUG (they are per call, not per life-cycle event); its warnings and errors at WARN and DEBUG.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class WrapperLog implements org.xipki.pkcs11.wrapper.Logger {
  private static final Logger log = LoggerFactory.getLogger("dev.ngc4j.provider.pkcs11.wrapper");
  private static volatile boolean installed;

  private WrapperLog() {}

  /** Installs the adapter once per class loader. */
  static void install() {
    if (!installed) {
      synchronized (WrapperLog.class) {
        if (!installed) {
          StaticLogger.setLogger(new WrapperLog());
          installed = true;
        }
      }
    }
  }

  @Override
  public void info(String format, Object... arguments) {
    log.debug(format, arguments);
  }

  @Override
  public void warn(String format, Object... arguments) {
    log.debug(format, arguments);
  }

  @Override
  public void error(String format, Object... arguments) {
    log.debug(format, arguments);
  }

  @Override
  public void debug(String format, Object... arguments) {
    log.trace(format, arguments);
  }

  @Override
  public void trace(String format, Object... arguments) {
    log.trace(format, arguments);
  }

  @Override
  public boolean isDebugEnabled() {
    return log.isTraceEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return log.isDebugEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return log.isDebugEnabled();
  }

  @Override
  public boolean isTraceEnabled() {
    return log.isTraceEnabled();
  }
}
