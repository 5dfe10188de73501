package dev.ngc4j.core.internal.krb.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The PKINIT AS reply key from a Diffie-Hellman shared secret.
 *
 * <ul>
 *   <li>Without a KDF in the KDC's {@code DHRepInfo} (RFC 4556 §3.2.3.1): {@code octetstring2key(x)} =
 *       random-to-key(K-truncate(SHA1(0x00 | x) | SHA1(0x01 | x) | ...)) with {@code x = DHSharedSecret |
 *       clientDHNonce | serverDHNonce} and a one-byte counter starting at zero.
 *   <li>With the KDF the KDC picked (RFC 8636 §7, the SP 800-56A single-step KDF with an ASN.1 {@code OtherInfo}):
 *       random-to-key(K-truncate(H([1]32 | Z | OtherInfo) | H([2]32 | Z | OtherInfo) | ...)), where {@code [i]32}
 *       is a 32-bit big-endian counter starting at 1, {@code Z} the shared secret and
 *       <pre>
 * OtherInfo ::= SEQUENCE {
 *   algorithmID   AlgorithmIdentifier,       -- the KDF's own OID, parameters absent
 *   partyUInfo    [0] OCTET STRING,          -- DER of the client's KRB5PrincipalName
 *   partyVInfo    [1] OCTET STRING,          -- DER of the TGS's KRB5PrincipalName
 *   suppPubInfo   [2] OCTET STRING }         -- DER of PkinitSuppPubInfo
 * PkinitSuppPubInfo ::= SEQUENCE {
 *   enctype       [0] Int32,                 -- the AS reply key's enctype
 *   as-REQ        [1] OCTET STRING,          -- DER of the AS-REQ (without the TCP length prefix)
 *   pk-as-rep     [2] OCTET STRING }         -- DER of the PA-PK-AS-REP
 *       </pre>
 *       (explicit tags), and H is SHA-1, SHA-256 or SHA-512 for {@code id-pkinit-kdf-ah-sha1}
 *       ({@value #KDF_SHA1}), {@code -sha256} ({@value #KDF_SHA256}) or {@code -sha512} ({@value #KDF_SHA512}).
 * </ul>
 *
 * <p>{@code K} is the key-generation seed length of the enctype, which for AES is the key length.
 *
 * <p>The shared secret must be the DH value left-padded with zeros to the length of the modulus (RFC 4556
 * §3.2.3.1, RFC 8636 §7); the JDK's {@code KeyAgreement.generateSecret()} for DH returns it in that form.
 *
 * <p>Thread safety: stateless. Callers should clear the shared secret after use.
 */
public final class PkinitKeyDerivation {
  /** {@code id-pkinit-kdf-ah-sha1}. */
  public static final String KDF_SHA1 = "1.3.6.1.5.2.3.6.1";

  /** {@code id-pkinit-kdf-ah-sha256}, the one every RFC 8636 implementation supports and MIT's KDC picks. */
  public static final String KDF_SHA256 = "1.3.6.1.5.2.3.6.2";

  /** {@code id-pkinit-kdf-ah-sha512}. */
  public static final String KDF_SHA512 = "1.3.6.1.5.2.3.6.3";

  private PkinitKeyDerivation() {}

  /**
   * RFC 4556 §3.2.3.1 octetstring2key.
   *
   * @param type the reply key's enctype
   * @param x the octet string (shared secret followed by any DH nonces)
   * @return the reply key
   */
  public static KerberosKey octetString2Key(EncType type, byte[] x) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(x, "x");
    MessageDigest sha1 = digest("SHA-1");
    int length = type.keyLength();
    byte[] out = new byte[length];
    int filled = 0;
    for (int counter = 0; filled < length; counter++) {
      sha1.update((byte) counter);
      sha1.update(x);
      byte[] block = sha1.digest();
      int n = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, out, filled, n);
      filled += n;
      Arrays.fill(block, (byte) 0);
    }
    try {
      return KerberosCrypto.randomToKey(type, out);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * RFC 4556 §3.2.3.1 octetstring2key over {@code DHSharedSecret | clientDHNonce | serverDHNonce}.
   *
   * @param type the reply key's enctype
   * @param dhSharedSecret the shared secret, zero-padded to the modulus length
   * @param clientNonce the AuthPack's clientDHNonce, or empty if the client sent none
   * @param serverNonce the DHRepInfo's serverDHNonce, or empty if the KDC sent none
   * @return the reply key
   */
  public static KerberosKey octetString2Key(
      EncType type, byte[] dhSharedSecret, byte[] clientNonce, byte[] serverNonce) {
    Objects.requireNonNull(dhSharedSecret, "dhSharedSecret");
    Objects.requireNonNull(clientNonce, "clientNonce");
    Objects.requireNonNull(serverNonce, "serverNonce");
    byte[] x = new byte[dhSharedSecret.length + clientNonce.length + serverNonce.length];
    System.arraycopy(dhSharedSecret, 0, x, 0, dhSharedSecret.length);
    System.arraycopy(clientNonce, 0, x, dhSharedSecret.length, clientNonce.length);
    System.arraycopy(serverNonce, 0, x, dhSharedSecret.length + clientNonce.length, serverNonce.length);
    try {
      return octetString2Key(type, x);
    } finally {
      Arrays.fill(x, (byte) 0);
    }
  }

  /**
   * RFC 8636 §7 key derivation.
   *
   * @param kdfOid the KDF the KDC named in {@code DHRepInfo.kdf}: {@link #KDF_SHA1}, {@link #KDF_SHA256} or
   *     {@link #KDF_SHA512} (the caller must also check it is one it offered)
   * @param type the reply key's enctype (the AS-REP's enc-part etype)
   * @param dhSharedSecret Z, the shared secret zero-padded to the modulus length
   * @param clientPrincipalDer DER of the client's {@code KRB5PrincipalName} (cname and realm of the AS-REQ)
   * @param serverPrincipalDer DER of the TGS's {@code KRB5PrincipalName} (sname and realm of the AS-REQ)
   * @param asReqDer DER of the AS-REQ as sent
   * @param pkAsRepDer DER of the PA-PK-AS-REP as received (the padata-value)
   * @return the reply key
   * @throws IllegalArgumentException if the KDF is not one of the three
   */
  public static KerberosKey rfc8636Kdf(
      String kdfOid,
      EncType type,
      byte[] dhSharedSecret,
      byte[] clientPrincipalDer,
      byte[] serverPrincipalDer,
      byte[] asReqDer,
      byte[] pkAsRepDer) {
    Objects.requireNonNull(type, "type");
    byte[] seed =
        rfc8636KdfBytes(
            kdfOid, type.id(), type.keyLength(), dhSharedSecret, clientPrincipalDer, serverPrincipalDer, asReqDer,
            pkAsRepDer);
    try {
      return KerberosCrypto.randomToKey(type, seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The RFC 8636 KDF output before random-to-key, for any enctype number and seed length (the RFC's DES3 vector
   * is checked through this).
   */
  static byte[] rfc8636KdfBytes(
      String kdfOid,
      int enctype,
      int seedLength,
      byte[] dhSharedSecret,
      byte[] clientPrincipalDer,
      byte[] serverPrincipalDer,
      byte[] asReqDer,
      byte[] pkAsRepDer) {
    Objects.requireNonNull(kdfOid, "kdfOid");
    Objects.requireNonNull(dhSharedSecret, "dhSharedSecret");
    MessageDigest hash = digest(hashFor(kdfOid));
    byte[] otherInfo =
        otherInfo(kdfOid, enctype, clientPrincipalDer, serverPrincipalDer, asReqDer, pkAsRepDer);
    byte[] out = new byte[seedLength];
    int filled = 0;
    for (int counter = 1; filled < seedLength; counter++) {
      hash.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
      hash.update(dhSharedSecret);
      hash.update(otherInfo);
      byte[] block = hash.digest();
      int n = Math.min(block.length, seedLength - filled);
      System.arraycopy(block, 0, out, filled, n);
      filled += n;
      Arrays.fill(block, (byte) 0);
    }
    return out;
  }

  /** DER of the RFC 8636 {@code OtherInfo} (with its {@code PkinitSuppPubInfo}). */
  static byte[] otherInfo(
      String kdfOid,
      int enctype,
      byte[] clientPrincipalDer,
      byte[] serverPrincipalDer,
      byte[] asReqDer,
      byte[] pkAsRepDer) {
    Objects.requireNonNull(clientPrincipalDer, "clientPrincipalDer");
    Objects.requireNonNull(serverPrincipalDer, "serverPrincipalDer");
    Objects.requireNonNull(asReqDer, "asReqDer");
    Objects.requireNonNull(pkAsRepDer, "pkAsRepDer");
    try {
      ASN1EncodableVector supp = new ASN1EncodableVector();
      supp.add(new DERTaggedObject(true, 0, new ASN1Integer(enctype)));
      supp.add(new DERTaggedObject(true, 1, new DEROctetString(asReqDer)));
      supp.add(new DERTaggedObject(true, 2, new DEROctetString(pkAsRepDer)));
      byte[] suppPubInfo = new DERSequence(supp).getEncoded(ASN1Encoding.DER);

      ASN1EncodableVector other = new ASN1EncodableVector();
      other.add(new AlgorithmIdentifier(new ASN1ObjectIdentifier(kdfOid)));
      other.add(new DERTaggedObject(true, 0, new DEROctetString(clientPrincipalDer)));
      other.add(new DERTaggedObject(true, 1, new DEROctetString(serverPrincipalDer)));
      other.add(new DERTaggedObject(true, 2, new DEROctetString(suppPubInfo)));
      return new DERSequence(other).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException("DER encoding of OtherInfo failed", e);
    }
  }

  private static String hashFor(String kdfOid) {
    return switch (kdfOid) {
      case KDF_SHA1 -> "SHA-1";
      case KDF_SHA256 -> "SHA-256";
      case KDF_SHA512 -> "SHA-512";
      default -> throw new IllegalArgumentException("unsupported PKINIT KDF " + kdfOid);
    };
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }
}
