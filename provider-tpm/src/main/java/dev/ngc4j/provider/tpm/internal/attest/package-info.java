/**
 * Device-side TPM attestation for the TPM provider: the attestation key (AK), its enrolment with a directory
 * (EK certificate, EK public area, TPM2_ActivateCredential, the AK certificate chain), and TPM2_Certify of a user
 * key while its container is created. Not API.
 *
 * <h2>Files</h2>
 *
 * <pre>
 * dataDirectory/
 *   attestation/                     rwx------
 *     ak.ngc                         rw-------  SRK name, the AK's public area and private blob (loads only under
 *                                               this TPM's storage root key)
 *     ak-chain.ngc                   rw-------  the AK's name and the certificate chain the directory issued
 *   containers/&lt;id&gt;/
 *     attestation.ngc                rw-------  written with the container (same atomic commit) when it was created
 *                                               with an attestation challenge: the challenge, the TPMS_ATTEST, the
 *                                               key's TPMT_PUBLIC, the AK's signature and the AK's public area
 * </pre>
 *
 * <p>Every file is framed (magic, version, length, body, SHA-256) and replaced atomically (temporary file, fsync,
 * rename, directory fsync). None holds a secret: the AK's private blob only loads under the storage root key of
 * the TPM that made it.
 *
 * <h2>TPM objects</h2>
 *
 * <p>The AK is a restricted RSA-2048 signing key (RSASSA-SHA256, name algorithm SHA-256, attributes
 * sign|restricted|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA, empty authValue) under the SRK,
 * made once per device and loaded only while a command uses it. Each operation loads what it needs and flushes it
 * before returning, under the connection's lock: Certify holds the SRK, the user key and the AK (three object
 * slots, the minimum a TPM has); ActivateCredential the SRK, the AK and the persistent EK (which needs a slot of
 * its own while used).
 *
 * <p>Thread safety: see each type.
 */
@NullMarked
package dev.ngc4j.provider.tpm.internal.attest;

import org.jspecify.annotations.NullMarked;
