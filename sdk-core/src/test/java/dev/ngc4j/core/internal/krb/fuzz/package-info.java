/**
 * Fuzz tests (Jazzer) of the decoders of what a KDC sends: AS-REP, TGS-REP, KRB-ERROR and its e-data, the
 * decrypted EncKDCRepPart, PA-PK-AS-REP, KDCDHKeyInfo, Ticket, METHOD-DATA, KRB5PrincipalName, TYPED-DATA and the
 * KDC's CMS SignedData. No input may make a decoder fail with anything but its typed exception, and what it
 * accepts must survive a round trip. Seeds: real messages captured from MIT krb5kdc and messages built with the
 * encoders, under {@code src/test/resources/dev/ngc4j/core/internal/krb/fuzz/}.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.fuzz;

import org.jspecify.annotations.NullMarked;
