package dev.ngc4j.core.internal.krb.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.core.internal.krb.msg.EncryptedData;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.MessageType;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.msg.Ticket;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData.ReplyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Findings of the fuzz tests, each reduced to a plain unit test of the decoder that failed, so that the bug stays
 * fixed in every build whatever the fuzzer explores next.
 */
final class DecoderRegressionTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] seed(String method, String name) throws IOException {
    String resource = FuzzSeeds.INPUTS.getFileName() + "/" + method + "/" + name;
    try (InputStream in = DecoderRegressionTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return in.readAllBytes();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Not a bug, but a case the round-trip check must allow: a KDC-REP with an explicitly empty padata field ({@code
   * [2] SEQUENCE {}}) is valid DER and the same reply as one without the field, which is how it is rebuilt.
   */
  @Test
  void anExplicitlyEmptyPadataIsAcceptedAsNoPadata() throws Exception {
    Ticket ticket = new Ticket("R", PrincipalName.krbtgt("R"), new EncryptedData(18, null, new byte[4]));
    byte[] without = new KdcRep(MessageType.AS_REP, List.of(), "R", PrincipalName.parse("a"), ticket,
        new EncryptedData(18, null, new byte[3])).encode();
    String hex = HEX.formatHex(without);
    String msgType = "a10302010b"; // msg-type [1] INTEGER 11, followed by crealm [3]: padata [2] goes between
    assertEquals("6b6a3068a003020105" + msgType + "a3", hex.substring(0, 30));
    byte[] with = HEX.parseHex(hex.replace(msgType, msgType + "a2023000"));
    with[1] = (byte) (with[1] + 4); // [APPLICATION 11] length
    with[3] = (byte) (with[3] + 4); // SEQUENCE length
    KdcRep rep = KdcRep.decodeAsRep(with);
    assertTrue(rep.padata().isEmpty());
    assertArrayEquals(with, rep.der(), "the reply keeps the bytes it was received in");
    DecoderTarget.AS_REP.check(with);
  }

  /**
   * Found by {@code allDecoders} (Jazzer, 2026-11-22): a signed attribute encoded as a SET instead of a SEQUENCE.
   * BouncyCastle parses signed attributes lazily, inside {@code SignerInformation.verify}, and reports the
   * malformed one with an unchecked {@code IllegalArgumentException} ("unknown object in getInstance: DLSet"),
   * which escaped {@link PkinitSignedData#verify}. It must be the typed {@link ReplyException}.
   */
  @Test
  void aSignedAttributeThatIsASetIsRefusedWithTheTypedException() throws Exception {
    byte[] reply = seed("pkinitSignedData", "mit-kdc-dh-key-data.der");
    // signedAttrs [0] IMPLICIT, then the content-type attribute: SEQUENCE { OID 1.2.840.113549.1.9.3, SET {...} }
    byte[] contentTypeAttribute = HEX.parseHex("301606092a864886f70d010903");
    int at = indexOf(reply, contentTypeAttribute);
    assertTrue(at > 0, "the MIT SignedData has a content-type signed attribute");
    assertEquals(0xA0, reply[at - 2] & 0xFF, "it is the first signed attribute");
    // The unmodified reply verifies: the signature covers the signed attributes.
    PkinitSignedData.verify(reply.clone(), PkinitSignedData.ID_PKINIT_DH_KEY_DATA);

    byte[] mutated = reply.clone();
    mutated[at] = 0x31; // SEQUENCE -> SET
    ReplyException e = assertThrows(ReplyException.class,
        () -> PkinitSignedData.verify(mutated, PkinitSignedData.ID_PKINIT_DH_KEY_DATA));
    assertNotNull(e.getMessage());
    DecoderTarget.PKINIT_SIGNED_DATA.check(mutated);
    byte[] dispatched = new byte[mutated.length + 1];
    dispatched[0] = DecoderTarget.PKINIT_SIGNED_DATA.selector();
    System.arraycopy(mutated, 0, dispatched, 1, mutated.length);
    DecoderTarget.dispatch(dispatched);
  }
}
