/**
 * The stable API and the provider SPIs of ngc4j.
 *
 * <p>{@code dev.ngc4j.api} holds the values and exceptions applications use; {@code dev.ngc4j.spi} holds the
 * interfaces that providers (software, TPM, PKCS#11) and protocol implementations implement. Nothing else is
 * exported.
 */
module dev.ngc4j.api {
  requires transitive org.jspecify;

  exports dev.ngc4j.api;
  exports dev.ngc4j.spi;

  uses dev.ngc4j.spi.CredentialProvider;
}
