/** Tests for {@code dev.ngc4j.server.internal.attestation}: TPM structures, KDFa, MakeCredential, the verifier. */
@NullMarked
package dev.ngc4j.server.internal.attestation;

import org.jspecify.annotations.NullMarked;
