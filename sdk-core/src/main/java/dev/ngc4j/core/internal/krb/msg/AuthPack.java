package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The AuthPack that the client signs into the PA-PK-AS-REQ (RFC 4556 §3.2.1, RFC 8636 §6). Its DER
 * ({@link #encode()}) is the eContent of the CMS SignedData, with eContentType id-pkinit-authData.
 *
 * <pre>
 * AuthPack ::= SEQUENCE {
 *   pkAuthenticator   [0] PKAuthenticator,
 *   clientPublicValue [1] SubjectPublicKeyInfo OPTIONAL, -- the client's DH public value
 *   supportedCMSTypes [2] SEQUENCE OF AlgorithmIdentifier OPTIONAL,
 *   clientDHNonce     [3] DHNonce OPTIONAL,
 *   ...,
 *   supportedKDFs     [4] SEQUENCE OF KDFAlgorithmId OPTIONAL -- RFC 8636
 * }
 * DHNonce ::= OCTET STRING
 * KDFAlgorithmId ::= SEQUENCE { kdf-id [0] OBJECT IDENTIFIER, ... }
 * </pre>
 *
 * The SubjectPublicKeyInfo and AlgorithmIdentifiers are taken as DER (from the JCA or Bouncy Castle) and
 * embedded verbatim after a check that each is one SEQUENCE.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class AuthPack {
  private final PkAuthenticator pkAuthenticator;
  private final byte @Nullable [] clientPublicValue;
  private final List<byte[]> supportedCmsTypes;
  private final byte @Nullable [] clientDhNonce;
  private final List<String> supportedKdfs;

  /**
   * Creates the AuthPack; arrays are copied.
   *
   * @param pkAuthenticator the PKAuthenticator
   * @param clientPublicValue the DER of the client's DH SubjectPublicKeyInfo, or {@code null} (RSA key transport)
   * @param supportedCmsTypes the DER of each AlgorithmIdentifier offered for CMS (empty omits the field)
   * @param clientDhNonce the client DH nonce, or {@code null}
   * @param supportedKdfs the RFC 8636 KDF object identifiers, most preferred first (empty omits the field)
   * @throws IllegalArgumentException if a DER argument is not one SEQUENCE or a KDF is not an object identifier
   */
  public AuthPack(PkAuthenticator pkAuthenticator, byte @Nullable [] clientPublicValue,
      List<byte[]> supportedCmsTypes, byte @Nullable [] clientDhNonce, List<String> supportedKdfs) {
    this.pkAuthenticator = Objects.requireNonNull(pkAuthenticator, "pkAuthenticator");
    this.clientPublicValue =
        clientPublicValue == null ? null : requireSequence(clientPublicValue, "clientPublicValue");
    List<byte[]> cms = new ArrayList<>();
    for (byte[] alg : supportedCmsTypes) {
      cms.add(requireSequence(alg, "supportedCMSTypes"));
    }
    this.supportedCmsTypes = List.copyOf(cms);
    this.clientDhNonce = clientDhNonce == null ? null : clientDhNonce.clone();
    this.supportedKdfs = List.copyOf(supportedKdfs);
    for (String kdf : this.supportedKdfs) {
      Der.oidContent(kdf); // validates
    }
  }

  /** Returns a copy of {@code der} after checking it is exactly one SEQUENCE TLV. */
  static byte[] requireSequence(byte[] der, String what) {
    try {
      DerReader reader = DerReader.of(der, what);
      reader.expect(Der.SEQUENCE);
      reader.end();
    } catch (KrbMessageException e) {
      throw new IllegalArgumentException(what + " is not one DER SEQUENCE: " + e.getMessage(), e);
    }
    return der.clone();
  }

  /**
   * Returns the PKAuthenticator.
   *
   * @return the value
   */
  public PkAuthenticator pkAuthenticator() {
    return pkAuthenticator;
  }

  /**
   * Returns a copy of the client's SubjectPublicKeyInfo DER.
   *
   * @return the bytes, or {@code null}
   */
  public byte @Nullable [] clientPublicValue() {
    return clientPublicValue == null ? null : clientPublicValue.clone();
  }

  /**
   * Returns copies of the offered CMS AlgorithmIdentifiers.
   *
   * @return the DER of each; a new list
   */
  public List<byte[]> supportedCmsTypes() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] a : supportedCmsTypes) {
      out.add(a.clone());
    }
    return out;
  }

  /**
   * Returns a copy of the client DH nonce.
   *
   * @return the nonce, or {@code null}
   */
  public byte @Nullable [] clientDhNonce() {
    return clientDhNonce == null ? null : clientDhNonce.clone();
  }

  /**
   * Returns the offered KDFs.
   *
   * @return the object identifiers; immutable
   */
  public List<String> supportedKdfs() {
    return supportedKdfs;
  }

  /**
   * Encodes in DER (the eContent to sign).
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, pkAuthenticator.encode()));
    if (clientPublicValue != null) {
      f.add(Der.explicit(1, clientPublicValue));
    }
    if (!supportedCmsTypes.isEmpty()) {
      f.add(Der.explicit(2, Der.sequence(supportedCmsTypes)));
    }
    if (clientDhNonce != null) {
      f.add(Der.explicit(3, Der.octetString(clientDhNonce)));
    }
    if (!supportedKdfs.isEmpty()) {
      List<byte[]> kdfs = new ArrayList<>();
      for (String kdf : supportedKdfs) {
        kdfs.add(kdfAlgorithmId(kdf));
      }
      f.add(Der.explicit(4, Der.sequence(kdfs)));
    }
    return Der.sequence(f);
  }

  /** Encodes {@code KDFAlgorithmId ::= SEQUENCE { kdf-id [0] OBJECT IDENTIFIER, ... }}. */
  static byte[] kdfAlgorithmId(String oid) {
    return Der.sequence(Der.explicit(0, Der.oid(oid)));
  }

  /** Reads a KDFAlgorithmId and returns its kdf-id. */
  static String readKdfAlgorithmId(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("KDFAlgorithmId");
    String oid = seq.field(0, "kdf-id", DerReader::oid);
    seq.endExtensible();
    return oid;
  }

  /**
   * Decodes strictly (for tests and tools).
   *
   * @param der the encoding
   * @return the AuthPack
   * @throws KrbMessageException if malformed
   */
  public static AuthPack decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "AuthPack", reader -> {
      DerReader seq = reader.sequence("AuthPack");
      PkAuthenticator auth = seq.field(0, "pkAuthenticator", PkAuthenticator::read);
      byte[] spki = seq.optionalField(1, "clientPublicValue", r -> r.expect(Der.SEQUENCE).encoded());
      List<byte[]> cms = seq.optionalField(2, "supportedCMSTypes",
          r -> r.sequenceOf(x -> x.expect(Der.SEQUENCE).encoded()));
      byte[] nonce = seq.optionalField(3, "clientDHNonce", DerReader::octetString);
      List<String> kdfs = seq.optionalField(4, "supportedKDFs", r -> r.sequenceOf(AuthPack::readKdfAlgorithmId));
      seq.endExtensible();
      return new AuthPack(auth, spki, cms == null ? List.of() : cms, nonce, kdfs == null ? List.of() : kdfs);
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthPack a && Arrays.equals(a.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "AuthPack[" + pkAuthenticator + ", clientPublicValue=" + (clientPublicValue != null)
        + ", supportedCMSTypes=" + supportedCmsTypes.size() + ", supportedKDFs=" + supportedKdfs + "]";
  }
}
