/**
 * Runnable ngc4j examples. The module reads only {@code dev.ngc4j.core} (and, transitively, {@code dev.ngc4j.api}),
 * so an example can use nothing but the public API; providers are found at run time through
 * {@link java.util.ServiceLoader}.
 */
module dev.ngc4j.examples {
  requires transitive dev.ngc4j.core;

  exports dev.ngc4j.examples;
}
