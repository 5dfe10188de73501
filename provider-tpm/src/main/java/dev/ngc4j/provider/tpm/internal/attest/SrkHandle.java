package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.NgcException;

/**
 * Gives the handle of the provider's storage root key (SRK), under which the AK and the user keys load. Called
 * only inside {@link dev.ngc4j.provider.tpm.internal.TpmConnection#call}, so the handle belongs to the connection's
 * current generation for the whole call.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface SrkHandle {
  /**
   * Returns the SRK's transient or persistent handle, creating or loading the SRK if the connection is new.
   *
   * @return the handle
   * @throws NgcException if the SRK cannot be prepared
   */
  int get() throws NgcException;
}
