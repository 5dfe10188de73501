package dev.ngc4j.core.internal.krb.pkinit;

import dev.ngc4j.api.NgcException;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Selector;
import org.bouncycastle.util.Store;

/**
 * The CMS SignedData of PKINIT (RFC 4556 section 3.2): the client's signed AuthPack ({@code id-pkinit-authData})
 * and the KDC's signed DH reply ({@code id-pkinit-DHKeyData}).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class PkinitSignedData {
  /** id-pkinit-authData, the AuthPack content type. */
  public static final ASN1ObjectIdentifier ID_PKINIT_AUTH_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.1");
  /** id-pkinit-DHKeyData, the KDCDHKeyInfo content type. */
  public static final ASN1ObjectIdentifier ID_PKINIT_DH_KEY_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.2");

  /** Digest algorithms accepted in the KDC's signature (SHA-1 and MD5 are refused). */
  private static final Set<ASN1ObjectIdentifier> ACCEPTED_DIGESTS =
      Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

  /** Signature algorithms accepted in the KDC's signature. */
  private static final Set<ASN1ObjectIdentifier> ACCEPTED_SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.rsaEncryption,
          PKCSObjectIdentifiers.sha256WithRSAEncryption,
          PKCSObjectIdentifiers.sha384WithRSAEncryption,
          PKCSObjectIdentifiers.sha512WithRSAEncryption,
          PKCSObjectIdentifiers.id_RSASSA_PSS,
          X9ObjectIdentifiers.ecdsa_with_SHA256,
          X9ObjectIdentifiers.ecdsa_with_SHA384,
          X9ObjectIdentifiers.ecdsa_with_SHA512);

  private PkinitSignedData() {}

  /**
   * Signs an AuthPack through the container.
   *
   * @param authPack the DER AuthPack
   * @param signer the container signer
   * @param chain the client's certificate first, then any intermediates (sent in {@code certificates})
   * @return the DER ContentInfo for {@code signedAuthPack}
   * @throws NgcException from the container (wrong gesture, lockout, ...)
   * @throws CMSException when the structure cannot be built
   */
  public static byte[] signAuthPack(byte[] authPack, ContentSigner signer, List<X509Certificate> chain)
      throws NgcException, CMSException {
    try {
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(signer, chain.get(0)));
      generator.addCertificates(new JcaCertStore(chain));
      CMSTypedData content = new CMSProcessableByteArray(ID_PKINIT_AUTH_DATA, authPack);
      return generator.generate(content, true).toASN1Structure().getEncoded(ASN1Encoding.DER);
    } catch (RuntimeException | CMSException e) {
      NgcException ngc = ContainerSigner.unwrap(e);
      if (ngc != null) {
        throw ngc;
      }
      throw e;
    } catch (OperatorCreationException | CertificateEncodingException | IOException e) {
      throw new CMSException("the AuthPack's SignedData could not be built", e);
    }
  }

  /** The verified content of the KDC's SignedData, with the certificates it carried. */
  @SuppressWarnings("ArrayRecordComponent") // internal result, never compared; the caller owns the content array
  public record Verified(byte[] content, X509Certificate signer, List<X509Certificate> certificates) {}

  /**
   * Parses the KDC's SignedData, checks its content type, that it has exactly one signer whose certificate it
   * carries, that the digest and signature algorithms are acceptable, and verifies the signature. The signer's
   * certificate is NOT validated here (see {@link KdcCertificateValidator}).
   *
   * @param contentInfo the DER ContentInfo from DHRepInfo.dhSignedData
   * @param contentType the expected eContentType
   * @return the signed content and the signer's certificate
   * @throws ReplyException when any check fails
   */
  public static Verified verify(byte[] contentInfo, ASN1ObjectIdentifier contentType) throws ReplyException {
    CMSSignedData signed;
    try {
      signed = new CMSSignedData(contentInfo);
    } catch (CMSException | RuntimeException e) {
      throw new ReplyException("the KDC's SignedData is malformed", e);
    }
    try {
      return verifyParsed(signed, contentType);
    } catch (RuntimeException e) {
      // BouncyCastle parses the certificates and signer infos lazily and reports malformed ones unchecked
      throw new ReplyException("the KDC's SignedData is malformed", e);
    }
  }

  private static Verified verifyParsed(CMSSignedData signed, ASN1ObjectIdentifier contentType)
      throws ReplyException {
    if (!contentType.equals(signed.getSignedContentTypeOID() == null ? null
        : new ASN1ObjectIdentifier(signed.getSignedContentTypeOID()))) {
      throw new ReplyException("the KDC's SignedData has content type " + signed.getSignedContentTypeOID()
          + ", expected " + contentType, null);
    }
    Object content = signed.getSignedContent() == null ? null : signed.getSignedContent().getContent();
    if (!(content instanceof byte[] bytes)) {
      throw new ReplyException("the KDC's SignedData has no encapsulated content", null);
    }
    Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new ReplyException("the KDC's SignedData has " + signers.size() + " signers, expected one", null);
    }
    SignerInformation signerInfo = signers.iterator().next();
    if (!ACCEPTED_DIGESTS.contains(signerInfo.getDigestAlgorithmID().getAlgorithm())) {
      throw new ReplyException(
          "the KDC signed with digest " + signerInfo.getDigestAlgOID() + ", which is not accepted (SHA-2 only)", null);
    }
    if (!ACCEPTED_SIGNATURES.contains(new ASN1ObjectIdentifier(signerInfo.getEncryptionAlgOID()))) {
      throw new ReplyException(
          "the KDC signed with algorithm " + signerInfo.getEncryptionAlgOID() + ", which is not accepted", null);
    }
    Store<X509CertificateHolder> store = signed.getCertificates();
    List<X509Certificate> certificates = new ArrayList<>();
    X509Certificate signerCertificate = null;
    try {
      for (X509CertificateHolder holder : store.getMatches(null)) {
        X509Certificate certificate = ClientCertificates.toX509(holder.getEncoded());
        certificates.add(certificate);
      }
      @SuppressWarnings("unchecked")
      Selector<X509CertificateHolder> selector = (Selector<X509CertificateHolder>) (Selector<?>) signerInfo.getSID();
      Collection<X509CertificateHolder> matches = store.getMatches(selector);
      if (matches.size() != 1) {
        throw new ReplyException("the KDC's SignedData does not carry the signer's certificate", null);
      }
      X509CertificateHolder signerHolder = matches.iterator().next();
      signerCertificate = ClientCertificates.toX509(signerHolder.getEncoded());
      if (!signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signerCertificate))) {
        throw new ReplyException("the KDC's signature does not verify", null);
      }
    } catch (CMSException | OperatorCreationException | CertificateException | IOException e) {
      throw new ReplyException("the KDC's signature does not verify", e);
    }
    return new Verified(bytes, signerCertificate, List.copyOf(certificates));
  }

  /** A KDC reply failed a structural or cryptographic check. */
  public static final class ReplyException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public ReplyException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
