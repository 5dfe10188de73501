package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.crypto.KerberosCrypto;
import dev.ngc4j.core.internal.krb.crypto.KerberosKey;
import dev.ngc4j.core.internal.krb.crypto.KeyUsage;
import dev.ngc4j.core.internal.krb.crypto.KrbCryptoException;
import dev.ngc4j.core.internal.krb.msg.ApReq;
import dev.ngc4j.core.internal.krb.msg.Authenticator;
import dev.ngc4j.core.internal.krb.msg.Checksum;
import dev.ngc4j.core.internal.krb.msg.EncKdcRepPart;
import dev.ngc4j.core.internal.krb.msg.EncryptedData;
import dev.ngc4j.core.internal.krb.msg.KdcOptions;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.KdcReqBody;
import dev.ngc4j.core.internal.krb.msg.KerberosFlags;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.msg.TgsReq;
import java.time.Instant;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One TGS exchange (RFC 4120 section 3.3): a TGS-REQ whose PA-TGS-REQ carries an AP-REQ with the TGT and an
 * authenticator (encrypted with the TGT's session key, key usage 7) whose checksum covers the exact KDC-REQ-BODY
 * bytes (key usage 6); the TGS-REP's enc-part is decrypted with the session key (usage 8) and its nonce and server
 * name compared with the request.
 *
 * <p>Thread safety: stateless apart from its arguments; the caller serialises use of one TGT's session key.
 */
final class TgsExchange {
  private TgsExchange() {}

  static IssuedTicket run(PkinitClient client, IssuedTicket tgt, List<java.net.InetSocketAddress> kdcs,
      String service) throws NgcException {
    String realm = tgt.serverRealm();
    PrincipalName sname = service.contains("/")
        ? PrincipalName.parse(service, PrincipalName.NT_SRV_INST)
        : PrincipalName.parse(service, PrincipalName.NT_PRINCIPAL);
    Instant now = client.clock().instant();
    Instant deadline = Instant.now().plus(client.timeout());
    int nonce = client.random().nextInt() & 0x7fffffff;
    List<Integer> etypes = new ArrayList<>();
    for (EncType type : client.encTypes()) {
      etypes.add(type.id());
    }
    KdcReqBody body = KdcReqBody.builder()
        .kdcOptions(KerberosFlags.of(KdcOptions.FORWARDABLE))
        .realm(realm)
        .sname(sname)
        .till(tgt.endTime())
        .nonce(nonce)
        .etypes(etypes)
        .build();
    byte[] bodyDer = body.encode();
    KerberosKey sessionKey = tgt.sessionKey();
    Checksum checksum = new Checksum(sessionKey.type().checksumType(),
        KerberosCrypto.checksum(sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, bodyDer));
    Authenticator authenticator = new Authenticator(tgt.clientRealm(), tgt.client(), checksum,
        now.get(ChronoField.MICRO_OF_SECOND), now.truncatedTo(ChronoUnit.SECONDS), null, null);
    EncryptedData encryptedAuthenticator = new EncryptedData(sessionKey.type().id(), null,
        KerberosCrypto.encrypt(sessionKey, KeyUsage.TGS_REQ_AUTH, authenticator.encode(), client.random()));
    ApReq apReq = new ApReq(0, tgt.ticket(), encryptedAuthenticator);
    TgsReq tgsReq = new TgsReq(List.of(new PaData(PaDataType.PA_TGS_REQ, apReq.encode())), body);
    byte[] reply = client.channel().exchange(realm, kdcs, tgsReq.encode(), deadline);
    String who = tgt.clientName();
    if (AsExchange.isKrbError(reply)) {
      KrbError error;
      try {
        error = KrbError.decode(reply);
      } catch (KrbMessageException e) {
        throw invalid(realm, who, "the KRB-ERROR is malformed: " + e.getMessage(), e);
      }
      throw KdcErrors.fromKrbError(error.errorCode(), KrbErrorCode.name(error.errorCode()), error.eText(), realm,
          who + " (service ticket for " + service + ")", null);
    }
    KdcRep rep;
    EncKdcRepPart part;
    try {
      rep = KdcRep.decodeTgsRep(reply);
      byte[] plain = KerberosCrypto.decrypt(sessionKey, KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, rep.encPart().cipher());
      try {
        part = EncKdcRepPart.decode(plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (KrbMessageException e) {
      throw invalid(realm, who, "the TGS-REP is malformed: " + e.getMessage(), e);
    } catch (KrbCryptoException e) {
      throw invalid(realm, who, "the TGS-REP does not decrypt with the TGT's session key: tampered or forged", e);
    }
    if (part.nonce() != nonce) {
      throw invalid(realm, who, "the TGS-REP answers another request (nonce mismatch)", null);
    }
    if (!part.sname().components().equals(sname.components()) || !part.srealm().equals(realm)) {
      throw invalid(realm, who, "the TGS-REP is for " + part.sname() + "@" + part.srealm() + ", not " + service, null);
    }
    Optional<EncType> type = EncType.byId(part.key().keytype());
    if (type.isEmpty()) {
      throw invalid(realm, who, "the service ticket's session key has unsupported enctype " + part.key().keytype(),
          null);
    }
    byte[] keyBytes = part.key().value();
    try {
      return new IssuedTicket(rep.cname(), rep.crealm(), part.sname(), part.srealm(), rep.ticket(),
          new KerberosKey(type.get(), keyBytes), part.flags(), part.authtime(),
          Optional.ofNullable(part.starttime()), part.endtime(), Optional.ofNullable(part.renewTill()));
    } catch (IllegalArgumentException e) {
      throw invalid(realm, who, "the service ticket's session key has the wrong length", e);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
      part.key().destroy();
    }
  }

  private static KerberosPreauthException invalid(String realm, String who, String detail,
      @Nullable Throwable cause) {
    return new KerberosPreauthException(ErrorCode.KDC_REPLY_INVALID, -1,
        "The TGS reply from the KDC for " + realm + " to " + who + " failed verification: " + detail,
        ErrorCode.KDC_REPLY_INVALID.remedy(), cause);
  }
}
