/**
 * ngc4j core: provider selection, the key pool, provisioning, status, and the codecs both ends share.
 */
module dev.ngc4j.core {
  requires transitive dev.ngc4j.api;
  requires org.slf4j;
  requires com.nimbusds.jose.jwt;
  requires java.net.http;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.util;
  requires java.naming;

  exports dev.ngc4j.core;
  exports dev.ngc4j.core.cloud;
  exports dev.ngc4j.core.kerberos;
  exports dev.ngc4j.core.internal.cloud to
      dev.ngc4j.server;

  uses dev.ngc4j.spi.CredentialProvider;
}
