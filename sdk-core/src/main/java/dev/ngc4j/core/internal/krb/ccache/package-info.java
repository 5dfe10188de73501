/**
 * MIT Kerberos credential caches: the FILE ccache format version 4 (0x0504) that MIT {@code klist}, {@code kvno}
 * and GSS-API applications read; internal, not exported.
 *
 * <p>{@link dev.ngc4j.core.internal.krb.ccache.CredentialCache} writes a cache atomically and owner-only and reads
 * one back; {@link dev.ngc4j.core.internal.krb.ccache.CcacheCredential} is one entry (client, service, session key,
 * times, flags, ticket) and {@link dev.ngc4j.core.internal.krb.ccache.PrincipalName} a Kerberos name. The format is
 * MIT's {@code doc/formats/ccache_file_format.rst}.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.ccache;

import org.jspecify.annotations.NullMarked;
