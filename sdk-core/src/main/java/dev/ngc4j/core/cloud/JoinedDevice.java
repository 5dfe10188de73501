package dev.ngc4j.core.cloud;

import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.Experimental;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A device joined to the directory: its id and the certificate the registration service issued for its device key.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param deviceId the directory's device id (the certificate's subject CN)
 * @param certificate the device certificate, whose public key is the device key
 * @since 0.1.0
 */
@Experimental
public record JoinedDevice(DeviceId deviceId, X509Certificate certificate) {
  /**
   * Validates the fields.
   *
   * @param deviceId the device id
   * @param certificate the device certificate
   */
  public JoinedDevice {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(certificate, "certificate");
  }

  /** Names the device and the certificate's subject, never the key. */
  @Override
  public String toString() {
    return "JoinedDevice[" + deviceId + ", " + certificate.getSubjectX500Principal().getName() + ", valid until "
        + certificate.getNotAfter().toInstant() + "]";
  }
}
