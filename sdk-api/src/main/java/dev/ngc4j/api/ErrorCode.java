package dev.ngc4j.api;

/**
 * The stable code of every {@link NgcException}. Names never change once released; each code has a one-line
 * meaning and a default remedy, listed in {@code docs/errors.md}. Applications switch on the code, never on
 * message text.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum ErrorCode {
  /** The gesture (PIN or biometric) did not match; attempts remain. */
  WRONG_GESTURE("the gesture was not accepted", "ask the user to try again; further failures lock the container"),
  /** Too many wrong gestures: the container is locked out. */
  LOCKED_OUT(
      "the container is locked after too many wrong gestures",
      "wait until the lockout ends, or reset the credential by provisioning again after strong authentication"),
  /** The user cancelled the gesture prompt. */
  GESTURE_CANCELLED("the user cancelled the gesture", "retry when the user is ready; nothing was changed"),
  /** The gesture kind offered is not the one the request asked for or is not allowed by policy. */
  GESTURE_NOT_ALLOWED(
      "this kind of gesture is not allowed here",
      "offer one of the gesture kinds the request or the administrator's gesture policy allows"),
  /** A new PIN does not meet the PIN policy. */
  PIN_POLICY_VIOLATION("the new PIN does not meet the PIN policy", "choose a PIN that meets every rule listed"),
  /** No provider is installed or none can be used. */
  NO_PROVIDER(
      "no credential provider is available",
      "add provider-tpm, provider-pkcs11 or provider-software to the class path, or pass one to the builder"),
  /** Two usable providers have the same highest priority. */
  AMBIGUOUS_PROVIDER(
      "several credential providers tie for the highest priority",
      "name one with Ngc4j.builder().providerId(...) or the system property ngc4j.provider"),
  /** The provider exists but its device or token cannot be used now. */
  PROVIDER_UNAVAILABLE(
      "the credential provider cannot reach its device",
      "check that the TPM, token or storage is present and accessible, then retry"),
  /** The provider was built against an incompatible major API version. */
  PROVIDER_INCOMPATIBLE(
      "the provider was built for another major version of the ngc4j API",
      "use a provider release built for this version of sdk-api"),
  /** Hardware-backed keys were required but only a software provider is available. */
  HARDWARE_REQUIRED(
      "hardware-backed keys were required but no hardware provider is available",
      "install provider-tpm or provider-pkcs11 with a working device, or allow software keys explicitly"),
  /** Policy says this device or session must not provision a credential. */
  POLICY_FORBIDS(
      "policy does not allow provisioning here",
      "ask the administrator to enable the credential policy for this kind of device"),
  /** Provisioning is never offered in a remote session. */
  REMOTE_SESSION("provisioning is not offered in a remote session", "sign in on the device itself and retry"),
  /** The access token does not prove multi-factor authentication. */
  MFA_REQUIRED(
      "the access token does not carry a multi-factor authentication claim",
      "obtain a token with MFA (claim amr containing mfa or ngcmfa) and retry"),
  /** No container with the given id exists. */
  CONTAINER_NOT_FOUND("no such key container", "provision a credential for this user first"),
  /** A container with the given id already exists. */
  CONTAINER_EXISTS("a key container with this id already exists", "delete it first or use another id"),
  /** A stored container is damaged or was tampered with. */
  CONTAINER_CORRUPTED(
      "the key container's stored data is damaged or was modified",
      "the file was left untouched for inspection; delete the credential and provision again"),
  /** The public key is not registered with the directory. */
  KEY_NOT_REGISTERED(
      "the directory does not know this key", "provision the credential again so that its key is registered"),
  /** The directory refused or failed the key registration. */
  REGISTRATION_FAILED(
      "the directory did not register the key", "check the directory's error, then provision again"),
  /** The key pool was shut down. */
  POOL_SHUT_DOWN("the key pool is shut down", "do not use the SDK after close(); build a new instance"),
  /** The provider cannot produce attestation. */
  ATTESTATION_UNSUPPORTED(
      "this provider cannot attest its keys", "use a TPM-backed provider where attestation is required"),
  /** An attestation statement failed verification. */
  ATTESTATION_INVALID(
      "the attestation statement did not verify", "check the AK certificate chain and the TPM manufacturer roots"),
  /** The cloud service returned an error. */
  CLOUD_ERROR("the cloud service refused the request", "see the server error code in this message"),
  /** The KDC refused the pre-authentication. */
  KERBEROS_ERROR("the KDC refused the request", "see the Kerberos error code in this message"),
  /** Reading or writing the credential store failed. */
  STORAGE_FAILURE(
      "the credential store could not be read or written", "check the data directory's permissions and free space"),
  /** The device is not joined to a directory. */
  DEVICE_NOT_JOINED("the device is not joined to a directory", "join the device first"),
  /** The operation is not supported by this provider. */
  UNSUPPORTED("this provider does not support the operation", "use a provider whose capabilities include it"),
  /** The thread was interrupted while waiting. */
  INTERRUPTED("the operation was interrupted", "retry; the interrupt status was restored"),
  /**
   * No KDC of the realm answered within the deadline.
   *
   * @since 0.1.0
   */
  KDC_UNREACHABLE(
      "no KDC of the realm answered",
      "check the realm's KDC addresses (configuration or the _kerberos._tcp DNS SRV records) and that TCP port 88 is"
          + " reachable"),
  /**
   * The KDC does not offer PKINIT (public-key pre-authentication).
   *
   * @since 0.1.0
   */
  KDC_NOT_PKINIT_CAPABLE(
      "the KDC does not offer PKINIT sign-in",
      "give the domain controllers a KDC certificate (EKU id-pkinit-KPKdc) and enable PKINIT, or use a KDC that has"
          + " one"),
  /**
   * The KDC's certificate or signature failed validation: untrusted, expired, revoked, revocation unknown, no KDC
   * EKU, or a name that is not the realm's KDC.
   *
   * @since 0.1.0
   */
  KDC_NOT_TRUSTED(
      "the KDC's certificate failed validation",
      "check that the KDC certificate chains to a configured trust anchor, is valid and not revoked (its CRL must be"
          + " reachable), has the KDC EKU, and names the realm (krbtgt/REALM or the domain's DNS name)"),
  /**
   * The KDC's reply failed an integrity or consistency check (signature, nonce, names, encryption).
   *
   * @since 0.1.0
   */
  KDC_REPLY_INVALID(
      "the KDC's reply failed verification",
      "the reply was damaged, replayed or forged; retry, and investigate the network path if it persists"),
  /**
   * The KDC does not trust the client's key or certificate (key not synchronised to the directory, certificate from
   * a CA the KDC does not trust, or revoked).
   *
   * @since 0.1.0
   */
  CLIENT_NOT_TRUSTED(
      "the KDC does not trust this credential",
      "key trust: wait until the key is synchronised to the directory (msDS-KeyCredentialLink) or register it again;"
          + " certificate trust: enrol a new logon certificate from a CA the KDC trusts"),
  /**
   * The credential belongs to another account than the one signing in (UPN mismatch).
   *
   * @since 0.1.0
   */
  PRINCIPAL_MISMATCH(
      "the credential belongs to another account than the one signing in",
      "sign in with the UPN the credential was provisioned for, or provision a credential for this account"),
  /**
   * The KDC does not know the client principal.
   *
   * @since 0.1.0
   */
  PRINCIPAL_UNKNOWN(
      "the KDC does not know this account", "check the UPN and the realm; the account may not exist in this domain"),
  /**
   * The device's clock and the KDC's differ by more than the allowed skew.
   *
   * @since 0.1.0
   */
  CLOCK_SKEW(
      "the device's clock differs too much from the KDC's", "synchronise the device's clock (NTP) and retry"),
  /**
   * The KDC is not authoritative for the requested realm.
   *
   * @since 0.1.0
   */
  WRONG_REALM(
      "the KDC does not serve this realm", "check the realm derived from the UPN and the KDC addresses configured for it"),
  /**
   * No security token matches the configured slot, label or serial.
   *
   * @since 0.1.0
   */
  TOKEN_NOT_FOUND(
      "no token matches the configured slot, label or serial",
      "insert the token, or correct the selector; the message lists the tokens the PKCS#11 library reports"),
  /**
   * The security token was removed or stopped answering.
   *
   * @since 0.1.0
   */
  TOKEN_REMOVED(
      "the token was removed or stopped answering",
      "reinsert the token (or restore its storage) and retry; an operation that failed this way changed nothing"),
  /**
   * The token itself has blocked its user PIN after too many wrong PINs.
   *
   * @since 0.1.0
   */
  PIN_BLOCKED(
      "the token has blocked its user PIN",
      "ask the token's security officer to unblock it with the SO PIN (for example pkcs11-tool --login"
          + " --login-type so --init-pin), then use the new PIN"),
  /**
   * No pre-generated key is available and the provider cannot generate one without the user's gesture.
   *
   * @since 0.1.0
   */
  KEY_POOL_EMPTY(
      "no pre-generated key is available and the provider cannot generate one now",
      "fill the provider's key pool while the user is signed in to the token (see the provider's documentation),"
          + " then retry");

  private final String meaning;
  private final String remedy;

  ErrorCode(String meaning, String remedy) {
    this.meaning = meaning;
    this.remedy = remedy;
  }

  /**
   * Returns what the code means, in one line.
   *
   * @return the meaning
   * @since 0.1.0
   */
  public String meaning() {
    return meaning;
  }

  /**
   * Returns the default remedy: what the user or the application can do.
   *
   * @return the remedy hint
   * @since 0.1.0
   */
  public String remedy() {
    return remedy;
  }
}
