/**
 * A real MIT Kerberos KDC with PKINIT for tests: {@link dev.ngc4j.testkit.kdc.MitKdc} starts {@code krb5kdc} in a
 * test's directory on a free loopback port, with its own realm, database, CA (BouncyCastle-built), KDC certificate
 * ({@link dev.ngc4j.testkit.kdc.KdcCertProfile}) and a CRL served over HTTP, and stops it again by pid.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * try (MitKdc kdc = MitKdc.builder(tempDir).start()) {
 *   kdc.addUser("alice");
 *   X509Certificate cert = kdc.issueClientCertificate(keyPair.getPublic(), "alice");
 *   // point a PKINIT client at kdc.address(), trusting kdc.caCertificate(); or run MIT's own client:
 *   ToolResult kinit = kdc.kinitWithCertificate(certPem, keyPem, "alice", ccache, List.of());
 * }
 * }</pre>
 *
 * <p>It needs the Debian packages {@code krb5-kdc krb5-pkinit krb5-admin-server krb5-user} (installed by
 * {@code ./scripts/setup-debian.sh}); without them {@link dev.ngc4j.testkit.kdc.MitKdc.Builder#start()} fails with a
 * message saying so. Tests never skip because of a missing KDC. {@code ./scripts/pkinit-kdc.sh} starts the same KDC
 * by hand ({@link dev.ngc4j.testkit.kdc.MitKdcMain}).
 *
 * <h2>Thread safety</h2>
 *
 * <p>Safe for concurrent use.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.testkit.kdc;

import org.jspecify.annotations.NullMarked;
