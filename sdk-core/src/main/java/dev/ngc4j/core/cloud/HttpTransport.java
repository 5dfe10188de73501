package dev.ngc4j.core.cloud;

import dev.ngc4j.api.CloudAuthException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP for the cloud client: one {@link HttpClient} (no redirects followed, HTTP/1.1), a deadline on every attempt
 * that covers the body too, responses larger than {@value #MAX_RESPONSE_BYTES} bytes refused while they arrive, and
 * bounded retries with exponential back-off for requests the caller marks {@link Retry#SAFE} only.
 *
 * <p>A safe request is retried after a connection failure, a timeout, HTTP 5xx or HTTP 429; a {@code Retry-After}
 * of up to {@link #MAX_RETRY_AFTER} is honoured, a longer one ends the retries. Every other request is sent once: a
 * device join, a key registration or a PRT request that timed out may still have taken effect.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class HttpTransport {
  /** The largest response body accepted, in bytes. */
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  /** The longest {@code Retry-After} the client waits for; a longer one ends the retries. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

  private final HttpClient client;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final String userAgent;

  /** Whether a request may be sent again. */
  enum Retry {
    /** Safe and idempotent (discovery, nonce): retried on transient failures. */
    SAFE,
    /** Sent exactly once. */
    NEVER
  }

  /** A received response, its body complete and within the size limit. */
  static final class Response {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    Response(int status, HttpHeaders headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    int status() {
      return status;
    }

    HttpHeaders headers() {
      return headers;
    }

    /** Returns the body; the caller may zero it. */
    byte[] body() {
      return body;
    }

    boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  HttpTransport(
      @Nullable SSLContext sslContext, Duration connectTimeout, Duration requestTimeout, int maxRetries,
      Duration initialBackoff, String userAgent) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.client = b.build();
    this.requestTimeout = requestTimeout;
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.userAgent = userAgent;
  }

  /** Starts a request to {@code uri} with the timeout and the common headers. */
  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("User-Agent", userAgent)
        .header("Accept", "application/json");
  }

  /**
   * Sends a request and returns the response, whatever its status.
   *
   * @param request the request
   * @param retry whether it may be retried
   * @param operation what the request does, for messages ("device join")
   * @return the response; retries exhausted on 5xx or 429 return the last response
   * @throws NgcException {@code CLOUD_ERROR} if no response arrived (connection, timeout, oversized body),
   *     {@code INTERRUPTED} if the thread was interrupted
   */
  Response send(HttpRequest request, Retry retry, String operation) throws NgcException {
    int attempts = retry == Retry.SAFE ? maxRetries + 1 : 1;
    for (int attempt = 1; ; attempt++) {
      Response response;
      try {
        response = sendOnce(request);
      } catch (TransientFailure e) {
        if (attempt >= attempts) {
          throw e.toException(operation, request.uri(), attempt);
        }
        log.debug("{} to {} failed ({}); retrying", operation, origin(request.uri()), e.reason);
        pause(backoff(attempt), operation);
        continue;
      }
      int status = response.status();
      if (status < 500 && status != 429) {
        return response;
      }
      if (attempt >= attempts) {
        return response;
      }
      Optional<Duration> retryAfter = retryAfter(response.headers());
      if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) {
        log.debug("{} to {}: HTTP {} with Retry-After {}; not retrying", operation, origin(request.uri()), status,
            retryAfter.get());
        return response;
      }
      Duration delay = backoff(attempt);
      if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
        delay = retryAfter.get();
      }
      log.debug("{} to {}: HTTP {}; retrying in {} ms", operation, origin(request.uri()), status, delay.toMillis());
      pause(delay, operation);
    }
  }

  private Response sendOnce(HttpRequest request) throws TransientFailure, NgcException {
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new LimitedBody(MAX_RESPONSE_BYTES, info.headers()));
    try {
      HttpResponse<byte[]> r = future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TransientFailure("timed out after " + requestTimeout.toMillis() + " ms", null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting for " + origin(request.uri()), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (find(cause, BodyTooLargeException.class) != null) {
        throw new CloudAuthException(
            ErrorCode.CLOUD_ERROR, null,
            "The response from " + origin(request.uri()) + " is larger than " + MAX_RESPONSE_BYTES
                + " bytes and was refused",
            "check that the authority and registration service URIs point at the directory service", null);
      }
      if (find(cause, HttpConnectTimeoutException.class) != null) {
        throw new TransientFailure("could not connect within the connect timeout", cause);
      }
      if (find(cause, HttpTimeoutException.class) != null) {
        throw new TransientFailure("timed out after " + requestTimeout.toMillis() + " ms", cause);
      }
      if (find(cause, ConnectException.class) != null) {
        throw new TransientFailure("could not connect", cause);
      }
      throw new CloudAuthException(
          ErrorCode.CLOUD_ERROR, null,
          "The exchange with " + origin(request.uri()) + " failed: " + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"),
          "check the network, the TLS trust settings and the service URIs, then retry", cause);
    }
  }

  private static @Nullable Throwable find(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  /** Exponential back-off with jitter: a random delay between half and all of {@code initial * 2^(attempt-1)}. */
  Duration backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
    long capped = Math.min(Math.max(base, 0), MAX_BACKOFF.toMillis());
    long jittered = capped / 2 + (capped > 1 ? ThreadLocalRandom.current().nextLong(capped - capped / 2 + 1) : 0);
    return Duration.ofMillis(jittered);
  }

  /** Parses {@code Retry-After} in delta-seconds; an HTTP date or anything else counts as absent. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    if (v.isPresent() && v.get().trim().matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v.get().trim())));
    }
    return Optional.empty();
  }

  private static void pause(Duration delay, String operation) throws NgcException {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting to retry the " + operation, e);
    }
  }

  /** Returns {@code scheme://host[:port]}, the only part of a URI that messages name. */
  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** A failure that a safe request may retry. */
  private static final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    TransientFailure(String reason, @Nullable Throwable cause) {
      super(reason, cause, false, false);
      this.reason = reason;
    }

    CloudAuthException toException(String operation, URI uri, int attempts) {
      return new CloudAuthException(
          ErrorCode.CLOUD_ERROR, null,
          "The " + operation + " request to " + origin(uri) + " " + reason
              + (attempts > 1 ? " (" + attempts + " attempts)" : ""),
          "check the network connection and the service URIs, then retry; the service may be unavailable",
          getCause());
    }
  }

  /** The response body exceeded the limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException() {
      super("response body too large");
    }
  }

  /** Collects the body up to a limit; past it (or when Content-Length announces more) cancels the exchange. */
  static final class LimitedBody implements BodySubscriber<byte[]> {
    private final int limit;
    private final OptionalLong declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.@Nullable Subscription subscription;

    LimitedBody(int limit, HttpHeaders headers) {
      this.limit = limit;
      this.declaredLength = headers.firstValueAsLong("Content-Length");
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declaredLength.isPresent() && declaredLength.getAsLong() > limit) {
        s.cancel();
        result.completeExceptionally(new BodyTooLargeException());
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if ((long) out.size() + b.remaining() > limit) {
          Flow.Subscription s = subscription;
          if (s != null) {
            s.cancel();
          }
          result.completeExceptionally(new BodyTooLargeException());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public synchronized void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public synchronized void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
