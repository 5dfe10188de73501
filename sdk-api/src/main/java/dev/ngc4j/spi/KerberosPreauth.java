package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.NgcException;

/**
 * PKINIT pre-authentication with a credential key: builds the AS-REQ whose AuthPack is signed through the
 * container, validates the KDC's reply (certificate chain, validity, revocation, KDC EKU, SAN equal to the realm)
 * and returns a TGT.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface KerberosPreauth {
  /**
   * Performs the AS exchange.
   *
   * @param request the principal, realm, KDC and trust mode
   * @param container the user's container
   * @param gestures where to get the gesture
   * @return the TGT
   * @throws NgcException {@link dev.ngc4j.api.KerberosPreauthException} with the KDC's error code, gesture errors
   * @since 0.1.0
   */
  TicketGrantingTicket asExchange(PkinitRequest request, KeyContainer container, GestureSource gestures)
      throws NgcException;
}
