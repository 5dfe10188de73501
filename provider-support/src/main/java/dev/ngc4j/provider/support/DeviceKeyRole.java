package dev.ngc4j.provider.support;

import java.util.Locale;

/**
 * Which of a device's two keys a file holds. The code is stored in the key file and must match on reading, so
 * swapped files are detected.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable.
 */
public enum DeviceKeyRole {
  /** The device key: signs device requests (RS256). */
  DEVICE(1, "device-key.ngc"),
  /** The transport key: unwraps session keys (RSA-OAEP). */
  TRANSPORT(2, "transport-key.ngc");

  private final int code;
  private final String fileName;

  DeviceKeyRole(int code, String fileName) {
    this.code = code;
    this.fileName = fileName;
  }

  /**
   * Returns the code stored in the file.
   *
   * @return 1 or 2
   */
  public int code() {
    return code;
  }

  /**
   * Returns the key file's name in the data directory.
   *
   * @return the name
   */
  public String fileName() {
    return fileName;
  }

  /**
   * Returns the key's name for messages.
   *
   * @return "device key" or "transport key"
   */
  public String describe() {
    return name().toLowerCase(Locale.ROOT) + " key";
  }
}
