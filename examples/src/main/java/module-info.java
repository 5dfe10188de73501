/**
 * Runnable ngc4j examples. The module reads only the public API ({@code dev.ngc4j.core}, {@code dev.ngc4j.server}
 * and, transitively, {@code dev.ngc4j.api}); providers are found at run time through {@link java.util.ServiceLoader}.
 */
module dev.ngc4j.examples {
  requires transitive dev.ngc4j.core;
  requires dev.ngc4j.server;
  requires java.net.http;
  requires com.nimbusds.jose.jwt;

  exports dev.ngc4j.examples;
}
