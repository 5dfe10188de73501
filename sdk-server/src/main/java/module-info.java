/**
 * The ngc4j service side: the directory's device and key registration, nonces, PRT issuance and renewal, as a
 * library and as an embeddable HTTP(S) server on an embedded database.
 */
module dev.ngc4j.server {
  requires transitive dev.ngc4j.api;
  requires dev.ngc4j.core;
  requires java.sql;
  requires jdk.httpserver;
  requires org.slf4j;
  requires com.nimbusds.jose.jwt;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires com.h2database;

  exports dev.ngc4j.server;
}
