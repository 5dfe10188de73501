/** Tests of the salted HMAC sessions: pure crypto vectors, response-code decoding, and end to end against swtpm. */
@NullMarked
package dev.ngc4j.provider.tpm.internal.session;

import org.jspecify.annotations.NullMarked;
