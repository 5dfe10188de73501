package dev.ngc4j.server;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP response: status, headers (one value each) and body.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class ServiceResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private ServiceResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body.clone();
  }

  /**
   * Creates a response.
   *
   * @param status the HTTP status
   * @param headers the headers, in order (copied)
   * @param body the body (copied)
   * @return the response
   * @since 0.1.0
   */
  public static ServiceResponse of(int status, Map<String, String> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return new ServiceResponse(status, Objects.requireNonNull(headers, "headers"), Objects.requireNonNull(body));
  }

  /**
   * Returns the HTTP status.
   *
   * @return the status code
   * @since 0.1.0
   */
  public int status() {
    return status;
  }

  /**
   * Returns the headers.
   *
   * @return an unmodifiable map in the order they were set
   * @since 0.1.0
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Returns a header.
   *
   * @param name the name, any case
   * @return the value, if present
   * @since 0.1.0
   */
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return Optional.of(header.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns a copy of the body.
   *
   * @return a fresh array
   * @since 0.1.0
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Returns the body as UTF-8 text.
   *
   * @return the text
   * @since 0.1.0
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Names the status and length only. */
  @Override
  public String toString() {
    return "ServiceResponse[" + status + ", " + body.length + " body bytes]";
  }
}
