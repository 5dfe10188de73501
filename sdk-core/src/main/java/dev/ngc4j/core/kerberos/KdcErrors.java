package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.spi.PkinitMode;
import org.jspecify.annotations.Nullable;

/**
 * Maps a KDC's KRB-ERROR to a typed {@link KerberosPreauthException} with a remedy that names the likely cause.
 * These are the errors behind the original system's "That option is temporarily unavailable": each one here says
 * what is wrong instead.
 *
 * <p>Thread safety: stateless.
 */
final class KdcErrors {
  private KdcErrors() {}

  /**
   * Builds the exception for a KRB-ERROR.
   *
   * @param code the RFC 4120 / RFC 4556 error code
   * @param name the code's name (for example {@code KDC_ERR_CLIENT_NOT_TRUSTED})
   * @param eText the KDC's e-text, or null
   * @param realm the realm asked for
   * @param client the client principal as sent
   * @param mode the trust model used, or null for a TGS exchange
   * @return the exception to throw
   */
  static KerberosPreauthException fromKrbError(
      int code, String name, @Nullable String eText, String realm, String client, @Nullable PkinitMode mode) {
    String kdcSays = eText == null || eText.isBlank() ? "" : " (KDC: \"" + sanitize(eText) + "\")";
    String base = "The KDC for " + realm + " refused " + client + ": " + name + kdcSays;
    if (code == 24 && eText != null && eText.contains("KDC_RETURN_PADATA")) {
      // MIT: the KDC's PKINIT module failed while building its own reply, typically because its certificate is
      // expired, not yet valid, or does not chain to the KDC's own anchors.
      return new KerberosPreauthException(ErrorCode.KDC_NOT_TRUSTED, code,
          base + "; the KDC could not build its PKINIT reply",
          "the KDC cannot use its own certificate: check that the KDC certificate is within its validity period and"
              + " chains to the KDC's anchors, and read the KDC's log",
          null);
    }
    return switch (code) {
      case 6 -> new KerberosPreauthException(ErrorCode.PRINCIPAL_UNKNOWN, code, base,
          "the KDC has no account " + client + "; check the UPN and that the account exists in realm " + realm, null);
      case 7 -> new KerberosPreauthException(ErrorCode.KERBEROS_ERROR, code, base,
          "the service principal is unknown to the KDC; check its name (for example host/server.contoso.com)", null);
      case 18 -> new KerberosPreauthException(ErrorCode.KERBEROS_ERROR, code, base,
          "the account is disabled, expired or locked in the directory; ask the administrator to enable it", null);
      case 14, 16 -> new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, code, base,
          ErrorCode.KDC_NOT_PKINIT_CAPABLE.remedy(), null);
      case 37 -> new KerberosPreauthException(ErrorCode.CLOCK_SKEW, code, base, ErrorCode.CLOCK_SKEW.remedy(), null);
      case 68 -> new KerberosPreauthException(ErrorCode.WRONG_REALM, code, base, ErrorCode.WRONG_REALM.remedy(), null);
      case 75 -> new KerberosPreauthException(ErrorCode.PRINCIPAL_MISMATCH, code, base,
          mode == PkinitMode.KEY_TRUST
              ? "the directory holds this key for another account; sign in as the account the credential was"
                  + " provisioned for"
              : "the certificate names another account; sign in with the UPN in the certificate or enrol a"
                  + " certificate for " + client,
          null);
      case 24, 62, 64, 70, 71, 72, 73, 74, 77 -> new KerberosPreauthException(
          ErrorCode.CLIENT_NOT_TRUSTED, code, base, clientNotTrustedRemedy(code, mode), null);
      case 63, 76 -> new KerberosPreauthException(ErrorCode.KDC_NOT_TRUSTED, code, base,
          "the KDC itself reports a problem with its certificate or name; the domain controller needs a valid KDC"
              + " certificate",
          null);
      case 65 -> new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, code, base,
          "the KDC accepts none of the Diffie-Hellman groups this client offers (2048 and 4096-bit MODP)", null);
      case 100 -> new KerberosPreauthException(ErrorCode.KDC_NOT_PKINIT_CAPABLE, code, base,
          "the KDC accepts none of the key-derivation functions offered (RFC 8636 SHA-256, SHA-1, SHA-512)", null);
      default -> new KerberosPreauthException(ErrorCode.KERBEROS_ERROR, code, base,
          "see the Kerberos error code; the KDC log names the reason", null);
    };
  }

  private static String clientNotTrustedRemedy(int code, @Nullable PkinitMode mode) {
    if (code == 72) {
      return "the client certificate is revoked; enrol a new logon certificate";
    }
    if (code == 73) {
      return "the KDC cannot check the client certificate's revocation; the CA's CRL must be reachable from the KDC";
    }
    if (code == 77) {
      return "the client certificate lacks the PKINIT client EKU (1.3.6.1.5.2.3.4) or smart-card logon, or"
          + " keyUsage digitalSignature; re-enrol with the logon template";
    }
    if (mode == PkinitMode.KEY_TRUST) {
      return "the KDC does not find this key for the account: the key is not synchronised to the directory yet"
          + " (msDS-KeyCredentialLink; wait for the sync cycle) or was removed; register the credential again";
    }
    return "the KDC does not trust the client certificate: it must be issued by a CA in the KDC's NTAuth/anchor"
        + " store, be valid and name this account";
  }

  /** Keeps e-text printable and short: it comes from the network. */
  static String sanitize(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
