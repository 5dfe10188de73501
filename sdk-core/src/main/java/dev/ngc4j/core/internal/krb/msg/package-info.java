/**
 * Kerberos V5 messages (RFC 4120) and the PKINIT structures (RFC 4556, RFC 8070, RFC 8636) as immutable values
 * with strict DER: {@code encode()} for what the client sends and {@code decode(byte[])} for what it receives.
 *
 * <p>Every decoder is strict (definite minimal lengths, exact tags, fields in order, no trailing bytes, bounded
 * sizes and nesting) and fails only with the checked {@link dev.ngc4j.core.internal.krb.msg.KrbMessageException},
 * never with an unchecked exception, whatever the input. Values that are sent keep their exact encoding
 * ({@code der()}), so checksums and hashes are computed over the bytes that go on the wire. Not API.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.msg;

import org.jspecify.annotations.NullMarked;
