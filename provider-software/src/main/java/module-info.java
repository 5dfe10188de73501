/**
 * The software key provider of ngc4j: RSA keys encrypted at rest under keys derived from the user's gesture, with
 * a persistent attempt counter. No hardware; never chosen implicitly where hardware-backed keys are required.
 */
module dev.ngc4j.provider.software {
  requires transitive dev.ngc4j.api;
  requires dev.ngc4j.provider.support;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports dev.ngc4j.provider.software;

  provides dev.ngc4j.spi.CredentialProvider with
      dev.ngc4j.provider.software.SoftwareCredentialProvider;
}
