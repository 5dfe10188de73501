/**
 * Kerberos cryptography for ngc4j's own PKINIT client; internal, not exported.
 *
 * <ul>
 *   <li>{@link dev.ngc4j.core.internal.krb.crypto.EncType}: the four AES encryption types (RFC 3962 and RFC 8009);
 *   <li>{@link dev.ngc4j.core.internal.krb.crypto.KerberosKey}: a destroyable protocol key of one of them;
 *   <li>{@link dev.ngc4j.core.internal.krb.crypto.KerberosCrypto}: RFC 3961 encryption, decryption and keyed
 *       checksums with key usages ({@link dev.ngc4j.core.internal.krb.crypto.KeyUsage}), string-to-key,
 *       random-to-key and the unkeyed SHA-1 checksum;
 *   <li>{@link dev.ngc4j.core.internal.krb.crypto.PkinitKeyDerivation}: the PKINIT reply key from a Diffie-Hellman
 *       shared secret, with RFC 4556 octetstring2key or the RFC 8636 KDFs.
 * </ul>
 *
 * <p>Only JDK primitives are used (AES in ECB and CBC modes without padding, HMAC-SHA1/256/384, SHA-1/256/512);
 * no JCA provider is installed. BouncyCastle's ASN.1 classes (as a library) encode the RFC 8636 {@code OtherInfo}.
 *
 * <p>Thread safety: every class here is stateless or immutable except {@code KerberosKey}, whose only mutation is
 * {@code destroy()}.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.crypto;

import org.jspecify.annotations.NullMarked;
