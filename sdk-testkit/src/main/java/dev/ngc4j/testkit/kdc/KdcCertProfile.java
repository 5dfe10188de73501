package dev.ngc4j.testkit.kdc;

/**
 * The shapes of KDC certificate {@link MitKdc} can give its KDC: the correct one, and the broken ones a strict PKINIT
 * client must refuse (kerberos.md 4.3). Every profile uses the harness's KDC key (RSA-2048) and, unless the profile
 * says otherwise, is issued by {@link MitKdc#caCertificate()}, valid from an hour ago for a year, with basicConstraints
 * CA:FALSE, a subject key identifier and an authority key identifier. MIT's {@code krb5kdc} starts with each of
 * them (it does not check its own certificate); the checks are the client's.
 *
 * <p>Thread safety: an enum, immutable.
 *
 * @since 0.1.0
 */
public enum KdcCertProfile {
  /**
   * The correct KDC certificate: EKU id-pkinit-KPKdc ({@code 1.3.6.1.5.2.3.5}) + serverAuth; SAN id-pkinit-san
   * {@code krbtgt/REALM@REALM} (NT-SRV-INST) + dNSName {@code localhost}; KU digitalSignature, keyEncipherment,
   * keyAgreement (critical); CRL distribution point {@link MitKdc#crlUri()}.
   */
  STANDARD,
  /** As {@link #STANDARD}, but the EKU is serverAuth only (no id-pkinit-KPKdc). */
  NO_KDC_EKU,
  /** As {@link #STANDARD}, but the SAN names another realm: {@code krbtgt/OTHER.TEST@OTHER.TEST} and {@code other.test}. */
  WRONG_SAN,
  /**
   * Active Directory style: no id-pkinit-san; the only SAN is the dNSName of the realm's DNS domain (the realm in
   * lower case, {@code whfb.test}). Otherwise as {@link #STANDARD}.
   */
  DNS_SAN_ONLY,
  /** As {@link #STANDARD}, but valid from 30 days ago until yesterday. */
  EXPIRED,
  /** As {@link #STANDARD}, but valid only from tomorrow (for 30 days). */
  NOT_YET_VALID,
  /**
   * As {@link #STANDARD}, but valid only until two minutes after it is issued. MIT's KDC refuses to sign with an
   * expired certificate of its own ({@link #EXPIRED}), so a client's expiry check is tested with this one and a
   * client clock a few minutes ahead (within the KDC's 5-minute skew).
   */
  EXPIRES_IN_TWO_MINUTES,
  /**
   * As {@link #STANDARD}, but valid only from two minutes before it is issued: with a client clock a few minutes
   * behind, the certificate is not yet valid for the client while the KDC uses it.
   */
  ISSUED_TWO_MINUTES_AGO,
  /**
   * As {@link #STANDARD}, but issued by {@link MitKdc#otherCaCertificate()}, which nobody trusts; it carries no CRL
   * distribution point (the harness serves only its own CA's CRL).
   */
  UNTRUSTED_CA,
  /** As {@link #STANDARD}, but the key usage lacks digitalSignature (keyEncipherment and keyAgreement only). */
  NO_DIGITAL_SIGNATURE_KU
}
