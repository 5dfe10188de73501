package dev.ngc4j.examples;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenSource} for the ngc4j service's <em>test identity source</em> (the password grant that {@code
 * sdk-server} offers when it is started with it enabled): the stand-in for the web sign-in with MFA that a real
 * application runs against its identity provider. It is demo and test code, not an identity provider client.
 *
 * <p>Each user's password and static MFA code are held as {@code char[]} and zeroed by {@link #forget}; they
 * necessarily become a {@code String} in the form body of each request.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class TestIdentityTokens implements TokenSource {
  /** Supplies the device's {@code x-ms-DeviceCredential} JWT, so that the token carries the device id. */
  @FunctionalInterface
  public interface DeviceCredential {
    /**
     * Makes a fresh device credential.
     *
     * @return the JWT
     * @throws NgcException if the device cannot sign
     */
    String get() throws NgcException;
  }

  @SuppressWarnings("ArrayRecordComponent") // the secrets stay mutable char[] so forget() can zero them; never compared
  private record Secrets(char[] password, char @Nullable [] mfaCode) {}

  private final URI tokenEndpoint;
  private final HttpClient http;
  private final Map<UserPrincipal, Secrets> users = new ConcurrentHashMap<>();
  private volatile @Nullable DeviceCredential deviceCredential;

  /**
   * Creates the token source.
   *
   * @param base the service's base URL
   * @param tenant the tenant id or domain
   * @param ssl trust for the service's certificate
   */
  public TestIdentityTokens(URI base, String tenant, SSLContext ssl) {
    this.tokenEndpoint = base.resolve("/" + tenant + "/oauth2/token");
    this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Adds a user's secrets (copied).
   *
   * @param user the user
   * @param password the password
   * @param mfaCode the MFA code, or null to get tokens without an MFA claim
   */
  public void add(UserPrincipal user, char[] password, char @Nullable [] mfaCode) {
    users.put(user, new Secrets(password.clone(), mfaCode == null ? null : mfaCode.clone()));
  }

  /**
   * Zeroes and forgets the user's secrets.
   *
   * @param user the user
   */
  public void forget(UserPrincipal user) {
    Secrets s = users.remove(user);
    if (s != null) {
      Arrays.fill(s.password(), '\0');
      if (s.mfaCode() != null) {
        Arrays.fill(s.mfaCode(), '\0');
      }
    }
  }

  /**
   * Makes later {@link #token} calls prove the device too (their tokens then carry {@code deviceid}).
   *
   * @param credential the device credential supplier
   */
  public void proveDevice(DeviceCredential credential) {
    this.deviceCredential = Objects.requireNonNull(credential, "credential");
  }

  /**
   * Signs the user in with password and MFA code (when known) and, after {@link #proveDevice}, the device.
   *
   * @param user the user
   * @return the access token for the registration service
   * @throws NgcException {@code CLOUD_ERROR} when the service refuses
   */
  @Override
  public AccessToken token(UserPrincipal user) throws NgcException {
    DeviceCredential dc = deviceCredential;
    return token(user, true, dc == null ? null : dc.get());
  }

  /**
   * Signs the user in with the password only: no MFA claim, no device.
   *
   * @param user the user
   * @return the token
   * @throws NgcException {@code CLOUD_ERROR} when the service refuses
   */
  public AccessToken passwordOnly(UserPrincipal user) throws NgcException {
    return token(user, false, null);
  }

  private AccessToken token(UserPrincipal user, boolean withMfa, @Nullable String device) throws NgcException {
    Secrets s = users.get(user);
    if (s == null) {
      throw new NgcException(ErrorCode.MFA_REQUIRED, "No test identity secrets for " + user,
          "add the user with TestIdentityTokens.add(...)", null);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", user.upn());
    form.put("password", CharBuffer.wrap(s.password()).toString());
    if (withMfa && s.mfaCode() != null) {
      form.put("mfa_code", CharBuffer.wrap(s.mfaCode()).toString());
    }
    if (device != null) {
      form.put("device_credential", device);
    }
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new NgcException(ErrorCode.CLOUD_ERROR, "The test identity source at " + tokenEndpoint
          + " did not answer", "start the service with the test identity source enabled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while signing in " + user, e);
    }
    try {
      if (response.statusCode() != 200) {
        Object desc = com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()).get("error_description");
        throw new NgcException(ErrorCode.CLOUD_ERROR, "The test identity source refused " + user + ": HTTP "
            + response.statusCode() + " " + desc, "check the user's password and MFA code", null);
      }
      String jwt = com.nimbusds.jose.util.JSONObjectUtils.getString(
          com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()), "access_token");
      JWTClaimsSet claims = SignedJWT.parse(Objects.requireNonNull(jwt, "access_token")).getJWTClaimsSet();
      List<String> amr = claims.getStringListClaim("amr");
      Set<String> methods = amr == null ? Set.of() : new HashSet<>(amr);
      return AccessToken.of(jwt, UserPrincipal.of(claims.getStringClaim("upn")), methods,
          Objects.requireNonNull(claims.getExpirationTime(), "exp").toInstant());
    } catch (ParseException | RuntimeException e) {
      throw new NgcException(ErrorCode.CLOUD_ERROR, "The test identity source's answer could not be read", e);
    }
  }
}
