package dev.ngc4j.server;

import dev.ngc4j.api.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * A key-trust logon that {@link KeyTrustVerifier} accepted: who it is, with which key on which device, and the
 * {@code msDS-KeyCredentialLink} value that matched, as a KDC needs them to issue the TGT and build its PAC.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param user the account (the one the client name names, which also holds the key)
 * @param device the device the key was registered from
 * @param key the registered key
 * @param keyCredentialLink the directory value that holds the key (owner DN, device id, creation time)
 * @param fresh whether the caller's PKINIT layer verified an RFC 8070 freshness token in this request; the
 *     verifier cannot see the request, so this is what the caller passed in
 * @param certificateTimeValid whether the certificate was within its validity period (give or take the clock
 *     skew) when it was checked; informational unless the verifier enforces validity
 * @since 0.1.0
 */
public record KeyTrustDecision(
    UserInfo user,
    DeviceInfo device,
    KeyInfo key,
    KeyCredentialLinkValue keyCredentialLink,
    boolean fresh,
    boolean certificateTimeValid) {
  /** {@code WinAuthenticationKeyTrustSid}: the "key trust identity" SID a KDC adds to key-trust logons. */
  public static final String KEY_TRUST_IDENTITY_SID = "S-1-18-4";
  /** {@code WinAuthenticationFreshKeyAuthSid}: the "fresh public key identity" SID for logons with freshness. */
  public static final String FRESH_PUBLIC_KEY_IDENTITY_SID = "S-1-18-3";

  /**
   * Validates the fields.
   *
   * @param user the account
   * @param device the device
   * @param key the key
   * @param keyCredentialLink the directory value
   * @param fresh whether freshness was verified
   * @param certificateTimeValid whether the certificate was time-valid
   */
  public KeyTrustDecision {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(keyCredentialLink, "keyCredentialLink");
  }

  /**
   * Returns the KeyID: SHA-256 of the key's BCRYPT_RSAPUBLIC_BLOB, the value the key was looked up by.
   *
   * @return the 32 bytes
   * @since 0.1.0
   */
  public Bytes keyId() {
    return keyCredentialLink.link().keyId();
  }

  /**
   * Returns the authentication-assurance SIDs for the PAC: {@link #KEY_TRUST_IDENTITY_SID} always, and
   * {@link #FRESH_PUBLIC_KEY_IDENTITY_SID} too when {@link #fresh()} (docs/kerberos.md §4.1).
   *
   * @return the SIDs
   * @since 0.1.0
   */
  public List<String> identitySids() {
    return fresh ? List.of(KEY_TRUST_IDENTITY_SID, FRESH_PUBLIC_KEY_IDENTITY_SID) : List.of(KEY_TRUST_IDENTITY_SID);
  }
}
