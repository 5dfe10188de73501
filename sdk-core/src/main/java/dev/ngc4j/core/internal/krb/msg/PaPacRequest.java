package dev.ngc4j.core.internal.krb.msg;

/**
 * The PA-PAC-REQUEST value (MS-KILE §2.2.3), by which a client asks an Active Directory KDC to include (or leave
 * out) the PAC: {@code KERB-PA-PAC-REQUEST ::= SEQUENCE { include-pac [0] BOOLEAN }}.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class PaPacRequest {
  private PaPacRequest() {}

  /**
   * Returns the PA-DATA element {@link PaDataType#PA_PAC_REQUEST}.
   *
   * @param includePac whether the PAC is wanted
   * @return the element
   */
  public static PaData of(boolean includePac) {
    return new PaData(PaDataType.PA_PAC_REQUEST, Der.sequence(Der.explicit(0, Der.bool(includePac))));
  }
}
