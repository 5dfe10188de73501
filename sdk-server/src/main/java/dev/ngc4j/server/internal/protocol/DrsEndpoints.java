package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.AttestationPolicy;
import dev.ngc4j.server.AttestationVerifierHook;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.internal.crypto.Bc;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.ServiceCa;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.internal.store.StoreException;
import dev.ngc4j.server.internal.token.AccessTokens;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration service endpoints: discovery (M0), join (M2), key registration (M5) and withdrawal, the DRS
 * nonce, and the token-signing JWKS.
 */
final class DrsEndpoints {
  private static final Logger log = LoggerFactory.getLogger(DrsEndpoints.class);

  private static final Set<String> JOIN_MEMBERS = Set.of(
      "CertificateRequest", "TransportKey", "TargetDomain", "DeviceType", "OSVersion", "DeviceDisplayName",
      "JoinType", "Attributes", "AikCertificate", "AttestationData", "PreAuthorizedJoinChallenge");
  private static final Set<String> KEY_MEMBERS = Set.of("kngc", "attestation");
  private static final Set<String> ATTESTATION_MEMBERS = Set.of("fmt", "x5c", "certInfo", "pubArea", "sig", "nonce");
  private static final int MAX_TEXT = 256;
  private static final int MAX_CHAIN = 5;
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 16384;

  private final Engine engine;

  DrsEndpoints(Engine engine) {
    this.engine = engine;
  }

  // ---- M0 -----------------------------------------------------------------------------------------------

  ServiceResponse discovery(Call call) throws Refusal {
    Tenant tenant = engine.scope(call.param).tenant();
    if (tenant == null) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    String b = call.base();
    String tid = tenant.id().toString();
    Map<String, Object> join = new LinkedHashMap<>();
    join.put("JoinEndpoint", b + "/EnrollmentServer/device/");
    join.put("JoinResourceId", Engine.DRS_RESOURCE);
    join.put("ServiceVersion", "2.0");
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("KeyProvisionEndpoint", b + "/EnrollmentServer/key/");
    key.put("KeyProvisionResourceId", Engine.DRS_RESOURCE);
    key.put("ServiceVersion", "1.0");
    Map<String, Object> nonce = new LinkedHashMap<>();
    nonce.put("Endpoint", b + "/EnrollmentServer/nonce/" + tid + "/");
    nonce.put("ResourceId", Engine.DRS_RESOURCE);
    nonce.put("ServiceVersion", "1.0");
    Map<String, Object> oauth = new LinkedHashMap<>();
    oauth.put("AuthCodeEndpoint", b + "/" + tid + "/oauth2/authorize");
    oauth.put("TokenEndpoint", b + "/" + tid + "/oauth2/token");
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("OAuth2", oauth);
    Map<String, Object> tenantInfo = new LinkedHashMap<>();
    tenantInfo.put("TenantId", tid);
    tenantInfo.put("TenantName", tenant.domain());
    tenantInfo.put("DisplayName", tenant.displayName());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("DeviceJoinService", join);
    body.put("KeyProvisioningService", key);
    body.put("NonceService", nonce);
    body.put("AuthenticationService", auth);
    body.put("TenantInfo", tenantInfo);
    return engine.responses.json(200, body, call.traceId);
  }

  // ---- DRS nonce and JWKS -------------------------------------------------------------------------------

  ServiceResponse nonce(Call call) throws Refusal {
    engine.scope(call.param);
    return engine.responses.json(200, Map.of("Value", engine.nonces.issue()), call.traceId);
  }

  ServiceResponse jwks(Call call) throws Refusal {
    engine.scope(call.param);
    return engine.responses.json(200, Map.of("keys", List.of(engine.secrets.tokenKey().jwk())), call.traceId);
  }

  // ---- M2 join ------------------------------------------------------------------------------------------

  ServiceResponse join(Call call) throws Refusal {
    AccessTokens.Claims claims = engine.bearer(call, Engine.DRS_RESOURCE);
    User user = engine.user(claims.objectId()).orElseThrow(() -> new Refusal(ErrorKind.TOKEN_INVALID));
    if (!user.tenantId().equals(claims.tenantId())) {
      throw new Refusal(ErrorKind.TOKEN_INVALID);
    }
    if (!user.enabled()) {
      throw new Refusal(ErrorKind.USER_DISABLED);
    }
    JoinRequest request = parseJoin(call.body);
    UUID deviceId = UUID.randomUUID();
    Instant now = engine.clock.instant();
    byte[] certificate;
    try {
      certificate = engine.secrets.ca().issueDevice(
          request.spki, deviceId, user.objectId(), user.tenantId(), request.joinType == 0, now,
          engine.config.deviceCertificateValidity());
    } catch (GeneralSecurityException e) {
      log.warn("device certificate issuance failed (trace {})", call.traceId, e);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    String thumbprint = HexFormat.of().formatHex(Jca.sha256(certificate));
    Device device = new Device(
        deviceId, user.tenantId(), user.objectId(), request.displayName, request.deviceType, request.osVersion,
        request.joinType, certificate, thumbprint, request.transportKey, true, now);
    try {
      engine.store.createDevice(device, user.objectId().toString());
    } catch (StoreException e) {
      log.warn("device creation failed: {} (trace {})", e.getMessage(), call.traceId);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    Map<String, Object> cert = new LinkedHashMap<>();
    cert.put("Thumbprint", HexFormat.of().withUpperCase().formatHex(sha1(certificate)));
    cert.put("RawBody", Base64Strict.std(certificate));
    Map<String, Object> membership = new LinkedHashMap<>();
    membership.put("LocalSID", "S-1-5-32-544");
    membership.put("AddSIDs", List.of());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Certificate", cert);
    body.put("User", Map.of("Upn", user.upn()));
    body.put("MembershipChanges", List.of(membership));
    return engine.responses.json(200, body, call.traceId);
  }

  private static final class JoinRequest {
    final SubjectPublicKeyInfo spki;
    final byte[] transportKey;
    final String displayName;
    final String deviceType;
    final String osVersion;
    final int joinType;

    JoinRequest(
        SubjectPublicKeyInfo spki, byte[] transportKey, String displayName, String deviceType, String osVersion,
        int joinType) {
      this.spki = spki;
      this.transportKey = transportKey;
      this.displayName = displayName;
      this.deviceType = deviceType;
      this.osVersion = osVersion;
      this.joinType = joinType;
    }
  }

  private static JoinRequest parseJoin(byte[] body) throws Refusal {
    try {
      Map<String, Object> json = Json.parseObject(body);
      if (!JOIN_MEMBERS.containsAll(json.keySet())) {
        throw new Malformed("unknown member");
      }
      if (!(json.get("CertificateRequest") instanceof Map<?, ?> csrObject)) {
        throw new Malformed("CertificateRequest is not an object");
      }
      Map<String, Object> csr = stringKeys(csrObject);
      if (!Set.of("Type", "Data").containsAll(csr.keySet()) || !"pkcs10".equals(csr.get("Type"))) {
        throw new Malformed("CertificateRequest.Type is not pkcs10");
      }
      SubjectPublicKeyInfo spki = verifiedCsrKey(Base64Strict.decodeStd(Json.string(csr, "Data")));
      byte[] transportKey = Base64Strict.decodeStd(Json.string(json, "TransportKey"));
      try {
        Rsa1KeyBlob.decode(transportKey);
      } catch (NgcException e) {
        throw new Malformed("TransportKey is not an acceptable RSA1 blob");
      }
      String displayName = text(json, "DeviceDisplayName", true);
      String deviceType = text(json, "DeviceType", true);
      String osVersion = text(json, "OSVersion", true);
      text(json, "TargetDomain", false);
      text(json, "AikCertificate", false);
      text(json, "AttestationData", false);
      text(json, "PreAuthorizedJoinChallenge", false);
      if (!(json.get("JoinType") instanceof Long joinType) || (joinType != 0 && joinType != 4)) {
        throw new Malformed("JoinType must be 0 or 4");
      }
      int type = (int) (long) joinType;
      Object attributes = json.get("Attributes");
      if (attributes != null) {
        if (!(attributes instanceof Map<?, ?> map) || map.size() > 16) {
          throw new Malformed("Attributes is not a small object");
        }
        for (Object value : map.values()) {
          if (!(value instanceof String) && !(value instanceof Boolean)) {
            throw new Malformed("an attribute is not a string");
          }
        }
      }
      return new JoinRequest(spki, transportKey, displayName, deviceType, osVersion, type);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
  }

  private static String text(Map<String, Object> json, String name, boolean required) throws Malformed {
    String value = required ? Json.string(json, name) : Json.optString(json, name);
    if (value == null) {
      return "";
    }
    if (value.length() > MAX_TEXT) {
      throw new Malformed("a text member is too long");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new Malformed("a text member has control characters");
      }
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** Parses a PKCS#10 request, checks its SHA256withRSA signature and an RSA key of 2048 to 16384 bits. */
  private static SubjectPublicKeyInfo verifiedCsrKey(byte[] der) throws Malformed {
    try {
      PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
      if (!PKCSObjectIdentifiers.sha256WithRSAEncryption.equals(csr.getSignatureAlgorithm().getAlgorithm())) {
        throw new Malformed("the CSR is not signed SHA256withRSA");
      }
      SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
      if (!PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm())) {
        throw new Malformed("the CSR key is not RSA");
      }
      org.bouncycastle.asn1.pkcs.RSAPublicKey rsa =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey());
      BigInteger n = rsa.getModulus();
      BigInteger e = rsa.getPublicExponent();
      if (n.signum() <= 0 || n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS || !n.testBit(0)
          || !e.testBit(0) || e.compareTo(BigInteger.valueOf(65537)) < 0 || e.compareTo(n) >= 0) {
        throw new Malformed("the CSR key is not an acceptable RSA key");
      }
      boolean valid = csr.isSignatureValid(
          new JcaContentVerifierProviderBuilder().setProvider(Bc.provider()).build(spki));
      if (!valid) {
        throw new Malformed("the CSR signature is invalid");
      }
      return spki;
    } catch (IOException | PKCSException | OperatorCreationException | RuntimeException e) {
      throw new Malformed("the CSR does not parse or verify");
    }
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  // ---- M5 key registration --------------------------------------------------------------------------------

  ServiceResponse registerKey(Call call) throws Refusal {
    AccessTokens.Claims claims = engine.bearer(call, Engine.DRS_RESOURCE);
    if (!claims.amr().contains("ngcmfa") && !claims.amr().contains("mfa")) {
      throw new Refusal(ErrorKind.MFA_REQUIRED);
    }
    UUID deviceId = claims.deviceId();
    if (deviceId == null) {
      throw new Refusal(ErrorKind.DEVICE_REQUIRED);
    }
    User user = engine.user(claims.objectId()).orElseThrow(() -> new Refusal(ErrorKind.TOKEN_INVALID));
    if (!user.tenantId().equals(claims.tenantId())) {
      throw new Refusal(ErrorKind.TOKEN_INVALID);
    }
    if (!user.enabled()) {
      throw new Refusal(ErrorKind.USER_DISABLED);
    }
    Device device = engine.device(deviceId).orElseThrow(() -> new Refusal(ErrorKind.DEVICE_UNKNOWN));
    if (!device.tenantId().equals(user.tenantId())) {
      throw new Refusal(ErrorKind.DEVICE_UNKNOWN);
    }
    if (!device.enabled()) {
      throw new Refusal(ErrorKind.DEVICE_DISABLED);
    }
    Map<String, Object> json;
    byte[] blob;
    RSAPublicKey publicKey;
    try {
      json = Json.parseObject(call.body);
      if (!KEY_MEMBERS.containsAll(json.keySet())) {
        throw new Malformed("unknown member");
      }
      blob = Base64Strict.decodeStd(Json.string(json, "kngc"));
      publicKey = Rsa1KeyBlob.decode(blob);
    } catch (Malformed | NgcException e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    String keyIdentifier = Base64Strict.std(Jca.sha256(blob));
    String spki = Base64Strict.url(Jca.sha256(publicKey.getEncoded()));
    RegisteredKey existing = engine.storeRead(() -> engine.store.keyByIdentifier(keyIdentifier)).orElse(null);
    if (existing != null && (!existing.userId().equals(user.objectId()) || !existing.deviceId().equals(deviceId))) {
      throw new Refusal(ErrorKind.KEY_CONFLICT);
    }
    String attestation = attest(json.get("attestation"), publicKey);
    RegisteredKey key = new RegisteredKey(
        UUID.randomUUID(), user.objectId(), deviceId, keyIdentifier, spki, blob, attestation, engine.clock.instant());
    try {
      engine.store.registerKey(key, user.objectId().toString());
    } catch (StoreException e) {
      if (e.conflict()) {
        throw new Refusal(ErrorKind.KEY_CONFLICT);
      }
      log.warn("key registration failed: {} (trace {})", e.getMessage(), call.traceId);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kid", key.kid().toString());
    body.put("upn", user.upn());
    body.put("keyIdentifier", keyIdentifier);
    return engine.responses.json(200, body, call.traceId);
  }

  /** Applies the attestation policy; returns the outcome recorded with the key. */
  private String attest(@Nullable Object statementJson, RSAPublicKey publicKey) throws Refusal {
    AttestationPolicy policy = engine.config.attestationPolicy();
    if (policy == AttestationPolicy.IGNORED) {
      return "none";
    }
    AttestationVerifierHook hook = engine.attestationVerifier;
    if (statementJson == null || hook == null) {
      if (policy == AttestationPolicy.REQUIRED) {
        throw new Refusal(ErrorKind.ATTESTATION_INVALID, statementJson == null
            ? "the registration has no attestation statement" : "the service has no attestation verifier");
      }
      return "none";
    }
    AttestationStatement statement;
    String nonce;
    try {
      if (!(statementJson instanceof Map<?, ?> raw)) {
        throw new Malformed("attestation is not an object");
      }
      Map<String, Object> a = stringKeys(raw);
      if (!ATTESTATION_MEMBERS.containsAll(a.keySet())) {
        throw new Malformed("unknown attestation member");
      }
      if (!(a.get("x5c") instanceof List<?> chainJson) || chainJson.isEmpty() || chainJson.size() > MAX_CHAIN) {
        throw new Malformed("x5c is not a short non-empty array");
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (Object item : chainJson) {
        if (!(item instanceof String der)) {
          throw new Malformed("x5c holds a non-string");
        }
        chain.add(ServiceCa.certificate(Base64Strict.decodeStd(der)));
      }
      nonce = Json.string(a, "nonce");
      statement = new AttestationStatement(
          AttestationFormat.of(Json.string(a, "fmt")),
          chain,
          Bytes.of(Base64Strict.decodeStd(Json.string(a, "certInfo"))),
          Bytes.of(Base64Strict.decodeStd(Json.string(a, "pubArea"))),
          Bytes.of(Base64Strict.decodeStd(Json.string(a, "sig"))));
    } catch (Malformed e) {
      throw new Refusal(
          ErrorKind.ATTESTATION_INVALID, "the attestation object is malformed (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new Refusal(ErrorKind.ATTESTATION_INVALID, "an x5c entry is not a DER X.509 certificate");
    } catch (IllegalArgumentException e) {
      throw new Refusal(ErrorKind.ATTESTATION_INVALID, "the attestation format id is not valid");
    }
    engine.consumeNonce(nonce);
    Bytes qualifyingData = Bytes.of(Jca.sha256(nonce.getBytes(StandardCharsets.UTF_8)));
    try {
      hook.verify(statement, publicKey, qualifyingData);
    } catch (AttestationException e) {
      throw new Refusal(ErrorKind.ATTESTATION_INVALID, e.detail());
    } catch (RuntimeException e) {
      log.warn("the attestation verifier failed unexpectedly", e);
      throw new Refusal(ErrorKind.ATTESTATION_INVALID, "the attestation verifier failed");
    }
    return "verified:" + statement.format().id();
  }

  // ---- key withdrawal -------------------------------------------------------------------------------------

  ServiceResponse withdrawKey(Call call) throws Refusal {
    AccessTokens.Claims claims = engine.bearer(call, Engine.DRS_RESOURCE);
    User user = engine.user(claims.objectId()).orElseThrow(() -> new Refusal(ErrorKind.TOKEN_INVALID));
    if (!user.tenantId().equals(claims.tenantId())) {
      throw new Refusal(ErrorKind.TOKEN_INVALID);
    }
    try {
      if (Base64Strict.decodeUrl(call.param).length != 32) {
        throw new Malformed("not a key id");
      }
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    RegisteredKey key = engine.storeRead(() -> engine.store.keyBySpki(call.param))
        .orElseThrow(() -> new Refusal(ErrorKind.KEY_NOT_REGISTERED, 404));
    if (!key.userId().equals(user.objectId())) {
      throw new Refusal(ErrorKind.KEY_USER_MISMATCH);
    }
    try {
      engine.store.deleteKey(key.kid(), user.objectId().toString());
    } catch (StoreException e) {
      log.warn("key withdrawal failed: {} (trace {})", e.getMessage(), call.traceId);
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    return engine.responses.empty(204, call.traceId);
  }
}
