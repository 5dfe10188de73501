package dev.ngc4j.core.cloud;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.DeviceKeys;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The device's PKCS#10 certificate request (M2): built with BouncyCastle's ASN.1 classes and signed through
 * {@link DeviceKeys#signWithDeviceKey}, so the device key never leaves its provider. Subject
 * {@code CN=}{@value #SUBJECT_CN} (the fixed value every client sends; the service names the device), the device
 * public key, no attributes, SHA256withRSA.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class Csr {
  /** The subject CN of every device certificate request. */
  static final String SUBJECT_CN = "7E980AD9-B86D-4306-9425-9AC066FB014A";

  private Csr() {}

  /**
   * Builds and signs the request, then checks the signature with the device public key, so a provider that signs
   * with another key is caught here rather than by the service.
   *
   * @return the DER of the CertificationRequest
   */
  static byte[] build(DeviceKeys keys, PublicKey deviceKey) throws NgcException {
    try {
      CertificationRequestInfo info = new CertificationRequestInfo(
          new X500Name("CN=" + SUBJECT_CN), SubjectPublicKeyInfo.getInstance(deviceKey.getEncoded()), new DERSet());
      byte[] toBeSigned = info.getEncoded(ASN1Encoding.DER);
      byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, toBeSigned);
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(deviceKey);
      verifier.update(toBeSigned);
      if (!verifier.verify(signature)) {
        throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The provider's device key signature does not verify with its device public key",
            "check the provider's device keys; delete them and join again if they are damaged", null);
      }
      return new CertificationRequest(info,
          new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE),
          new DERBitString(signature)).getEncoded(ASN1Encoding.DER);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "The device key cannot be put into a certificate request: " + e.getClass().getSimpleName(),
          "use a provider whose device key is RSA-2048", e);
    }
  }
}
