package dev.ngc4j.core.internal.krb.pkinit;

import dev.ngc4j.core.kerberos.KdcValidation.Revocation;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/**
 * Validates the KDC's certificate the strict way (RFC 4556 section 3.2.4, MS-PKCA 3.1.5.1): a PKIX path to a
 * configured anchor, validity with a clock-skew allowance, revocation by CRL (unknown status fails unless the policy
 * allows it), the id-pkinit-KPKdc EKU always (MIT's client skips it when the SAN matches; we do not), keyUsage
 * digitalSignature when keyUsage is present, and the KDC's identity: an id-pkinit-san equal to
 * {@code krbtgt/REALM@REALM}, or a dNSName from the configured list (Active Directory DC certificates carry no
 * id-pkinit-san).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KdcCertificateValidator {
  /** id-pkinit-KPKdc. */
  public static final String ID_PKINIT_KP_KDC = "1.3.6.1.5.2.3.5";
  /** id-pkinit-san. */
  public static final ASN1ObjectIdentifier ID_PKINIT_SAN = new ASN1ObjectIdentifier("1.3.6.1.5.2.2");

  /** Why the KDC certificate was refused. */
  public enum Reason {
    /** No path to a configured anchor, or a broken signature in the path. */
    UNTRUSTED,
    /** Expired (beyond the skew allowance). */
    EXPIRED,
    /** Not yet valid (beyond the skew allowance). */
    NOT_YET_VALID,
    /** Revoked by its CA. */
    REVOKED,
    /** No CRL could be obtained and the policy requires one. */
    REVOCATION_UNKNOWN,
    /** No id-pkinit-KPKdc EKU. */
    NO_KDC_EKU,
    /** keyUsage present without digitalSignature. */
    KEY_USAGE,
    /** Neither id-pkinit-san krbtgt/REALM nor an allowed dNSName. */
    NAME_MISMATCH
  }

  private final Set<TrustAnchor> anchors;
  private final Set<String> dnsNames;
  private final Revocation revocation;
  private final CrlSource crls;
  private final Duration skew;

  /**
   * Creates a validator.
   *
   * @param anchors the trusted roots
   * @param dnsNames dNSNames that identify a KDC of the realm (lower case compared), may be empty
   * @param revocation the revocation policy
   * @param crls where CRLs come from
   * @param skew the clock-skew allowance for validity periods
   */
  public KdcCertificateValidator(
      List<X509Certificate> anchors, Set<String> dnsNames, Revocation revocation, CrlSource crls, Duration skew) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("no KDC trust anchors configured");
    }
    Set<TrustAnchor> set = new HashSet<>();
    for (X509Certificate anchor : anchors) {
      set.add(new TrustAnchor(anchor, null));
    }
    this.anchors = Set.copyOf(set);
    Set<String> names = new HashSet<>();
    for (String name : dnsNames) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    this.dnsNames = Set.copyOf(names);
    this.revocation = revocation;
    this.crls = crls;
    this.skew = skew;
  }

  /**
   * Validates a KDC certificate for a realm.
   *
   * @param kdc the certificate that signed the reply
   * @param others other certificates from the reply (intermediates)
   * @param realm the realm the client asked for
   * @param now the current time
   * @throws KdcCertificateException with the reason when it is refused
   */
  public void validate(X509Certificate kdc, List<X509Certificate> others, String realm, Instant now)
      throws KdcCertificateException {
    List<X509Certificate> path = buildPath(kdc, others);
    checkPath(path, now);
    checkPurpose(kdc);
    checkIdentity(kdc, realm);
  }

  private List<X509Certificate> buildPath(X509Certificate kdc, List<X509Certificate> others) {
    List<X509Certificate> path = new ArrayList<>();
    path.add(kdc);
    X509Certificate current = kdc;
    for (int depth = 0; depth < 8; depth++) {
      if (isAnchor(current)) {
        path.remove(path.size() - 1);
        break;
      }
      X509Certificate issuer = null;
      for (X509Certificate candidate : others) {
        if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
            && !candidate.equals(current)
            && !path.contains(candidate)) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null) {
        break;
      }
      path.add(issuer);
      current = issuer;
    }
    if (path.isEmpty()) {
      path.add(kdc);
    }
    return path;
  }

  private boolean isAnchor(X509Certificate certificate) {
    for (TrustAnchor anchor : anchors) {
      if (certificate.equals(anchor.getTrustedCert())) {
        return true;
      }
    }
    return false;
  }

  private void checkPath(List<X509Certificate> path, Instant now) throws KdcCertificateException {
    Instant when = now;
    Instant latestStart = Instant.MIN;
    Instant earliestEnd = Instant.MAX;
    for (X509Certificate certificate : path) {
      Instant start = certificate.getNotBefore().toInstant();
      Instant end = certificate.getNotAfter().toInstant();
      latestStart = start.isAfter(latestStart) ? start : latestStart;
      earliestEnd = end.isBefore(earliestEnd) ? end : earliestEnd;
    }
    if (now.isAfter(earliestEnd)) {
      if (now.minus(skew).isAfter(earliestEnd)) {
        throw new KdcCertificateException(Reason.EXPIRED, "the KDC certificate (or a CA above it) expired on "
            + earliestEnd);
      }
      when = earliestEnd;
    } else if (now.isBefore(latestStart)) {
      if (now.plus(skew).isBefore(latestStart)) {
        throw new KdcCertificateException(Reason.NOT_YET_VALID, "the KDC certificate (or a CA above it) is valid only from "
            + latestStart);
      }
      when = latestStart;
    }
    TrustAnchor anchor;
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      CertPath certPath = factory.generateCertPath(path);
      CertPathValidator validator = CertPathValidator.getInstance("PKIX");
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setDate(Date.from(when));
      // Revocation is checked by checkRevocation, not by the JDK: its PKIXRevocationChecker downloads CRLs from the
      // certificates' distribution points by itself (HTTP, LDAP; its own 15 s timeouts) whenever the CRLs it is
      // given do not cover a certificate, which would ignore fetchCrls(false) and the configured timeout, and it
      // reports an unreadable CRL as an invalid path rather than an unknown status.
      parameters.setRevocationEnabled(false);
      anchor = ((PKIXCertPathValidatorResult) validator.validate(certPath, parameters)).getTrustAnchor();
    } catch (CertPathValidatorException e) {
      throw mapFailure(e);
    } catch (CertificateException | NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new KdcCertificateException(Reason.UNTRUSTED, "the KDC certificate path could not be checked: " + e);
    }
    if (revocation != Revocation.DISABLED) {
      checkRevocation(path, anchor, now);
    }
  }

  /**
   * Checks every certificate of a validated path (leaf first, anchor excluded) against the CRLs that cover it: a
   * complete CRL (no critical extension, so neither a delta nor a partitioned CRL) from the certificate's issuer,
   * signed by the issuer's key, whose issuer may sign CRLs, current at {@code now} within the skew. A revoked
   * certificate anywhere fails; a certificate no CRL covers fails under {@link Revocation#REQUIRE}.
   */
  private void checkRevocation(List<X509Certificate> path, TrustAnchor anchor, Instant now)
      throws KdcCertificateException {
    List<String> problems = new ArrayList<>();
    List<X509CRL> lists = crls.crlsFor(path, problems);
    List<String> uncovered = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      X509Certificate certificate = path.get(i);
      X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor.getTrustedCert();
      boolean covered = false;
      for (X509CRL crl : lists) {
        if (!covers(crl, certificate, issuer, now)) {
          continue;
        }
        covered = true;
        X509CRLEntry entry = crl.getRevokedCertificate(certificate);
        if (entry != null) {
          throw new KdcCertificateException(Reason.REVOKED,
              "the KDC certificate path has a revoked certificate: " + certificate.getSubjectX500Principal()
                  + " (serial " + certificate.getSerialNumber().toString(16) + ", revoked "
                  + entry.getRevocationDate().toInstant() + ")");
        }
      }
      if (!covered) {
        uncovered.add(certificate.getSubjectX500Principal().toString());
      }
    }
    if (!uncovered.isEmpty() && revocation == Revocation.REQUIRE) {
      problems.add(0, "no current CRL from the issuer covers " + String.join(", ", uncovered));
      throw new KdcCertificateException(
          Reason.REVOCATION_UNKNOWN, "the KDC certificate's revocation status is unknown (" + String.join("; ", problems)
              + ")");
    }
  }

  private boolean covers(X509CRL crl, X509Certificate certificate, X509Certificate issuer, Instant now) {
    if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    Set<String> critical = crl.getCriticalExtensionOIDs();
    if (critical != null && !critical.isEmpty()) {
      return false;
    }
    boolean[] keyUsage = issuer.getKeyUsage();
    if (keyUsage != null && (keyUsage.length < 7 || !keyUsage[6])) {
      return false;
    }
    if (crl.getThisUpdate().toInstant().isAfter(now.plus(skew))) {
      return false;
    }
    Date nextUpdate = crl.getNextUpdate();
    if (nextUpdate != null && nextUpdate.toInstant().isBefore(now.minus(skew))) {
      return false;
    }
    try {
      crl.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KdcCertificateException mapFailure(CertPathValidatorException e) {
    CertPathValidatorException.Reason reason = e.getReason();
    String detail = e.getMessage() == null ? "" : e.getMessage();
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
      return new KdcCertificateException(Reason.EXPIRED, "the KDC certificate path has an expired certificate: " + detail);
    }
    if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return new KdcCertificateException(Reason.NOT_YET_VALID, "the KDC certificate path is not yet valid: " + detail);
    }
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return new KdcCertificateException(
          Reason.UNTRUSTED, "the KDC certificate does not chain to a configured trust anchor");
    }
    return new KdcCertificateException(Reason.UNTRUSTED, "the KDC certificate path is invalid: " + detail);
  }

  private static void checkPurpose(X509Certificate kdc) throws KdcCertificateException {
    List<String> ekus;
    try {
      ekus = kdc.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new KdcCertificateException(Reason.NO_KDC_EKU, "the KDC certificate's EKU extension is malformed");
    }
    if (ekus == null || !ekus.contains(ID_PKINIT_KP_KDC)) {
      throw new KdcCertificateException(
          Reason.NO_KDC_EKU, "the KDC certificate lacks the KDC EKU id-pkinit-KPKdc (1.3.6.1.5.2.3.5)");
    }
    boolean[] keyUsage = kdc.getKeyUsage();
    if (keyUsage != null && !keyUsage[0]) {
      throw new KdcCertificateException(
          Reason.KEY_USAGE, "the KDC certificate's keyUsage does not allow digitalSignature");
    }
  }

  private void checkIdentity(X509Certificate kdc, String realm) throws KdcCertificateException {
    byte[] extension = kdc.getExtensionValue(Extension.subjectAlternativeName.getId());
    List<String> seen = new ArrayList<>();
    if (extension != null) {
      GeneralNames names;
      try {
        names = GeneralNames.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      } catch (IllegalArgumentException e) {
        throw new KdcCertificateException(Reason.NAME_MISMATCH, "the KDC certificate's subjectAltName is malformed");
      }
      for (GeneralName name : names.getNames()) {
        if (name.getTagNo() == GeneralName.otherName) {
          String principal = pkinitSan(name.getName());
          if (principal != null) {
            seen.add("id-pkinit-san " + principal);
            if (principal.equals("krbtgt/" + escape(realm) + "@" + escape(realm))) {
              return;
            }
          }
        } else if (name.getTagNo() == GeneralName.dNSName) {
          String dns = name.getName().toString().toLowerCase(Locale.ROOT);
          seen.add("dNSName " + dns);
          if (dnsNames.contains(dns)) {
            return;
          }
        }
      }
    }
    throw new KdcCertificateException(
        Reason.NAME_MISMATCH,
        "the KDC certificate names " + (seen.isEmpty() ? "no KDC identity" : String.join(", ", seen))
            + "; expected id-pkinit-san krbtgt/" + realm + "@" + realm
            + (dnsNames.isEmpty() ? "" : " or dNSName " + String.join(" or ", dnsNames)));
  }

  /** Returns {@code name/instance@REALM} from an id-pkinit-san otherName, or null for another otherName type. */
  private static @Nullable String pkinitSan(ASN1Encodable otherName) {
    try {
      ASN1Sequence sequence = ASN1Sequence.getInstance(otherName);
      if (!ID_PKINIT_SAN.equals(ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)))) {
        return null;
      }
      ASN1Sequence krb5Name =
          ASN1Sequence.getInstance(ASN1TaggedObject.getInstance(sequence.getObjectAt(1)).getExplicitBaseObject());
      String realm = null;
      List<String> components = new ArrayList<>();
      for (ASN1Encodable element : krb5Name) {
        ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
        if (tagged.getTagNo() == 0) {
          realm = ASN1GeneralString.getInstance(tagged.getExplicitBaseObject()).getString();
        } else if (tagged.getTagNo() == 1) {
          for (ASN1Encodable part : ASN1Sequence.getInstance(tagged.getExplicitBaseObject())) {
            ASN1TaggedObject field = ASN1TaggedObject.getInstance(part);
            if (field.getTagNo() == 0) {
              ASN1Integer.getInstance(field.getExplicitBaseObject());
            } else if (field.getTagNo() == 1) {
              for (ASN1Encodable component : ASN1Sequence.getInstance(field.getExplicitBaseObject())) {
                components.add(ASN1GeneralString.getInstance(component).getString());
              }
            }
          }
        }
      }
      if (realm == null || components.isEmpty()) {
        return "(malformed)";
      }
      // escaped as MIT writes principals, so that one component "krbtgt/REALM" never reads as two
      List<String> escaped = new ArrayList<>();
      for (String component : components) {
        escaped.add(escape(component));
      }
      return String.join("/", escaped) + "@" + escape(realm);
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      return "(malformed)";
    }
  }

  /** Escapes the separators of a principal name's text form (backslash, slash, at sign) with a backslash. */
  private static String escape(String part) {
    return part.replace("\\", "\\\\").replace("/", "\\/").replace("@", "\\@");
  }

  /** The KDC certificate was refused. */
  public static final class KdcCertificateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the reason
     * @param message what failed
     */
    public KdcCertificateException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    /**
     * Returns why the certificate was refused.
     *
     * @return the reason
     */
    public Reason reason() {
      return reason;
    }
  }
}
