package dev.ngc4j.server.internal.attestation;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The TPM's identity as EK and AIK certificates carry it (TCG EK Credential Profile §3.2.9): a subject alternative
 * name with a directoryName holding TPM manufacturer (2.23.133.2.1), model (2.23.133.2.2) and version
 * (2.23.133.2.3). Both layouts seen in the wild are read: three RDNs with one attribute each, or one RDN with
 * the three attributes. Other attributes in the name are ignored.
 *
 * <p>Thread safety: immutable.
 *
 * @param manufacturer the manufacturer, such as {@code id:49424D00}
 * @param model the model
 * @param version the version
 * @param directoryName the three attributes as a name of three RDNs, original value encodings kept (what the AIK
 *     certificate carries)
 */
public record TpmIdentity(String manufacturer, String model, String version, X500Name directoryName) {
  /** tcg-at-tpmManufacturer. */
  public static final ASN1ObjectIdentifier MANUFACTURER = new ASN1ObjectIdentifier("2.23.133.2.1");
  /** tcg-at-tpmModel. */
  public static final ASN1ObjectIdentifier MODEL = new ASN1ObjectIdentifier("2.23.133.2.2");
  /** tcg-at-tpmVersion. */
  public static final ASN1ObjectIdentifier VERSION = new ASN1ObjectIdentifier("2.23.133.2.3");

  private static final int MAX_VALUE = 128;

  /** Validates the components. */
  public TpmIdentity {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(directoryName, "directoryName");
  }

  /**
   * Reads the identity from a certificate's subject alternative name.
   *
   * @param certificate the EK or AIK certificate
   * @return the identity
   * @throws TpmFormatException if there is no SAN, no directoryName with the three attributes, more than one, or
   *     an attribute twice or not a string
   */
  public static TpmIdentity fromSubjectAltName(X509Certificate certificate) throws TpmFormatException {
    byte[] ext = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (ext == null) {
      throw new TpmFormatException("the certificate has no subjectAltName");
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext));
    } catch (IOException | RuntimeException e) {
      throw new TpmFormatException("the certificate's subjectAltName does not parse");
    }
    TpmIdentity found = null;
    for (GeneralName name : names.getNames()) {
      if (name.getTagNo() != GeneralName.directoryName) {
        continue;
      }
      TpmIdentity identity = fromDirectoryName(X500Name.getInstance(name.getName()));
      if (identity == null) {
        continue;
      }
      if (found != null) {
        throw new TpmFormatException("the subjectAltName has more than one directoryName with TPM attributes");
      }
      found = identity;
    }
    if (found == null) {
      throw new TpmFormatException(
          "the subjectAltName has no directoryName with TPM manufacturer, model and version (2.23.133.2.1/2/3)");
    }
    return found;
  }

  /**
   * Reads the identity from a directoryName.
   *
   * @param dn the name
   * @return the identity, or null if the name has none of the three TPM attributes
   * @throws TpmFormatException if it has some but not all, one twice, or one that is not a string
   */
  static @org.jspecify.annotations.Nullable TpmIdentity fromDirectoryName(X500Name dn) throws TpmFormatException {
    AttributeTypeAndValue manufacturer = null;
    AttributeTypeAndValue model = null;
    AttributeTypeAndValue version = null;
    boolean any = false;
    for (RDN rdn : dn.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        ASN1ObjectIdentifier type = atv.getType();
        if (type.equals(MANUFACTURER)) {
          manufacturer = once(manufacturer, atv, "manufacturer");
        } else if (type.equals(MODEL)) {
          model = once(model, atv, "model");
        } else if (type.equals(VERSION)) {
          version = once(version, atv, "version");
        } else {
          continue;
        }
        any = true;
      }
    }
    if (!any) {
      return null;
    }
    if (manufacturer == null || model == null || version == null) {
      throw new TpmFormatException("the TPM directoryName lacks "
          + (manufacturer == null ? "the manufacturer (2.23.133.2.1)" : model == null ? "the model (2.23.133.2.2)"
              : "the version (2.23.133.2.3)"));
    }
    X500Name copy = new X500Name(new RDN[] {new RDN(manufacturer), new RDN(model), new RDN(version)});
    return new TpmIdentity(text(manufacturer, "manufacturer"), text(model, "model"), text(version, "version"), copy);
  }

  private static AttributeTypeAndValue once(
      @org.jspecify.annotations.Nullable AttributeTypeAndValue seen, AttributeTypeAndValue atv, String what)
      throws TpmFormatException {
    if (seen != null) {
      throw new TpmFormatException("the TPM directoryName has the " + what + " twice");
    }
    return atv;
  }

  private static String text(AttributeTypeAndValue atv, String what) throws TpmFormatException {
    ASN1Encodable value = atv.getValue();
    if (!(value instanceof ASN1String s)) {
      throw new TpmFormatException("the TPM " + what + " is not a string");
    }
    String text = s.getString();
    if (text.isEmpty() || text.length() > MAX_VALUE) {
      throw new TpmFormatException("the TPM " + what + " is empty or longer than " + MAX_VALUE + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new TpmFormatException("the TPM " + what + " has control characters");
      }
    }
    return text;
  }

  /**
   * Returns whether the manufacturer is one of the allowed ids (compared ignoring case).
   *
   * @param allowed upper-case ids such as {@code ID:49424D00}, as {@link #normalise} returns them
   * @return true if it is in the set
   */
  public boolean manufacturerIn(java.util.Set<String> allowed) {
    return allowed.contains(normalise(manufacturer));
  }

  /**
   * The comparison form of a manufacturer id.
   *
   * @param id the id
   * @return the id in upper case
   */
  public static String normalise(String id) {
    return id.toUpperCase(Locale.ROOT);
  }

  /** Returns {@code manufacturer/model/version} for messages and audit. */
  public String describe() {
    return manufacturer + "/" + model + "/" + version;
  }
}
