/**
 * PKINIT key trust on the service side: the byte-level codec of {@code KEYCREDENTIALLINK_BLOB} (MS-ADTS 2.2.20),
 * its DN-Binary attribute form, the FILETIME and Windows GUID encodings it uses, the owner DN of a user, and the
 * checks of a key-trust certificate (MS-PKCA 3.1.5.2.1.4). Not exported; the public types are
 * {@code dev.ngc4j.server.KeyCredentialLink} and {@code dev.ngc4j.server.KeyTrustVerifier}.
 */
@NullMarked
package dev.ngc4j.server.internal.keytrust;

import org.jspecify.annotations.NullMarked;
