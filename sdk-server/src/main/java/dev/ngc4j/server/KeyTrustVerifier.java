package dev.ngc4j.server;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.KeyTrustException.Reason;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.keytrust.KeyTrustCertificate;
import dev.ngc4j.server.internal.keytrust.OwnerDn;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.internal.store.StoreException;
import dev.ngc4j.server.internal.util.Base64Strict;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The KDC side of PKINIT key trust on the service's directory (MS-PKCA 3.1.5.2.1.4): given the self-signed
 * certificate from a PKINIT request and the client name it asks for, finds the account <em>by the public key</em>
 * and accepts the logon only if it is the account the client name names.
 *
 * <p>The checks, in order (each refusal is a {@link KeyTrustException} whose reason maps to a Kerberos error):
 *
 * <ol>
 *   <li>the certificate: X.509 v3; never a CA (CA:TRUE or keyCertSign refused); keyUsage, if present, allows
 *       digitalSignature; an RSA key of at least 2048 bits; self-issued, and self-signed with sha256/384/512WithRSA
 *       or RSASSA-PSS (SHA-256/384/512) under its own key. Chain validation errors are ignored, as MS-PKCA says,
 *       so no chain is built;
 *   <li>the client name resolves to an account ({@code alice@contoso.example}, an enterprise name, as is; an
 *       account name {@code alice} as {@code alice@<realm in lower case>}), whose domain is the realm;
 *   <li>the account is enabled;
 *   <li>the key is registered: the lookup is by KeyID, SHA-256 of the key's BCRYPT_RSAPUBLIC_BLOB (the same hash
 *       the directory indexes every registered key by), then the registered modulus and exponent are compared
 *       with the certificate's exactly;
 *   <li>the key is registered to that same account ({@code KDC_ERR_CLIENT_NAME_MISMATCH} otherwise);
 *   <li>the key's device still exists and is enabled.
 * </ol>
 *
 * <p><b>Validity dates.</b> By default the certificate's notBefore/notAfter are <em>not</em> enforced: in
 * MS-PKCA's terms an out-of-date certificate is a chain validation error, which key trust ignores, and the
 * certificate is self-signed by the key holder, who can mint a new one at any moment, so its dates prove
 * nothing; the logon's freshness comes from the PKAuthenticator's time and nonce and from RFC 8070 freshness
 * tokens, which the PKINIT layer checks. {@link KeyTrustDecision#certificateTimeValid()} still reports them, and
 * {@link Builder#enforceCertificateValidity(boolean)} turns them into a refusal (with {@link Builder#clockSkew}).
 *
 * <p>Deleting a device deletes its keys, so a key of a deleted device is {@link Reason#KEY_NOT_REGISTERED}.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * KeyTrustVerifier verifier = KeyTrustVerifier.builder(service).build();
 * KeyTrustDecision decision = verifier.verify(certificate, "alice@contoso.example", "CONTOSO.EXAMPLE");
 * }</pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use; {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class KeyTrustVerifier {
  private final NgcService service;
  private final Clock clock;
  private final Duration clockSkew;
  private final boolean enforceValidity;

  private KeyTrustVerifier(Builder b) {
    this.service = b.service;
    Clock c = b.clock;
    this.clock = c != null ? c : b.service.engine().clock();
    this.clockSkew = b.clockSkew;
    this.enforceValidity = b.enforceValidity;
  }

  /**
   * Starts building a verifier on a service's directory.
   *
   * @param service the service whose registered keys are trusted; it must stay open while the verifier is used
   * @return a builder with the documented defaults
   * @since 0.1.0
   */
  public static Builder builder(NgcService service) {
    return new Builder(Objects.requireNonNull(service, "service"));
  }

  /**
   * Verifies a key-trust logon without a verified freshness token.
   *
   * @param certificate the certificate from the PKINIT request's SignedData
   * @param clientName the request's client name: a UPN (an NT-ENTERPRISE name such as
   *     {@code alice@contoso.example}) or an account name ({@code alice})
   * @param realm the request's realm, such as {@code CONTOSO.EXAMPLE}
   * @return the accepted logon
   * @throws KeyTrustException if it is refused (see the class description for the order of the checks)
   * @throws NgcException ({@link dev.ngc4j.api.ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public KeyTrustDecision verify(X509Certificate certificate, String clientName, String realm) throws NgcException {
    return verify(certificate, clientName, realm, false);
  }

  /**
   * Verifies a key-trust logon.
   *
   * @param certificate the certificate from the PKINIT request's SignedData
   * @param clientName the request's client name: a UPN (an NT-ENTERPRISE name such as
   *     {@code alice@contoso.example}) or an account name ({@code alice})
   * @param realm the request's realm, such as {@code CONTOSO.EXAMPLE}
   * @param freshnessVerified whether the caller's PKINIT layer verified an RFC 8070 freshness token in the request
   *     (it is passed through to {@link KeyTrustDecision#fresh()})
   * @return the accepted logon
   * @throws KeyTrustException if it is refused (see the class description for the order of the checks)
   * @throws NgcException ({@link dev.ngc4j.api.ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public KeyTrustDecision verify(
      X509Certificate certificate, String clientName, String realm, boolean freshnessVerified) throws NgcException {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(clientName, "clientName");
    Objects.requireNonNull(realm, "realm");
    KeyTrustCertificate.Checked checked =
        KeyTrustCertificate.check(certificate, clock.instant(), clockSkew, enforceValidity);
    DirectoryStore store = service.engine().store();
    try {
      String upn = upn(clientName, realm);
      User user = store.userByUpn(upn).orElseThrow(() -> new KeyTrustException(Reason.CLIENT_UNKNOWN,
          "no account has the name " + upn));
      Tenant tenant = store.tenant(user.tenantId()).orElseThrow(() -> new KeyTrustException(Reason.CLIENT_UNKNOWN,
          "the account " + upn + " has no tenant"));
      if (!tenant.domain().equalsIgnoreCase(realm)) {
        throw new KeyTrustException(Reason.WRONG_REALM, "the account " + upn + " is in the realm "
            + tenant.domain().toUpperCase(Locale.ROOT) + ", not " + realm);
      }
      if (!user.enabled()) {
        throw new KeyTrustException(Reason.USER_DISABLED, "the account " + upn + " is disabled");
      }
      RSAPublicKey presented = checked.key();
      RegisteredKey key = registeredKey(store, presented);
      if (!key.userId().equals(user.objectId())) {
        throw new KeyTrustException(Reason.CLIENT_NAME_MISMATCH, "the key is registered to another account than "
            + upn);
      }
      Device device = store.device(key.deviceId()).orElseThrow(() -> new KeyTrustException(Reason.DEVICE_UNKNOWN,
          "the key's device " + key.deviceId() + " is not in the directory"));
      if (!device.enabled()) {
        throw new KeyTrustException(Reason.DEVICE_DISABLED, "the key's device " + device.deviceId()
            + " is disabled");
      }
      return new KeyTrustDecision(NgcService.info(user), NgcService.info(device), NgcService.info(key),
          value(key, user, tenant), freshnessVerified, checked.timeValid());
    } catch (StoreException e) {
      throw NgcService.storage(e);
    }
  }

  /**
   * Returns the user's {@code msDS-KeyCredentialLink} values as an Active Directory would hold them: one per
   * registered key whose device exists and is enabled, oldest first, each a {@link KeyCredentialLink} with the
   * key's BCRYPT_RSAPUBLIC_BLOB, KeyUsage NGC, KeySource AD, the device id and the registration time as
   * KeyCreationTime, owned by {@code CN=<UPN>,CN=Users,DC=...} of the tenant's domain. No last-logon time is
   * kept, so that entry is absent.
   *
   * @param upn the user principal name, any case
   * @return the values (empty if the user does not exist or has no such key)
   * @throws NgcException ({@link dev.ngc4j.api.ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public List<KeyCredentialLinkValue> keyCredentialLinks(String upn) throws NgcException {
    Objects.requireNonNull(upn, "upn");
    DirectoryStore store = service.engine().store();
    try {
      Optional<User> user = store.userByUpn(upn.toLowerCase(Locale.ROOT));
      if (user.isEmpty()) {
        return List.of();
      }
      Optional<Tenant> tenant = store.tenant(user.get().tenantId());
      if (tenant.isEmpty()) {
        return List.of();
      }
      List<KeyCredentialLinkValue> values = new ArrayList<>();
      for (RegisteredKey key : store.keysOfUser(user.get().objectId())) {
        Optional<Device> device = store.device(key.deviceId());
        if (device.isPresent() && device.get().enabled()) {
          values.add(value(key, user.get(), tenant.get()));
        }
      }
      return List.copyOf(values);
    } catch (StoreException e) {
      throw NgcService.storage(e);
    }
  }

  /** The registered key with the presented public key: KeyID lookup, then an exact modulus and exponent compare. */
  private static RegisteredKey registeredKey(DirectoryStore store, RSAPublicKey presented)
      throws KeyTrustException, StoreException {
    byte[] keyMaterial;
    try {
      keyMaterial = Rsa1KeyBlob.encode(presented);
    } catch (NgcException e) {
      throw new KeyTrustException(Reason.KEY_NOT_REGISTERED, "no key of this size or exponent can be registered");
    }
    byte[] keyId = Jca.sha256(keyMaterial);
    String shortId = Bytes.of(keyId).toBase64Url().substring(0, 12);
    RegisteredKey key = store.keyByIdentifier(Base64Strict.std(keyId)).orElseThrow(() -> new KeyTrustException(
        Reason.KEY_NOT_REGISTERED, "no registered key has the KeyID " + shortId + "..."));
    RSAPublicKey registered;
    try {
      registered = Rsa1KeyBlob.decode(key.keyMaterial());
    } catch (NgcException e) {
      throw new KeyTrustException(Reason.KEY_NOT_REGISTERED, "the key registered with the KeyID " + shortId
          + "... does not decode");
    }
    if (!registered.getModulus().equals(presented.getModulus())
        || !registered.getPublicExponent().equals(presented.getPublicExponent())) {
      throw new KeyTrustException(Reason.KEY_NOT_REGISTERED, "the key registered with the KeyID " + shortId
          + "... is not the certificate's key");
    }
    return key;
  }

  private static KeyCredentialLinkValue value(RegisteredKey key, User user, Tenant tenant) {
    KeyCredentialLink link = KeyCredentialLink.builder(Bytes.of(key.keyMaterial()))
        .keyUsage(KeyCredentialLink.KEY_USAGE_NGC)
        .keySource(true)
        .deviceId(key.deviceId())
        .creationTime(key.created())
        .build();
    return new KeyCredentialLinkValue(link, OwnerDn.of(user.upn(), tenant.domain()));
  }

  /** The UPN a client name names: an enterprise name as is, an account name in the realm's domain. */
  private static String upn(String clientName, String realm) throws KeyTrustException {
    if (clientName.isEmpty() || realm.isEmpty() || clientName.indexOf('/') >= 0) {
      throw new KeyTrustException(Reason.CLIENT_UNKNOWN, "the client name \"" + clientName + "\" in realm \"" + realm
          + "\" does not name a user account");
    }
    String name = clientName.indexOf('@') >= 0 ? clientName : clientName + "@" + realm;
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * Builds a {@link KeyTrustVerifier}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final NgcService service;
    private @Nullable Clock clock;
    private Duration clockSkew = Duration.ofMinutes(5);
    private boolean enforceValidity;

    private Builder(NgcService service) {
      this.service = service;
    }

    /**
     * Sets the clock for the certificate's validity. Default: the service's clock.
     *
     * @param clock the clock
     * @return this builder
     * @since 0.1.0
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how far outside its validity period a certificate still counts as time-valid. Default 5 minutes (the
     * usual Kerberos clock skew).
     *
     * @param skew 0 to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("the clock skew must be between 0 and 1 hour");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Sets whether a certificate outside its validity period (give or take the clock skew) is refused with
     * {@link Reason#CERTIFICATE_VALIDITY}. Default false: MS-PKCA ignores chain validation errors for key trust,
     * and a self-signed certificate's dates prove nothing (see the class description).
     *
     * @param enforce whether to refuse such certificates
     * @return this builder
     * @since 0.1.0
     */
    public Builder enforceCertificateValidity(boolean enforce) {
      this.enforceValidity = enforce;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     * @since 0.1.0
     */
    public KeyTrustVerifier build() {
      return new KeyTrustVerifier(this);
    }
  }
}
