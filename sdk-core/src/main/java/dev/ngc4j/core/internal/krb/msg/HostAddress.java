package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A HostAddress (RFC 4120 §5.2.5); HostAddresses is a SEQUENCE OF them. The client sends none (it omits the
 * addresses field, which gives address-less tickets); they are decoded where a KDC sends them (caddr).
 *
 * <pre>
 * HostAddress ::= SEQUENCE {
 *   addr-type [0] Int32,
 *   address   [1] OCTET STRING
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class HostAddress {
  /** IPv4 address type. */
  public static final int IPV4 = 2;
  /** IPv6 address type. */
  public static final int IPV6 = 24;

  private final int type;
  private final byte[] address;

  /**
   * Creates the address; the bytes are copied.
   *
   * @param type the address type
   * @param address the address bytes
   */
  public HostAddress(int type, byte[] address) {
    this.type = type;
    this.address = address.clone();
  }

  /**
   * Returns the address type.
   *
   * @return the type
   */
  public int type() {
    return type;
  }

  /**
   * Returns a copy of the address bytes.
   *
   * @return the bytes
   */
  public byte[] address() {
    return address.clone();
  }

  /**
   * Encodes a HostAddresses list.
   *
   * @param list the addresses
   * @return the encoding
   */
  public static byte[] encodeList(List<HostAddress> list) {
    List<byte[]> parts = new ArrayList<>();
    for (HostAddress a : list) {
      parts.add(Der.sequence(Der.explicit(0, Der.integer(a.type)), Der.explicit(1, Der.octetString(a.address))));
    }
    return Der.sequence(parts);
  }

  /**
   * Reads a HostAddresses list at the reader's position.
   *
   * @param reader the reader
   * @return the addresses; immutable
   * @throws KrbMessageException if malformed
   */
  public static List<HostAddress> readList(DerReader reader) throws KrbMessageException {
    return reader.sequenceOf(r -> {
      DerReader seq = r.sequence("HostAddress");
      int type = seq.field(0, "addr-type", DerReader::int32);
      byte[] address = seq.field(1, "address", DerReader::octetString);
      seq.end();
      return new HostAddress(type, address);
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostAddress a && a.type == type && Arrays.equals(a.address, address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(address));
  }

  @Override
  public String toString() {
    return "HostAddress[type=" + type + ", " + address.length + " bytes]";
  }
}
