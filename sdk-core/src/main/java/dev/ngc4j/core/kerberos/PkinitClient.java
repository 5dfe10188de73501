package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.Credential;
import dev.ngc4j.core.internal.krb.crypto.EncType;
import dev.ngc4j.core.internal.krb.pkinit.DhGroup;
import dev.ngc4j.core.internal.krb.pkinit.KdcCertificateValidator;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KerberosPreauth;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Kerberos PKINIT client: signs in to a KDC (an Active Directory domain controller, MIT or Heimdal) with a
 * credential's key, in key trust (a self-signed certificate around the key; the KDC finds the key in the directory)
 * or certificate trust (a CA-issued logon certificate for the key), and returns a TGT that can be written to an MIT
 * credential cache or used for service tickets.
 *
 * <pre>{@code
 * PkinitClient kerberos = PkinitClient.builder()
 *     .kdcValidation(KdcValidation.builder().trustAnchors(List.of(enterpriseRoot)).kdcDnsNames("contoso.com").build())
 *     .build();                                        // KDCs found through DNS SRV (_kerberos._tcp.contoso.com)
 * try (KerberosTgt tgt = kerberos.signIn(credential, PkinitMode.KEY_TRUST, gestures)) {
 *   tgt.writeCredentialCache(Path.of("/tmp/krb5cc_" + uid));
 * }
 * }</pre>
 *
 * <p>What it does, and checks, is described step by step in the module documentation: DH with MODP group 14 by
 * default (4096-bit on request, and on the KDC's TD-DH-PARAMETERS), RFC 8636 KDFs (SHA-256 first), RFC 8070
 * freshness tokens when the KDC offers them, CMS SignedData made through the key container (one gesture per
 * exchange), and on the reply: the KDC's signature, its certificate ({@link KdcValidation}), both nonces, the reply
 * key, and the names. Messages go over TCP; the KDCs are tried in order until the deadline.
 *
 * <p>Thread safety: immutable and safe for concurrent use; exchanges run in parallel.
 *
 * @since 0.1.0
 */
public final class PkinitClient implements KerberosPreauth {
  private final KdcValidation validation;
  private final KdcCertificateValidator validator;
  private final KdcChannel channel;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration timeout;
  private final Duration ticketLifetime;
  private final Duration renewableLifetime;
  private final Duration keyTrustValidity;
  private final DhGroup dhGroup;
  private final List<EncType> encTypes;

  private PkinitClient(Builder builder, KdcValidation validation) {
    this.validation = validation;
    this.clock = builder.clock;
    this.random = builder.random == null ? new SecureRandom() : builder.random;
    this.validator = validation.validator(clock);
    this.timeout = builder.timeout;
    this.ticketLifetime = builder.ticketLifetime;
    this.renewableLifetime = builder.renewableLifetime;
    this.keyTrustValidity = builder.keyTrustValidity;
    this.dhGroup = builder.dhGroup;
    this.encTypes = List.of(
        EncType.AES256_CTS_HMAC_SHA1_96, EncType.AES128_CTS_HMAC_SHA1_96,
        EncType.AES256_CTS_HMAC_SHA384_192, EncType.AES128_CTS_HMAC_SHA256_128);
    this.channel = builder.channel != null
        ? builder.channel
        : new TcpKdcChannel(Map.copyOf(builder.kdcs), builder.dnsServer, builder.useDns);
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs in with a credential: the UPN's domain (upper case) is the realm, the KDCs are the configured ones for that
   * realm or those DNS names.
   *
   * @param credential the user's credential
   * @param mode {@link PkinitMode#KEY_TRUST}; for certificate trust use {@link #asExchange} with the certificate
   * @param gestures where the PIN or biometric comes from
   * @return the TGT
   * @throws NgcException a {@link dev.ngc4j.api.KerberosPreauthException} naming what failed (see the error
   *     codes: {@code KDC_UNREACHABLE}, {@code KDC_NOT_PKINIT_CAPABLE}, {@code KDC_NOT_TRUSTED},
   *     {@code KDC_REPLY_INVALID}, {@code CLIENT_NOT_TRUSTED}, {@code PRINCIPAL_MISMATCH}, {@code PRINCIPAL_UNKNOWN},
   *     {@code CLOCK_SKEW}, {@code WRONG_REALM}, {@code KERBEROS_ERROR}), or a gesture error
   */
  public KerberosTgt signIn(Credential credential, PkinitMode mode, GestureSource gestures) throws NgcException {
    return asExchange(PkinitRequest.of(credential.user(), mode), credential.container(), gestures);
  }

  @Override
  public KerberosTgt asExchange(PkinitRequest request, KeyContainer container, GestureSource gestures)
      throws NgcException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(gestures, "gestures");
    if (!container.user().equals(request.client())) {
      throw new IllegalArgumentException(
          "the container belongs to " + container.user() + ", not to " + request.client());
    }
    IssuedTicket tgt = new AsExchange(this, request, container).run(gestures);
    return new KerberosTgt(tgt, request.kdcs());
  }

  /**
   * Gets a service ticket with a TGT (a TGS exchange with the KDC that issued it).
   *
   * @param tgt the TGT
   * @param service the service principal without realm, for example {@code host/server.contoso.com} or
   *     {@code HTTP/web.contoso.com}
   * @return the service ticket
   * @throws NgcException {@code KDC_UNREACHABLE}, {@code KDC_REPLY_INVALID}, or the KDC's error (for example
   *     {@code KERBEROS_ERROR} with KDC_ERR_S_PRINCIPAL_UNKNOWN)
   */
  public ServiceTicket serviceTicket(KerberosTgt tgt, String service) throws NgcException {
    Objects.requireNonNull(tgt, "tgt");
    if (service.isBlank() || service.contains("@")) {
      throw new IllegalArgumentException("the service must be a principal name without realm, e.g. host/server");
    }
    return new ServiceTicket(TgsExchange.run(this, tgt.issued(), tgt.kdcs(), service));
  }

  KdcChannel channel() {
    return channel;
  }

  Clock clock() {
    return clock;
  }

  SecureRandom random() {
    return random;
  }

  Duration timeout() {
    return timeout;
  }

  Duration ticketLifetime() {
    return ticketLifetime;
  }

  Duration renewableLifetime() {
    return renewableLifetime;
  }

  Duration keyTrustValidity() {
    return keyTrustValidity;
  }

  Duration clockSkew() {
    return validation.clockSkew();
  }

  DhGroup dhGroup() {
    return dhGroup;
  }

  List<EncType> encTypes() {
    return encTypes;
  }

  KdcCertificateValidator validator() {
    return validator;
  }

  /** Builds a {@link PkinitClient}. Not thread-safe. */
  public static final class Builder {
    private @Nullable KdcValidation validation;
    private final Map<String, List<InetSocketAddress>> kdcs = new HashMap<>();
    private @Nullable URI dnsServer;
    private boolean useDns = true;
    private Clock clock = Clock.systemUTC();
    private @Nullable SecureRandom random;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration ticketLifetime = Duration.ofHours(10);
    private Duration renewableLifetime = Duration.ofDays(7);
    private Duration keyTrustValidity = Duration.ofHours(1);
    private DhGroup dhGroup = DhGroup.MODP_2048;
    private @Nullable KdcChannel channel;

    private Builder() {}

    /**
     * Sets how the KDC's certificate is validated. Required.
     *
     * @param kdcValidation the policy
     * @return this builder
     */
    public Builder kdcValidation(KdcValidation kdcValidation) {
      this.validation = Objects.requireNonNull(kdcValidation, "kdcValidation");
      return this;
    }

    /**
     * Names the KDCs of a realm, tried in order (TCP); they take precedence over DNS.
     *
     * @param realm the realm, any case
     * @param addresses the KDCs
     * @return this builder
     */
    public Builder kdcs(String realm, List<InetSocketAddress> addresses) {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("give at least one KDC address for " + realm);
      }
      kdcs.put(realm.toUpperCase(Locale.ROOT), List.copyOf(addresses));
      return this;
    }

    /**
     * Sets the DNS server used for the {@code _kerberos._tcp} SRV lookups (the system's resolver by default).
     *
     * @param server a {@code dns://host:port} URI
     * @return this builder
     */
    public Builder dnsServer(URI server) {
      if (!"dns".equals(server.getScheme())) {
        throw new IllegalArgumentException("the DNS server must be a dns://host[:port] URI");
      }
      this.dnsServer = server;
      return this;
    }

    /**
     * Sets whether KDCs of realms without configured addresses are located through DNS SRV records (on by
     * default).
     *
     * @param enabled whether to use DNS
     * @return this builder
     */
    public Builder useDns(boolean enabled) {
      this.useDns = enabled;
      return this;
    }

    /**
     * Sets the deadline of one exchange, over all KDCs tried (10 s by default).
     *
     * @param limit the deadline
     * @return this builder
     */
    public Builder timeout(Duration limit) {
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive");
      }
      this.timeout = limit;
      return this;
    }

    /**
     * Sets the ticket lifetime asked for (10 hours by default; the KDC may shorten it).
     *
     * @param lifetime the lifetime
     * @return this builder
     */
    public Builder ticketLifetime(Duration lifetime) {
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("the ticket lifetime must be positive");
      }
      this.ticketLifetime = lifetime;
      return this;
    }

    /**
     * Sets how long a fresh key-trust certificate is valid (1 hour by default; it is made for each exchange unless
     * the request carries one).
     *
     * @param validity the validity
     * @return this builder
     */
    public Builder keyTrustValidity(Duration validity) {
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("the key-trust certificate validity must be positive");
      }
      this.keyTrustValidity = validity;
      return this;
    }

    /**
     * Sets the Diffie-Hellman modulus size offered first: 2048 (RFC 3526 group 14, the default) or 4096 (group
     * 16).
     *
     * @param bits 2048 or 4096
     * @return this builder
     */
    public Builder dhModulusBits(int bits) {
      this.dhGroup = switch (bits) {
        case 2048 -> DhGroup.MODP_2048;
        case 4096 -> DhGroup.MODP_4096;
        default -> throw new IllegalArgumentException("the DH modulus must be 2048 or 4096 bits, not " + bits);
      };
      return this;
    }

    /**
     * Sets the clock (for tests; the system UTC clock by default).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the randomness (a new {@link SecureRandom} by default).
     *
     * @param value the randomness
     * @return this builder
     */
    public Builder random(SecureRandom value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    Builder channel(KdcChannel value) {
      this.channel = value;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     * @throws IllegalStateException when no {@link KdcValidation} was set
     */
    public PkinitClient build() {
      KdcValidation v = validation;
      if (v == null) {
        throw new IllegalStateException(
            "PkinitClient needs kdcValidation(...): the trust anchors that KDC certificates must chain to");
      }
      return new PkinitClient(this, v);
    }
  }
}
