package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.krb.pkinit.ClientCertificates;
import dev.ngc4j.core.internal.krb.pkinit.ContainerSigner;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.UnlockedKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * The client certificates of the two PKINIT trust models, signed through a key container (the private key never
 * leaves it; each call asks for one gesture).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class PkinitCertificates {
  private PkinitCertificates() {}

  /**
   * Makes the key-trust certificate for a credential: self-signed, {@code CN=<UPN>}, basicConstraints CA:FALSE
   * (critical), keyUsage digitalSignature (critical), EKU id-pkinit-KPClientAuth and Microsoft smart-card logon,
   * sha256WithRSA. A {@link PkinitClient} makes one per exchange by itself; keep one only for a KDC that pins the
   * exact certificate (MIT's key-trust emulation anchors it).
   *
   * @param container the credential's container
   * @param gestures where the gesture comes from
   * @param validity how long the certificate is valid (it is back-dated by 5 minutes for clock skew)
   * @return the certificate
   * @throws NgcException gesture errors, or {@code PROVIDER_UNAVAILABLE} when the container's signature is not
   *     valid for its public key
   */
  public static X509Certificate keyTrustCertificate(KeyContainer container, GestureSource gestures, Duration validity)
      throws NgcException {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("the validity must be positive");
    }
    try (UnlockedKey key = container.unlock(gestures)) {
      return ClientCertificates.keyTrust(container.user().upn(), container.publicKey(), new ContainerSigner(key),
          Instant.now(), validity, new SecureRandom());
    } catch (RuntimeException e) {
      throw ContainerSigner.rethrown(e);
    } catch (GeneralSecurityException e) {
      throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The container's signature on the key-trust certificate does not verify: " + e.getMessage(),
          ErrorCode.PROVIDER_UNAVAILABLE.remedy(), e);
    }
  }

  /**
   * Makes a PKCS#10 certification request for the certificate-trust logon certificate: subject {@code CN=<UPN>},
   * the key of the credential, and an extension request for keyUsage digitalSignature, the EKUs
   * id-pkinit-KPClientAuth, clientAuth and Microsoft smart-card logon, and the Microsoft UPN otherName. Submit it to
   * the enterprise CA (the original system deploys this certificate through device management).
   *
   * @param container the credential's container
   * @param gestures where the gesture comes from
   * @return the DER request
   * @throws NgcException gesture errors, or {@code PROVIDER_UNAVAILABLE} when the container's signature is not
   *     valid for its public key
   */
  public static byte[] certificationRequest(KeyContainer container, GestureSource gestures) throws NgcException {
    try (UnlockedKey key = container.unlock(gestures)) {
      return ClientCertificates.certificationRequest(container.user().upn(), container.publicKey(),
          new ContainerSigner(key));
    } catch (RuntimeException e) {
      throw ContainerSigner.rethrown(e);
    } catch (GeneralSecurityException e) {
      throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The container's signature on the certification request does not verify: " + e.getMessage(),
          ErrorCode.PROVIDER_UNAVAILABLE.remedy(), e);
    }
  }
}
