/**
 * Code the ngc4j providers share: the framed file format and its byte codec, owner-only atomic files, the container
 * directory (layout, creation, listing, deletion, locking, leftovers), the attempt counter and its lockout rules, the
 * stored PIN policy and protector headers, device-key caching, the session-key envelope checks, and the common
 * parts of a provider session.
 *
 * <p><strong>Internal.</strong> Not API: no compatibility promise, anything may change in any release. The package
 * is exported only to ngc4j's own providers; applications and third-party providers must not use it.
 */
// provider-tpm is an automatic module and provider-pkcs11 does not exist yet when this module compiles; javac's
// "module not found" lint for qualified exports is off in the root pom (-Xlint:-module) for that reason.
module dev.ngc4j.provider.support {
  requires transitive dev.ngc4j.api;
  requires org.slf4j;

  exports dev.ngc4j.provider.support to
      dev.ngc4j.provider.software,
      dev.ngc4j.provider.tpm,
      dev.ngc4j.provider.pkcs11;
}
