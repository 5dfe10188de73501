package dev.ngc4j.core.internal.krb.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the KDCs of a realm.
 *
 * <ol>
 *   <li>Configuration wins: if the realm is configured (exact, case-sensitive match), its addresses are returned
 *       as given, and DNS is not asked.
 *   <li>Otherwise DNS SRV records (RFC 4120 §7.2.3.2, RFC 2782): {@code _kerberos._tcp.<realm in lower case>},
 *       then {@code _kerberos._udp.<realm in lower case>}. The TCP KDCs come first, then the UDP ones. Within
 *       each, records are ordered by priority (lowest first) and, within a priority, by RFC 2782's weighted random
 *       selection (deterministic for a given {@link Random}). A target of {@code "."} means "no service here"
 *       and adds nothing, so a realm whose records all say so yields an empty list.
 *   <li>If neither lookup finds a record (NXDOMAIN, no SRV records, or a DNS failure),
 *       {@link KdcLocatorException} names both SRV names and what each lookup gave.
 * </ol>
 *
 * DNS goes through JNDI's DNS provider ({@code com.sun.jndi.dns.DnsContextFactory}, module
 * {@code jdk.naming.dns}): the system's resolvers by default, or one server given as {@code host:port}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KdcLocator {
  private static final Logger log = LoggerFactory.getLogger(KdcLocator.class);
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final String DNS_FACTORY = "com.sun.jndi.dns.DnsContextFactory";

  private final Map<String, List<KdcAddress>> configured;
  private final boolean dnsEnabled;
  private final @Nullable String dnsServer;
  private final Duration dnsTimeout;
  private final Random random;

  private KdcLocator(Builder b) {
    this.configured = Map.copyOf(b.configured);
    this.dnsEnabled = b.dnsEnabled;
    this.dnsServer = b.dnsServer;
    this.dnsTimeout = b.dnsTimeout;
    this.random = b.random;
  }

  /**
   * Returns a builder: no realm configured, DNS on with the system's resolvers, a 3-second timeout per lookup.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the KDCs of a realm.
   *
   * @param realm the realm, such as {@code EXAMPLE.COM}
   * @return the KDCs in the order to try them; immutable; empty only if DNS says the service is not offered
   * @throws KdcLocatorException if the realm is not configured and DNS knows no KDC for it
   */
  public List<KdcAddress> locate(String realm) throws KdcLocatorException {
    Objects.requireNonNull(realm, "realm");
    List<KdcAddress> fixed = configured.get(realm);
    if (fixed != null) {
      log.debug("KDCs of {} from configuration: {}", realm, fixed);
      return fixed;
    }
    if (!dnsEnabled) {
      throw new KdcLocatorException(realm, List.of(), List.of("DNS lookup is disabled"));
    }
    String domain = realm.toLowerCase(Locale.ROOT);
    if (!isDomainName(domain)) {
      throw new KdcLocatorException(realm, List.of(), List.of("the realm is not a DNS domain name, so DNS was not "
          + "asked"));
    }
    List<String> names = List.of("_kerberos._tcp." + domain, "_kerberos._udp." + domain);
    List<KdcAddress.Protocol> protocols = List.of(KdcAddress.Protocol.TCP, KdcAddress.Protocol.UDP);
    List<String> outcomes = new ArrayList<>();
    List<KdcAddress> out = new ArrayList<>();
    boolean answered = false;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Lookup lookup = lookup(name);
      outcomes.add(name + ": " + lookup.outcome());
      if (lookup.records().isEmpty()) {
        continue;
      }
      answered = true;
      for (SrvRecord r : order(lookup.records(), random)) {
        if (!r.target().isEmpty()) {
          out.add(new KdcAddress(r.target(), r.port(), protocols.get(i)));
        }
      }
    }
    if (!answered) {
      throw new KdcLocatorException(realm, names, outcomes);
    }
    log.debug("KDCs of {} from DNS: {} ({})", realm, out, outcomes);
    return List.copyOf(out);
  }

  /** One SRV record; an empty target is the RFC 2782 "." (no service). */
  record SrvRecord(int priority, int weight, int port, String target) {}

  /** The result of one SRV lookup: records (possibly none) and how the lookup went. */
  private record Lookup(List<SrvRecord> records, String outcome) {}

  // BanJNDI: only the DNS provider is ever used (fixed factory, dns: URL), only getAttributes() of SRV records is
  // called, whose values are Strings, and the name is a validated host name; nothing is looked up as an object, so
  // nothing is deserialized. JdkObsolete: InitialDirContext takes a Hashtable.
  @SuppressWarnings({"BanJNDI", "JdkObsolete"})
  private Lookup lookup(String name) {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, DNS_FACTORY);
    env.put(Context.PROVIDER_URL, dnsServer == null ? "dns:" : "dns://" + dnsServer + "/");
    env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(1, dnsTimeout.toMillis())));
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      Attributes attributes = ctx.getAttributes(name, new String[] {"SRV"});
      Attribute srv = attributes.get("SRV");
      if (srv == null || srv.size() == 0) {
        return new Lookup(List.of(), "no SRV records");
      }
      List<SrvRecord> records = new ArrayList<>();
      NamingEnumeration<?> values = srv.getAll();
      while (values.hasMore()) {
        SrvRecord r = parse(String.valueOf(values.next()));
        if (r != null) {
          records.add(r);
        }
      }
      if (records.isEmpty()) {
        return new Lookup(List.of(), "no well-formed SRV records");
      }
      boolean none = records.stream().allMatch(r -> r.target().isEmpty());
      return new Lookup(records, none ? "\".\" (service not offered)" : records.size() + " SRV record(s)");
    } catch (NameNotFoundException e) {
      return new Lookup(List.of(), "NXDOMAIN");
    } catch (NamingException | RuntimeException e) {
      // JNDI providers report DNS failures as NamingException, and a few malformed answers as runtime exceptions
      return new Lookup(List.of(), "lookup failed (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException e) {
          log.debug("closing the DNS context failed", e);
        }
      }
    }
  }

  /** Parses {@code "priority weight port target"}; returns null if malformed. */
  static @Nullable SrvRecord parse(String text) {
    String[] parts = WHITESPACE.split(text.trim(), -1);
    if (parts.length != 4) {
      return null;
    }
    try {
      int priority = Integer.parseInt(parts[0]);
      int weight = Integer.parseInt(parts[1]);
      int port = Integer.parseInt(parts[2]);
      String target = parts[3];
      if (target.endsWith(".")) {
        target = target.substring(0, target.length() - 1);
      }
      if (priority < 0 || priority > 65535 || weight < 0 || weight > 65535 || port < 0 || port > 65535) {
        return null;
      }
      if (!target.isEmpty() && (port == 0 || !isDomainName(target.toLowerCase(Locale.ROOT)))) {
        return null;
      }
      return new SrvRecord(priority, weight, port, target);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Orders SRV records as RFC 2782 says: by priority, lowest first; within one priority, repeatedly pick a record
   * with probability proportional to its weight (records of weight 0 placed first, so they keep a small chance).
   */
  static List<SrvRecord> order(List<SrvRecord> records, Random random) {
    Map<Integer, List<SrvRecord>> byPriority = new TreeMap<>();
    for (SrvRecord r : records) {
      byPriority.computeIfAbsent(r.priority(), p -> new ArrayList<>()).add(r);
    }
    List<SrvRecord> out = new ArrayList<>();
    for (List<SrvRecord> group : byPriority.values()) {
      List<SrvRecord> left = new ArrayList<>(group);
      left.sort(Comparator.comparingInt(r -> r.weight() == 0 ? 0 : 1)); // stable: zero weights first
      while (!left.isEmpty()) {
        int sum = 0;
        for (SrvRecord r : left) {
          sum += r.weight();
        }
        int pick = random.nextInt(sum + 1);
        int running = 0;
        int chosen = left.size() - 1;
        for (int i = 0; i < left.size(); i++) {
          running += left.get(i).weight();
          if (running >= pick) {
            chosen = i;
            break;
          }
        }
        out.add(left.remove(chosen));
      }
    }
    return out;
  }

  private static boolean isDomainName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "KdcLocator[configured=" + configured.keySet() + ", dns=" + (dnsEnabled ? (dnsServer == null ? "system"
        : dnsServer) : "off") + "]";
  }

  /**
   * Builds a {@link KdcLocator}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private final Map<String, List<KdcAddress>> configured = new HashMap<>();
    private boolean dnsEnabled = true;
    private @Nullable String dnsServer;
    private Duration dnsTimeout = Duration.ofSeconds(3);
    private Random random = new Random();

    private Builder() {}

    /**
     * Configures a realm's KDCs; they are returned as given and DNS is not asked for this realm.
     *
     * @param realm the realm (matched exactly)
     * @param kdcs the KDCs, most preferred first; at least one
     * @return this builder
     */
    public Builder realm(String realm, List<KdcAddress> kdcs) {
      Objects.requireNonNull(realm, "realm");
      if (kdcs.isEmpty()) {
        throw new IllegalArgumentException("a configured realm needs at least one KDC");
      }
      configured.put(realm, List.copyOf(kdcs));
      return this;
    }

    /**
     * Turns DNS SRV lookups on (the default) or off.
     *
     * @param enabled whether unconfigured realms are looked up in DNS
     * @return this builder
     */
    public Builder dnsLookup(boolean enabled) {
      this.dnsEnabled = enabled;
      return this;
    }

    /**
     * Sends DNS queries to one server instead of the system's resolvers.
     *
     * @param hostAndPort such as {@code 127.0.0.1:5353}, or {@code null} for the system's resolvers
     * @return this builder
     */
    public Builder dnsServer(@Nullable String hostAndPort) {
      if (hostAndPort != null && !hostAndPort.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("not host:port: " + hostAndPort);
      }
      this.dnsServer = hostAndPort;
      return this;
    }

    /**
     * Sets the timeout of each DNS query (default 3 seconds).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder dnsTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the DNS timeout must be positive");
      }
      this.dnsTimeout = timeout;
      return this;
    }

    /**
     * Sets the randomness of the RFC 2782 weighted ordering (default a new {@link Random}); a seeded one makes the
     * order repeatable.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the locator.
     *
     * @return the locator
     */
    public KdcLocator build() {
      return new KdcLocator(this);
    }
  }
}
