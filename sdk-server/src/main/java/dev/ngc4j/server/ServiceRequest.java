package dev.ngc4j.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as the service sees it: method, raw path and query, headers, body bytes, the caller's address,
 * and the base URL the service is reached at (used in discovery documents and token issuers). The HTTP server
 * builds these; benchmarks and tests can build them directly and call {@link NgcService#handle} without a
 * socket.
 *
 * <p>The body is copied in on {@link Builder#body} and out on {@link #body}. Because a body can hold secrets
 * (passwords, PRTs), {@link #clearBody} overwrites the request's copy once it has been handled.
 *
 * <p>Thread safety: immutable except for {@link #clearBody}; safe for concurrent reads.
 *
 * @since 0.1.0
 */
public final class ServiceRequest {
  private final URI baseUri;
  private final String method;
  private final String path;
  private final @Nullable String rawQuery;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final @Nullable InetSocketAddress remoteAddress;

  private ServiceRequest(Builder b) {
    this.baseUri = b.baseUri;
    this.method = b.method;
    this.path = b.path;
    this.rawQuery = b.rawQuery;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    b.headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = b.body.clone();
    this.remoteAddress = b.remoteAddress;
  }

  /**
   * Starts a request.
   *
   * @param baseUri the service's base URL, for example {@code https://127.0.0.1:8443} (no path)
   * @param method the HTTP method, upper case
   * @param path the raw (still percent-encoded) path, starting with {@code /}
   * @return a builder
   * @since 0.1.0
   */
  public static Builder builder(URI baseUri, String method, String path) {
    return new Builder(baseUri, method, path);
  }

  /**
   * Returns the base URL the service is reached at.
   *
   * @return the base URL, without a trailing slash
   * @since 0.1.0
   */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * Returns the HTTP method.
   *
   * @return the method, upper case
   * @since 0.1.0
   */
  public String method() {
    return method;
  }

  /**
   * Returns the raw path.
   *
   * @return the path, still percent-encoded
   * @since 0.1.0
   */
  public String path() {
    return path;
  }

  /**
   * Returns the raw query.
   *
   * @return the query without the {@code ?}, still percent-encoded, if there is one
   * @since 0.1.0
   */
  public Optional<String> rawQuery() {
    return Optional.ofNullable(rawQuery);
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header name, any case
   * @return the value, if present
   * @since 0.1.0
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns all headers.
   *
   * @return an unmodifiable, case-insensitive map
   * @since 0.1.0
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns a copy of the body.
   *
   * @return a fresh array the caller owns (and should clear if it may hold secrets)
   * @since 0.1.0
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Returns the body length.
   *
   * @return the number of body bytes
   * @since 0.1.0
   */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Returns the caller's address.
   *
   * @return the address, if known
   * @since 0.1.0
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /**
   * Overwrites this request's copy of the body with zeros.
   *
   * @since 0.1.0
   */
  public void clearBody() {
    Arrays.fill(body, (byte) 0);
  }

  /** Names the method and path only; never the body. */
  @Override
  public String toString() {
    return "ServiceRequest[" + method + " " + path + ", " + body.length + " body bytes]";
  }

  /**
   * Builds a {@link ServiceRequest}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final URI baseUri;
    private final String method;
    private final String path;
    private @Nullable String rawQuery;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];
    private @Nullable InetSocketAddress remoteAddress;

    private Builder(URI baseUri, String method, String path) {
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
      this.method = Objects.requireNonNull(method, "method");
      this.path = Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("the path must start with /");
      }
    }

    /**
     * Sets the raw query.
     *
     * @param rawQuery the query without {@code ?}, still percent-encoded; null for none
     * @return this builder
     * @since 0.1.0
     */
    public Builder rawQuery(@Nullable String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    /**
     * Adds a header value.
     *
     * @param name the name
     * @param value the value
     * @return this builder
     * @since 0.1.0
     */
    public Builder header(String name, String value) {
      headers.computeIfAbsent(Objects.requireNonNull(name, "name"), k -> new ArrayList<>())
          .add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the body (copied).
     *
     * @param body the body bytes
     * @return this builder
     * @since 0.1.0
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /**
     * Sets the caller's address.
     *
     * @param remoteAddress the address, or null
     * @return this builder
     * @since 0.1.0
     */
    public Builder remoteAddress(@Nullable InetSocketAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    /**
     * Builds the request. The builder's copy of the body is cleared.
     *
     * @return the request
     * @since 0.1.0
     */
    public ServiceRequest build() {
      ServiceRequest request = new ServiceRequest(this);
      Arrays.fill(body, (byte) 0);
      return request;
    }
  }
}
