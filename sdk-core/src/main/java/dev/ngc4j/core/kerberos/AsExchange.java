package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.crypto.KerberosCrypto;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import dev.ngc4j.core.internal.krb.crypto.KeyUsage;
import dev.ngc4j.core.internal.krb.crypto.KrbCryptoException;
import dev.ngc4j.core.internal.krb.crypto.PkinitKeyDerivation;
import dev.ngc4j.core.internal.krb.msg.AsReq;
import dev.ngc4j.core.internal.krb.msg.AuthPack;
import dev.ngc4j.core.internal.krb.msg.DhDomainParameters;
import dev.ngc4j.core.internal.krb.msg.DhRepInfo;
import dev.ngc4j.core.internal.krb.msg.EncKdcRepPart;
import dev.ngc4j.core.internal.krb.msg.KdcDhKeyInfo;
import dev.ngc4j.core.internal.krb.msg.KdcOptions;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.KdcReqBody;
import dev.ngc4j.core.internal.krb.msg.KerberosFlags;
import dev.ngc4j.core.internal.krb.msg.Krb5PrincipalName;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PaPacRequest;
import dev.ngc4j.core.internal.krb.msg.PaPkAsRep;
import dev.ngc4j.core.internal.krb.msg.PaPkAsReq;
import dev.ngc4j.core.internal.krb.msg.PkAuthenticator;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.pkinit.ClientCertificates;
import dev.ngc4j.core.internal.krb.pkinit.ContainerSigner;
import dev.ngc4j.core.internal.krb.pkinit.DhGroup;
import dev.ngc4j.core.internal.krb.pkinit.DhKeyPair;
import dev.ngc4j.core.internal.krb.pkinit.KdcCertificateValidator;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.jspecify.annotations.Nullable;

/**
 * One PKINIT AS exchange (RFC 4556 with the DH key agreement, RFC 8070 freshness and RFC 8636 KDFs), step by step:
 *
 * <ol>
 *   <li>an AS-REQ without pre-authentication, to learn what the KDC offers: it must answer
 *       KDC_ERR_PREAUTH_REQUIRED listing PA-PK-AS-REQ, and may hand out a freshness token;
 *   <li>the PKINIT AS-REQ: a fresh DH key pair (MODP group 14 unless configured otherwise), the PKAuthenticator
 *       (nonce, SHA-1 paChecksum over the exact KDC-REQ-BODY bytes, the freshness token), the KDFs offered, signed
 *       as CMS SignedData through the key container (one unlock, one gesture);
 *   <li>on KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, one retry with the group the KDC names in TD-DH-PARAMETERS when
 *       it is one this client accepts; on a renewed PREAUTH_REQUIRED with a new freshness token, one retry;
 *   <li>the AS-REP: the KDC's SignedData verified, its certificate validated ({@link KdcCertificateValidator}),
 *       the DH nonce compared, the reply key derived with the KDF the KDC chose (one that was offered) or RFC 4556
 *       octetstring2key, the enc-part decrypted, its nonce and names compared with the request.
 * </ol>
 *
 * <p>Thread safety: one instance per exchange; not thread-safe.
 */
final class AsExchange {
  private static final int MAX_ATTEMPTS = 3;
  private static final List<String> KDFS =
      List.of(PkinitKeyDerivation.KDF_SHA256, PkinitKeyDerivation.KDF_SHA1, PkinitKeyDerivation.KDF_SHA512);

  private final PkinitClient client;
  private final PkinitRequest request;
  private final KeyContainer container;
  private final Clock clock;
  private final SecureRandom random;
  private final Instant deadline;
  private final PrincipalName cname;
  private final PrincipalName sname;
  private final String clientText;

  AsExchange(PkinitClient client, PkinitRequest request, KeyContainer container) {
    this.client = client;
    this.request = request;
    this.container = container;
    this.clock = client.clock();
    this.random = client.random();
    // The deadline is real time, whatever the protocol clock says (tests and skewed devices set that one).
    this.deadline = Instant.now().plus(client.timeout());
    this.cname = clientName(request);
    this.sname = PrincipalName.krbtgt(request.realm());
    this.clientText = request.client().upn();
  }

  /** The client name to send: the UPN's user part in its own realm, else the whole UPN as an enterprise name. */
  static PrincipalName clientName(PkinitRequest request) {
    String upn = request.client().upn();
    int at = upn.lastIndexOf('@');
    String domain = upn.substring(at + 1);
    if (domain.equalsIgnoreCase(request.realm())) {
      return new PrincipalName(PrincipalName.NT_PRINCIPAL, List.of(upn.substring(0, at)));
    }
    return new PrincipalName(PrincipalName.NT_ENTERPRISE, List.of(upn));
  }

  IssuedTicket run(GestureSource gestures) throws NgcException {
    byte[] freshness = probe();
    try (UnlockedKey key = container.unlock(gestures)) {
      List<X509Certificate> chain = clientChain(key);
      DhGroup group = client.dhGroup();
      for (int attempt = 1; ; attempt++) {
        Attempt sent = send(key, chain, group, freshness);
        byte[] reply = client.channel().exchange(request.realm(), request.kdcs(), sent.asReq, deadline);
        if (isKrbError(reply)) {
          KrbError error = decodeError(reply);
          if (attempt < MAX_ATTEMPTS && error.errorCode() == KrbErrorCode.KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED) {
            group = groupFrom(error, group);
            continue;
          }
          if (attempt < MAX_ATTEMPTS && error.errorCode() == KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED) {
            byte[] renewed = freshnessToken(error);
            if (renewed.length > 0 && !Arrays.equals(renewed, freshness)) {
              freshness = renewed;
              continue;
            }
          }
          throw KdcErrors.fromKrbError(error.errorCode(), KrbErrorCode.name(error.errorCode()), error.eText(),
              request.realm(), clientText, request.mode());
        }
        return finish(sent, reply);
      }
    }
  }

  /** Step 1: what does the KDC offer? Returns the freshness token, or an empty array. */
  private byte[] probe() throws NgcException {
    KdcReqBody body = body(nonce());
    // An empty PA-AS-FRESHNESS asks the KDC for a freshness token (RFC 8070 section 4).
    AsReq probe = new AsReq(
        List.of(new PaData(PaDataType.PA_AS_FRESHNESS, new byte[0]), PaPacRequest.of(true)), body);
    byte[] reply = client.channel().exchange(request.realm(), request.kdcs(), probe.encode(), deadline);
    if (!isKrbError(reply)) {
      throw new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, -1,
          "The KDC for " + request.realm() + " issued a ticket for " + clientText
              + " without pre-authentication; the account does not require PKINIT",
          "mark the account as requiring pre-authentication (+requires_preauth) so that it can only sign in with"
              + " its key",
          null);
    }
    KrbError error = decodeError(reply);
    if (error.errorCode() != KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED) {
      throw KdcErrors.fromKrbError(error.errorCode(), KrbErrorCode.name(error.errorCode()), error.eText(),
          request.realm(), clientText, request.mode());
    }
    List<PaData> offered = error.methodData();
    if (PaData.find(offered, PaDataType.PA_PK_AS_REQ).isEmpty()) {
      List<String> types = new ArrayList<>();
      for (PaData pa : offered) {
        types.add(Integer.toString(pa.type()));
      }
      throw new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, error.errorCode(),
          "The KDC for " + request.realm() + " does not offer PKINIT for " + clientText
              + " (pre-authentication types offered: " + (types.isEmpty() ? "none" : String.join(", ", types)) + ")",
          ErrorCode.KDC_NOT_PKINIT_CAPABLE.remedy(), null);
    }
    return freshnessToken(error);
  }

  private static byte[] freshnessToken(KrbError error) {
    return PaData.find(error.methodData(), PaDataType.PA_AS_FRESHNESS).map(PaData::value).orElse(new byte[0]);
  }

  private List<X509Certificate> clientChain(UnlockedKey key) throws NgcException {
    List<X509Certificate> given = request.userCertificateChain();
    if (request.mode() == PkinitMode.CERTIFICATE_TRUST) {
      if (!given.get(0).getPublicKey().equals(container.publicKey())) {
        throw new KerberosPreauthException(ErrorCode.CLIENT_NOT_TRUSTED, -1,
            "The certificate for " + clientText + " (" + given.get(0).getSubjectX500Principal()
                + ") is not for this credential's key",
            "enrol a logon certificate for this credential's key (PkinitCertificates.certificationRequest)", null);
      }
      return given;
    }
    if (!given.isEmpty()) {
      X509Certificate presented = given.get(0);
      if (ClientCertificates.isCa(presented)) {
        throw new KerberosPreauthException(ErrorCode.CLIENT_NOT_TRUSTED, -1,
            "The key-trust certificate for " + clientText + " is a CA certificate (basicConstraints CA:TRUE)",
            "a key-trust certificate must be CA:FALSE, or its holder could sign in as anyone; make a new one with"
                + " PkinitCertificates.keyTrustCertificate",
            null);
      }
      if (!presented.getPublicKey().equals(container.publicKey())) {
        throw new KerberosPreauthException(ErrorCode.CLIENT_NOT_TRUSTED, -1,
            "The key-trust certificate for " + clientText + " is not for this credential's key",
            "make the key-trust certificate from this credential (PkinitCertificates.keyTrustCertificate)", null);
      }
      return given;
    }
    try {
      return List.of(ClientCertificates.keyTrust(clientText, container.publicKey(), new ContainerSigner(key),
          clock.instant(), client.keyTrustValidity(), random));
    } catch (RuntimeException e) {
      throw ContainerSigner.rethrown(e);
    } catch (GeneralSecurityException e) {
      throw new KerberosPreauthException(ErrorCode.PROVIDER_UNAVAILABLE, -1,
          "The container did not produce a valid signature for the key-trust certificate: " + e.getMessage(),
          ErrorCode.PROVIDER_UNAVAILABLE.remedy(), e);
    }
  }

  /** What one PKINIT attempt sent, kept for checking the reply. */
  @SuppressWarnings("ArrayRecordComponent") // private carrier, never compared; asReq is sent and read, not changed
  private record Attempt(byte[] asReq, int nonce, DhKeyPair dh, KdcReqBody body) {}

  private Attempt send(UnlockedKey key, List<X509Certificate> chain, DhGroup group, byte[] freshness)
      throws NgcException {
    int nonce = nonce();
    KdcReqBody body = body(nonce);
    byte[] bodyDer = body.encode();
    Instant now = clock.instant();
    DhKeyPair dh = DhKeyPair.generate(group, random);
    PkAuthenticator authenticator = new PkAuthenticator(
        now.get(ChronoField.MICRO_OF_SECOND), now.truncatedTo(ChronoUnit.SECONDS), nonce,
        KerberosCrypto.sha1(bodyDer), freshness.length == 0 ? null : freshness, null);
    AuthPack authPack = new AuthPack(authenticator, dh.subjectPublicKeyInfo(), cmsTypes(), null, KDFS);
    byte[] signed;
    try {
      signed = PkinitSignedData.signAuthPack(authPack.encode(), new ContainerSigner(key), chain);
    } catch (CMSException e) {
      throw new KerberosPreauthException(ErrorCode.PROVIDER_UNAVAILABLE, -1,
          "The signed AuthPack could not be built: " + e.getMessage(), ErrorCode.PROVIDER_UNAVAILABLE.remedy(), e);
    }
    PaData pkAsReq = new PaPkAsReq(signed, List.of(), null).toPaData();
    AsReq asReq = new AsReq(List.of(pkAsReq, PaPacRequest.of(true)), body);
    return new Attempt(asReq.encode(), nonce, dh, body);
  }

  private static List<byte[]> cmsTypes() {
    try {
      return List.of(
          new AlgorithmIdentifier(PKCSObjectIdentifiers.sha512WithRSAEncryption, DERNull.INSTANCE).getEncoded(),
          new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an algorithm identifier failed", e);
    }
  }

  private KdcReqBody body(int nonce) {
    Instant now = clock.instant();
    List<Integer> etypes = new ArrayList<>();
    for (EncType type : client.encTypes()) {
      etypes.add(type.id());
    }
    int options = KerberosFlags.of(KdcOptions.FORWARDABLE, KdcOptions.RENEWABLE);
    if (cname.nameType() == PrincipalName.NT_ENTERPRISE) {
      options = KerberosFlags.of(KdcOptions.FORWARDABLE, KdcOptions.RENEWABLE, KdcOptions.CANONICALIZE);
    }
    return KdcReqBody.builder()
        .kdcOptions(options)
        .cname(cname)
        .realm(request.realm())
        .sname(sname)
        .till(now.plus(client.ticketLifetime()).truncatedTo(ChronoUnit.SECONDS))
        .rtime(now.plus(client.renewableLifetime()).truncatedTo(ChronoUnit.SECONDS))
        .nonce(nonce)
        .etypes(etypes)
        .build();
  }

  private int nonce() {
    return random.nextInt() & 0x7fffffff;
  }

  private DhGroup groupFrom(KrbError error, DhGroup current) throws NgcException {
    List<DhDomainParameters> offered;
    try {
      offered = error.dhParameters();
    } catch (KrbMessageException e) {
      offered = List.of();
    }
    for (DhDomainParameters parameters : offered) {
      Optional<DhGroup> group = DhGroup.of(parameters.p(), parameters.g());
      if (group.isPresent() && group.get() != current) {
        return group.get();
      }
    }
    throw new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, error.errorCode(),
        "The KDC for " + request.realm() + " refused the " + current.p().bitLength()
            + "-bit DH group and proposed none this client accepts (2048 or 4096-bit MODP)",
        "configure the KDC to accept MODP group 14 (2048-bit), the default of MIT, Heimdal and Windows", null);
  }

  /** Step 4: check the AS-REP and derive the TGT. */
  private IssuedTicket finish(Attempt sent, byte[] reply) throws NgcException {
    KdcRep rep;
    try {
      rep = KdcRep.decodeAsRep(reply);
    } catch (KrbMessageException e) {
      throw invalid("the AS-REP is malformed: " + e.getMessage(), e);
    }
    PaData paRep = PaData.find(rep.padata(), PaDataType.PA_PK_AS_REP)
        .orElseThrow(() -> invalid("the AS-REP carries no PA-PK-AS-REP", null));
    DhRepInfo dhInfo;
    try {
      PaPkAsRep pkAsRep = PaPkAsRep.decode(paRep.value());
      DhRepInfo info = pkAsRep.dhInfo();
      if (info == null) {
        throw invalid("the KDC answered a Diffie-Hellman request with RSA key transport", null);
      }
      dhInfo = info;
    } catch (KrbMessageException e) {
      throw invalid("the PA-PK-AS-REP is malformed: " + e.getMessage(), e);
    }
    PkinitSignedData.Verified verified;
    try {
      verified = PkinitSignedData.verify(dhInfo.dhSignedData(), PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
    } catch (PkinitSignedData.ReplyException e) {
      throw invalid(e.getMessage(), e);
    }
    try {
      client.validator().validate(verified.signer(), verified.certificates(), request.realm(), clock.instant());
    } catch (KdcCertificateValidator.KdcCertificateException e) {
      throw new KerberosPreauthException(ErrorCode.KDC_NOT_TRUSTED, -1,
          "The KDC for " + request.realm() + " is not trusted: " + e.getMessage() + " [" + e.reason() + "]",
          kdcRemedy(e.reason()), null);
    }
    KdcDhKeyInfo keyInfo;
    BigInteger kdcPublic;
    try {
      keyInfo = KdcDhKeyInfo.decode(verified.content());
      kdcPublic = keyInfo.dhPublicValue();
    } catch (KrbMessageException e) {
      throw invalid("the KDC's DH key info is malformed: " + e.getMessage(), e);
    }
    if (keyInfo.nonce() != sent.nonce) {
      throw invalid("the KDC's DH key info answers another request (nonce mismatch): a replayed or misdirected reply",
          null);
    }
    EncType etype = EncType.byId(rep.encPart().etype())
        .filter(client.encTypes()::contains)
        .orElseThrow(() -> invalid("the AS-REP is encrypted with enctype " + rep.encPart().etype()
            + ", which was not offered", null));
    byte[] z;
    try {
      z = sent.dh.sharedSecret(kdcPublic);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage(), e);
    } finally {
      sent.dh.destroy();
    }
    KerberosKey replyKey;
    try {
      String kdf = dhInfo.kdf();
      if (kdf != null) {
        if (!KDFS.contains(kdf)) {
          throw invalid("the KDC chose KDF " + kdf + ", which was not offered", null);
        }
        replyKey = PkinitKeyDerivation.rfc8636Kdf(kdf, etype, z,
            new Krb5PrincipalName(request.realm(), cname).encode(),
            new Krb5PrincipalName(request.realm(), sname).encode(),
            sent.asReq, paRep.value());
      } else {
        byte[] serverNonce = dhInfo.serverDhNonce();
        replyKey = PkinitKeyDerivation.octetString2Key(etype, z, new byte[0],
            serverNonce == null ? new byte[0] : serverNonce);
      }
    } finally {
      Arrays.fill(z, (byte) 0);
    }
    EncKdcRepPart part;
    try {
      byte[] plain = KerberosCrypto.decrypt(replyKey, KeyUsage.AS_REP_ENC_PART, rep.encPart().cipher());
      try {
        part = EncKdcRepPart.decode(plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (KrbCryptoException e) {
      throw invalid("the AS-REP's encrypted part does not decrypt with the PKINIT reply key: tampered or forged", e);
    } catch (KrbMessageException e) {
      throw invalid("the AS-REP's encrypted part is malformed: " + e.getMessage(), e);
    } finally {
      replyKey.destroy();
    }
    return ticketFrom(rep, part, sent.nonce);
  }

  private IssuedTicket ticketFrom(KdcRep rep, EncKdcRepPart part, int nonce) throws NgcException {
    if (part.nonce() != nonce) {
      throw invalid("the AS-REP answers another request (nonce mismatch): a replayed or misdirected reply", null);
    }
    String realm = request.realm();
    if (!part.srealm().equals(realm) || !part.sname().components().equals(sname.components())) {
      throw invalid("the AS-REP is for " + part.sname() + "@" + part.srealm() + ", not krbtgt/" + realm, null);
    }
    if (!rep.ticket().realm().equals(realm) || !rep.ticket().sname().components().equals(sname.components())) {
      throw invalid("the AS-REP's ticket is for another service than krbtgt/" + realm, null);
    }
    if (cname.nameType() != PrincipalName.NT_ENTERPRISE
        && (!rep.crealm().equals(realm) || !rep.cname().components().equals(cname.components()))) {
      throw invalid("the AS-REP is for " + rep.cname() + "@" + rep.crealm() + ", not " + cname + "@" + realm, null);
    }
    Optional<EncType> sessionType = EncType.byId(part.key().keytype());
    if (sessionType.isEmpty()) {
      throw invalid("the TGT's session key has unsupported enctype " + part.key().keytype(), null);
    }
    byte[] keyBytes = part.key().value();
    KerberosKey sessionKey;
    try {
      sessionKey = new KerberosKey(sessionType.get(), keyBytes);
    } catch (IllegalArgumentException e) {
      throw invalid("the TGT's session key has the wrong length", e);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
      part.key().destroy();
    }
    Instant now = clock.instant();
    if (part.endtime().isBefore(now.minus(client.clockSkew()))) {
      sessionKey.destroy();
      throw invalid("the TGT had already expired when it arrived (end " + part.endtime() + ")", null);
    }
    return new IssuedTicket(rep.cname(), rep.crealm(), part.sname(), part.srealm(), rep.ticket(), sessionKey,
        part.flags(), part.authtime(), Optional.ofNullable(part.starttime()), part.endtime(),
        Optional.ofNullable(part.renewTill()));
  }

  private static String kdcRemedy(KdcCertificateValidator.Reason reason) {
    return switch (reason) {
      case UNTRUSTED -> "add the root CA that issued the domain controllers' certificates to the KDC trust anchors,"
          + " or check for a man in the middle";
      case EXPIRED, NOT_YET_VALID -> "renew the domain controller's KDC certificate, and check the device's clock";
      case REVOKED -> "the KDC certificate is revoked: the domain controller needs a new KDC certificate";
      case REVOCATION_UNKNOWN -> "make the CRL of the KDC certificate's CA reachable over HTTP from this device"
          + " (or configure the CRL), as Windows Hello for Business deployments require";
      case NO_KDC_EKU, KEY_USAGE -> "issue the domain controller a certificate from the Kerberos Authentication"
          + " template (EKU id-pkinit-KPKdc 1.3.6.1.5.2.3.5, keyUsage digitalSignature)";
      case NAME_MISMATCH -> "the certificate does not name this realm's KDC: it needs id-pkinit-san krbtgt/"
          + "REALM@REALM or the domain's DNS name (configure KdcValidation.kdcDnsNames)";
    };
  }

  private KerberosPreauthException invalid(@Nullable String detail, @Nullable Throwable cause) {
    return new KerberosPreauthException(ErrorCode.KDC_REPLY_INVALID, -1,
        "The reply from the KDC for " + request.realm() + " to " + clientText + " failed verification: " + detail,
        ErrorCode.KDC_REPLY_INVALID.remedy(), cause);
  }

  private KrbError decodeError(byte[] reply) throws KerberosPreauthException {
    try {
      return KrbError.decode(reply);
    } catch (KrbMessageException e) {
      throw invalid("the KRB-ERROR is malformed: " + e.getMessage(), e);
    }
  }

  /** A KRB-ERROR is [APPLICATION 30], constructed: first octet 0x7e. */
  static boolean isKrbError(byte[] reply) {
    return reply.length > 0 && (reply[0] & 0xff) == 0x7e;
  }
}
