package dev.ngc4j.server.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.core.internal.cloud.DerivedKeyJwe;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.core.internal.cloud.StrictJwe;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.ServiceRequest;
import dev.ngc4j.server.ServiceResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A hand-built client of the service's wire protocol for tests: CSRs, RSA1 blobs, device- and key-signed JWTs,
 * session-key signed requests, over real HTTP or straight into {@link NgcService#handle}.
 */
public final class WireClient {
  public static final String DRS = "urn:ms-drs:enterpriseregistration.windows.net";
  public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  public static final String BROKER = "38aa3b87-a06d-4817-b275-7a316988d93b";
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Encoder STD = Base64.getEncoder();

  /** A response: status, headers (lower-case names), body text. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    /** Parses the body as a JSON object. */
    public Map<String, Object> json() {
      try {
        return JSONObjectUtils.parse(body);
      } catch (ParseException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /** Returns a header. */
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Returns a string member of the JSON body. */
    public String string(String name) {
      return str(json(), name);
    }

    /** Returns the member at a path of nested objects, which must exist. */
    public Object at(String... path) {
      return WireClient.at(json(), path);
    }
  }

  /** Returns the member at a path of nested objects, which must exist. */
  public static Object at(Map<?, ?> object, String... path) {
    Object current = object;
    for (String name : path) {
      if (!(current instanceof Map<?, ?> map) || map.get(name) == null) {
        throw new AssertionError("no member " + String.join(".", path) + " in " + object);
      }
      current = map.get(name);
    }
    if (current == null) {
      throw new AssertionError("no member " + String.join(".", path));
    }
    return current;
  }

  /** Returns a string member. */
  public static String str(Map<?, ?> object, String... path) {
    Object v = at(object, path);
    if (!(v instanceof String s)) {
      throw new AssertionError("member " + String.join(".", path) + " is not a string");
    }
    return s;
  }

  /** How requests reach the service. */
  public interface Transport {
    Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) throws Exception;
  }

  /** Over HTTP(S) with java.net.http. */
  public static Transport http(URI base, HttpClient client) {
    return (method, pathAndQuery, headers, body) -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
          .method(method, body.length == 0 && !method.equals("POST")
              ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(b::header);
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, List<String>> h = new TreeMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
      return new Response(r.statusCode(), h, r.body());
    };
  }

  /** Straight into the service (no socket). */
  public static Transport direct(NgcService service, URI base) {
    return (method, pathAndQuery, headers, body) -> {
      int q = pathAndQuery.indexOf('?');
      ServiceRequest.Builder b = ServiceRequest.builder(base, method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q))
          .rawQuery(q < 0 ? null : pathAndQuery.substring(q + 1)).body(body);
      headers.forEach(b::header);
      ServiceResponse r = service.handle(b.build());
      Map<String, List<String>> h = new TreeMap<>();
      r.headers().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
      return new Response(r.status(), h, r.bodyText());
    };
  }

  /** A joined device as the client holds it. */
  public static final class Device {
    public final UUID id;
    public final KeyPair deviceKey;
    public final KeyPair transportKey;
    public final byte[] certificate;

    Device(UUID id, KeyPair deviceKey, KeyPair transportKey, byte[] certificate) {
      this.id = id;
      this.deviceKey = deviceKey;
      this.transportKey = transportKey;
      this.certificate = certificate;
    }
  }

  private final Transport transport;
  private final Clock clock;

  public WireClient(Transport transport, Clock clock) {
    this.transport = transport;
    this.clock = clock;
  }

  // ---- raw ------------------------------------------------------------------------------------------------

  public Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    try {
      return transport.send(method, pathAndQuery, headers, body);
    } catch (Exception e) {
      throw new AssertionError("transport failed", e);
    }
  }

  public Response get(String pathAndQuery, Map<String, String> headers) {
    return send("GET", pathAndQuery, headers, new byte[0]);
  }

  public Response form(String path, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(enc(k)).append('=').append(enc(v));
    });
    return send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  public Response json(String method, String path, @Nullable String bearer, String json) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    if (bearer != null) {
      headers.put("Authorization", "Bearer " + bearer);
    }
    return send(method, path, headers, json.getBytes(StandardCharsets.UTF_8));
  }

  // ---- tokens ---------------------------------------------------------------------------------------------

  public Response passwordGrant(
      String tenant, String upn, String password, @Nullable String mfa, @Nullable String deviceCredential) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "password");
    f.put("username", upn);
    f.put("password", password);
    if (mfa != null) {
      f.put("mfa_code", mfa);
    }
    if (deviceCredential != null) {
      f.put("device_credential", deviceCredential);
    }
    return form("/" + tenant + "/oauth2/token", f);
  }

  public String accessToken(String tenant, String upn, String password, @Nullable String mfa) {
    Response r = passwordGrant(tenant, upn, password, mfa, null);
    assertEquals(200, r.status(), r.body());
    return r.string("access_token");
  }

  /** An access token with MFA and the device's id (the device credential flow of the test identity source). */
  public String deviceToken(String tenant, String upn, String password, String mfa, Device device) {
    Response r = passwordGrant(tenant, upn, password, mfa, deviceCredential(device, nonce(tenant)));
    assertEquals(200, r.status(), r.body());
    return r.string("access_token");
  }

  public String deviceCredential(Device device, String nonce) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5c", STD.encodeToString(device.certificate));
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("grant_type", "device_auth");
    payload.put("iss", "aad:brokerplugin");
    payload.put("request_nonce", nonce);
    return rs256(header, payload, device.deviceKey.getPrivate());
  }

  public String nonce(String tenant) {
    Response r = form("/" + tenant + "/oauth2/token", Map.of("grant_type", "srv_challenge"));
    assertEquals(200, r.status(), r.body());
    return r.string("Nonce");
  }

  // ---- join and registration ------------------------------------------------------------------------------

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] csr(KeyPair key) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(
              new X500Name("CN=7E980AD9-B86D-4306-9425-9AC066FB014A"), key.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(key.getPrivate()))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] rsa1(KeyPair key) {
    try {
      return Rsa1KeyBlob.encode((RSAPublicKey) key.getPublic());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Object> joinBody(KeyPair device, KeyPair transport, int joinType) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("CertificateRequest", Map.of("Type", "pkcs10", "Data", STD.encodeToString(csr(device))));
    body.put("TransportKey", STD.encodeToString(rsa1(transport)));
    body.put("TargetDomain", "contoso.example");
    body.put("DeviceType", "Linux");
    body.put("OSVersion", "6.1");
    body.put("DeviceDisplayName", "TEST-DEVICE");
    body.put("JoinType", joinType);
    body.put("Attributes", Map.of("ReuseDevice", "true", "ReturnClientSid", "true"));
    return body;
  }

  public Response joinRaw(@Nullable String token, Map<String, Object> body) {
    return json("POST", "/EnrollmentServer/device/?api-version=2.0", token, JSONObjectUtils.toJSONString(body));
  }

  public Device join(String token, KeyPair deviceKey, KeyPair transportKey) {
    Response r = joinRaw(token, joinBody(deviceKey, transportKey, 0));
    assertEquals(200, r.status(), r.body());
    byte[] der = Base64.getDecoder().decode(str(r.json(), "Certificate", "RawBody"));
    X509Certificate x509 = certificate(der);
    UUID id = UUID.fromString(x509.getSubjectX500Principal().getName().substring(3));
    return new Device(id, deviceKey, transportKey, der);
  }

  public Device join(String token) {
    KeyPair key = rsa();
    return join(token, key, key);
  }

  public Response registerKey(String token, KeyPair whfb) {
    return registerKey(token, Map.of("kngc", STD.encodeToString(rsa1(whfb))));
  }

  public Response registerKey(String token, Map<String, Object> body) {
    return json("POST", "/EnrollmentServer/key/?api-version=1.0", token, JSONObjectUtils.toJSONString(body));
  }

  public static String keyIdentifier(KeyPair whfb) {
    return STD.encodeToString(sha256(rsa1(whfb)));
  }

  public static String keyId(KeyPair whfb) {
    return URL.encodeToString(sha256(whfb.getPublic().getEncoded()));
  }

  // ---- sign-in --------------------------------------------------------------------------------------------

  /** A PRT request under construction; tests change the maps or keys before {@link #send}. */
  public final class SignIn {
    public final Map<String, Object> outerHeader = new LinkedHashMap<>();
    public final Map<String, Object> outerPayload = new LinkedHashMap<>();
    public final Map<String, Object> innerHeader = new LinkedHashMap<>();
    public final Map<String, Object> innerPayload = new LinkedHashMap<>();
    public PrivateKey outerKey;
    public PrivateKey innerKey;
    public final Map<String, String> form = new LinkedHashMap<>();
    public boolean includeAssertion = true;

    SignIn(Device device, KeyPair whfb, String upn, String outerNonce, String innerNonce) {
      long now = clock.instant().getEpochSecond();
      outerHeader.put("alg", "RS256");
      outerHeader.put("typ", "JWT");
      outerHeader.put("x5c", STD.encodeToString(device.certificate));
      outerHeader.put("kdf_ver", 2);
      innerHeader.put("typ", "JWT");
      innerHeader.put("alg", "RS256");
      innerHeader.put("kid", keyIdentifier(whfb));
      innerHeader.put("use", "ngc");
      innerPayload.put("iss", upn);
      innerPayload.put("aud", "common");
      innerPayload.put("iat", now);
      innerPayload.put("exp", now + 300);
      innerPayload.put("request_nonce", innerNonce);
      innerPayload.put("scope", "openid aza ugs");
      outerPayload.put("client_id", BROKER);
      outerPayload.put("request_nonce", outerNonce);
      outerPayload.put("scope", "openid aza ugs");
      outerPayload.put("grant_type", JWT_BEARER);
      outerPayload.put("win_ver", "10.0.19041.868");
      outerPayload.put("group_sids", List.of());
      outerKey = device.deviceKey.getPrivate();
      innerKey = whfb.getPrivate();
      form.put("windows_api_version", "2.0");
      form.put("grant_type", JWT_BEARER);
      form.put("client_info", "1");
    }

    public String assertion() {
      return rs256(innerHeader, innerPayload, innerKey);
    }

    public String request() {
      Map<String, Object> payload = new LinkedHashMap<>(outerPayload);
      if (includeAssertion && !payload.containsKey("assertion")) {
        payload.put("assertion", assertion());
      }
      return rs256(outerHeader, payload, outerKey);
    }

    public Response send(String tenant) {
      Map<String, String> f = new LinkedHashMap<>(form);
      f.put("request", request());
      return form("/" + tenant + "/oauth2/token", f);
    }
  }

  public SignIn signIn(Device device, KeyPair whfb, String upn, String outerNonce, String innerNonce) {
    return new SignIn(device, whfb, upn, outerNonce, innerNonce);
  }

  /** A successful sign-in's PRT and session key. */
  public static final class Session {
    private final String prt;
    private final byte[] sessionKey;
    private final Map<String, Object> response;

    Session(String prt, byte[] sessionKey, Map<String, Object> response) {
      this.prt = prt;
      this.sessionKey = sessionKey.clone();
      this.response = response;
    }

    public String prt() {
      return prt;
    }

    public byte[] sessionKey() {
      return sessionKey.clone();
    }

    public Map<String, Object> response() {
      return response;
    }
  }

  public Session signInOk(String tenant, Device device, KeyPair whfb, String upn) {
    Response r = signIn(device, whfb, upn, nonce(tenant), nonce(tenant)).send(tenant);
    assertEquals(200, r.status(), r.body());
    Map<String, Object> json = r.json();
    return new Session(str(json, "refresh_token"), sessionKey(str(json, "session_key_jwe"), device.transportKey),
        json);
  }

  public static byte[] sessionKey(String sessionKeyJwe, KeyPair transport) {
    try {
      return StrictJwe.decrypt(sessionKeyJwe, transport.getPrivate(), StrictJwe.KeyAlgorithm.RSA_OAEP).contentKey();
    } catch (Exception e) {
      throw new AssertionError("session_key_jwe does not decrypt", e);
    }
  }

  // ---- session-key signed requests ------------------------------------------------------------------------

  public static Map<String, Object> renewalPayload(String prt, String nonce) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("client_id", BROKER);
    p.put("request_nonce", nonce);
    p.put("scope", "openid aza ugs");
    p.put("iss", "aad:brokerplugin");
    p.put("grant_type", "refresh_token");
    p.put("refresh_token", prt);
    p.put("previous_refresh_token", prt);
    p.put("group_sids", List.of());
    p.put("win_ver", "10.0.19041.868");
    return p;
  }

  public Response renew(String tenant, String signedRequest) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("windows_api_version", "2.2");
    f.put("grant_type", JWT_BEARER);
    f.put("request", signedRequest);
    f.put("client_info", "1");
    return form("/" + tenant + "/oauth2/token", f);
  }

  public static String hs256(Map<String, Object> payload, byte[] sessionKey, DerivedKeyJws.KdfVersion version) {
    return DerivedKeyJws.sign(JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8), sessionKey,
        version);
  }

  public static Map<String, Object> decryptRenewal(String body, byte[] sessionKey, boolean allowCbc) {
    try {
      return JSONObjectUtils.parse(new String(DerivedKeyJwe.decrypt(body, sessionKey, allowCbc),
          StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("renewal response does not decrypt", e);
    }
  }

  public static String cookie(String prt, String nonce, byte[] sessionKey) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("refresh_token", prt);
    p.put("is_primary", "true");
    p.put("request_nonce", nonce);
    return hs256(p, sessionKey, DerivedKeyJws.KdfVersion.V2);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  public static String rs256(Map<String, Object> header, Map<String, Object> payload, PrivateKey key) {
    String input = URL.encodeToString(JSONObjectUtils.toJSONString(header).getBytes(StandardCharsets.UTF_8)) + "."
        + URL.encodeToString(JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + URL.encodeToString(s.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims of a JWT, unverified. */
  public static Map<String, Object> claims(String jwt) {
    try {
      String[] parts = jwt.split("\\.", -1);
      return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  public static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add((String) o);
    }
    return out;
  }
}
