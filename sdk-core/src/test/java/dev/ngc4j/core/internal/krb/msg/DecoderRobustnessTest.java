package dev.ngc4j.core.internal.krb.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every decoder, fed with every truncation and thousands of seeded mutations of valid messages (flipped, inserted
 * and removed bytes, corrupted lengths and tags), either decodes or throws {@link KrbMessageException}: never an
 * unchecked exception or error. A cheap stand-in for the coverage-guided fuzzing that comes later.
 */
final class DecoderRobustnessTest {
  private static final int MUTATIONS_PER_SEED = 1000;

  /** A decoder under test; decoders that succeed are also asked for their derived views. */
  private interface Target {
    void decode(byte[] input) throws KrbMessageException;
  }

  /** A named valid message and the decoder to feed its mutations to. */
  private static final class Case {
    private final String name;
    private final byte[] seed;
    private final Target target;

    Case(String name, byte[] seed, Target target) {
      this.name = name;
      this.seed = seed.clone();
      this.target = target;
    }

    String name() {
      return name;
    }

    byte[] seed() {
      return seed.clone();
    }

    Target target() {
      return target;
    }
  }

  private static List<Case> cases() throws Exception {
    List<Case> cases = new ArrayList<>();
    KdcReqBody body = KdcReqBody.builder()
        .cname(PrincipalName.parse("alice")).realm("WHFB.TEST").sname(PrincipalName.krbtgt("WHFB.TEST"))
        .till(MessageRoundTripTest.T0).nonce(7).etypes(List.of(18, 17))
        .additionalTickets(List.of(MessageRoundTripTest.ticket())).build();
    cases.add(new Case("AS-REQ", new AsReq(List.of(PaPacRequest.of(true)), body).der(), AsReq::decode));
    cases.add(new Case("TGS-REQ", new TgsReq(List.of(), body).der(), TgsReq::decode));
    cases.add(new Case("AS-REP", MessageRoundTripTest.asRep().der(), KdcRep::decodeAsRep));
    cases.add(new Case("Ticket", MessageRoundTripTest.ticket().der(), Ticket::decode));
    KrbError err = MessageRoundTripTest.preauthRequired();
    cases.add(new Case("KRB-ERROR", err.der(), in -> {
      KrbError e = KrbError.decode(in);
      e.methodData();
      e.typedData();
      e.dhParameters();
    }));
    byte[] td = TypedData.encodeList(List.of(new TypedData(TypedData.TD_DH_PARAMETERS, HexFormat.of().parseHex(
        "3016" + "3014" + "06072a8648ce3e0201" + "3009" + "020117" + "020105" + "02010b"))));
    cases.add(new Case("TYPED-DATA", td, in -> {
      for (TypedData t : TypedData.decodeList(in)) {
        if (t.type() == TypedData.TD_DH_PARAMETERS) {
          t.dhParameters();
        }
      }
    }));
    cases.add(new Case("METHOD-DATA", err.eData() == null ? new byte[] {0x30, 0} : err.eData(),
        PaData::decodeMethodData));
    cases.add(new Case("ETYPE-INFO2", EtypeInfo2Entry.encodeList(List.of(new EtypeInfo2Entry(18, "salt",
        new byte[] {0, 0, 16, 0}))), EtypeInfo2Entry::decodeList));
    EncKdcRepPart part = EncKdcRepPart.builder().key(new EncryptionKey(18, new byte[32]))
        .lastReq(List.of(new LastReqEntry(0, MessageRoundTripTest.T0))).nonce(7).authtime(MessageRoundTripTest.T0)
        .endtime(MessageRoundTripTest.T0).renewTill(MessageRoundTripTest.T0).srealm("WHFB.TEST")
        .sname(PrincipalName.krbtgt("WHFB.TEST"))
        .caddr(List.of(new HostAddress(2, new byte[] {127, 0, 0, 1})))
        .encryptedPaData(List.of(new PaData(149, new byte[] {1}))).build();
    cases.add(new Case("EncKDCRepPart", part.encode(), EncKdcRepPart::decode));
    Authenticator auth = new Authenticator("R", PrincipalName.parse("a"), new Checksum(16, new byte[12]), 1,
        MessageRoundTripTest.T0, new EncryptionKey(17, new byte[16]), 5);
    cases.add(new Case("Authenticator", auth.encode(), Authenticator::decode));
    cases.add(new Case("AP-REQ", new ApReq(0, MessageRoundTripTest.ticket(),
        new EncryptedData(18, null, new byte[8])).encode(), ApReq::decode));
    PkAuthenticator pk = new PkAuthenticator(5, MessageRoundTripTest.T0, 9, new byte[20], new byte[] {1, 2},
        new PaChecksum2(new byte[32], Der.algorithmIdentifier("2.16.840.1.101.3.4.2.1", null)));
    AuthPack pack = new AuthPack(pk, HexFormat.of().parseHex("3003020107"),
        List.of(HexFormat.of().parseHex("300d06092a864886f70d01010b0500")), new byte[] {1},
        List.of(PkinitOids.KDF_SHA256));
    cases.add(new Case("AuthPack", pack.encode(), AuthPack::decode));
    cases.add(new Case("PA-PK-AS-REQ", new PaPkAsReq(pack.encode(), List.of(new ExternalPrincipalIdentifier(
        new byte[] {1}, new byte[] {2}, new byte[] {3})), new byte[] {4}).encode(), PaPkAsReq::decode));
    cases.add(new Case("PA-PK-AS-REP", PaPkAsRep.ofDhInfo(new DhRepInfo(new byte[40], new byte[] {5},
        PkinitOids.KDF_SHA256)).der(), PaPkAsRep::decode));
    cases.add(new Case("KDCDHKeyInfo", KdcDhKeyInfo.of(BigInteger.valueOf(65537), 9, MessageRoundTripTest.T0)
        .encode(), in -> KdcDhKeyInfo.decode(in).dhPublicValue()));
    cases.add(new Case("ReplyKeyPack", new ReplyKeyPack(new EncryptionKey(18, new byte[32]),
        new Checksum(16, new byte[12])).encode(), ReplyKeyPack::decode));
    cases.add(new Case("KRB5PrincipalName", new Krb5PrincipalName("R", PrincipalName.krbtgt("R")).encode(),
        Krb5PrincipalName::decode));
    cases.add(new Case("MIT AS-REQ", MitCapture.bytes(MitCapture.AS_REQ_2), in -> {
      for (PaData p : AsReq.decode(in).padata()) {
        if (p.type() == PaDataType.PA_PK_AS_REQ) {
          PaPkAsReq.decode(p.value());
        }
      }
    }));
    cases.add(new Case("MIT AS-REP", MitCapture.bytes(MitCapture.AS_REP_2), in -> {
      for (PaData p : KdcRep.decodeAsRep(in).padata()) {
        PaPkAsRep.decode(p.value());
      }
    }));
    cases.add(new Case("MIT KRB-ERROR", MitCapture.bytes(MitCapture.KRB_ERROR_1), in -> KrbError.decode(in)
        .methodData()));
    cases.add(new Case("MIT EncTGSRepPart", MitCapture.bytes(MitCapture.ENC_AS_REP_PART), EncKdcRepPart::decode));
    return cases;
  }

  private static void check(Case c, byte[] input, String mutation) {
    try {
      c.target().decode(input);
    } catch (KrbMessageException expected) {
      // refused with the checked exception: fine
    } catch (RuntimeException | Error e) {
      fail(c.name() + " decoder threw " + e + " on " + mutation + ": " + HexFormat.of().formatHex(input), e);
    }
  }

  @Test
  void seedsDecodeAndReEncodeToTheSameBytes() throws Exception {
    for (Case c : cases()) {
      c.target().decode(c.seed()); // every seed is valid
    }
    byte[] req = cases().get(0).seed();
    assertArrayEquals(req, AsReq.decode(req).der());
  }

  @Test
  void everyTruncationIsRefused() throws Exception {
    for (Case c : cases()) {
      for (int n = 0; n < c.seed().length; n++) {
        byte[] cut = Arrays.copyOf(c.seed(), n);
        assertThrows(KrbMessageException.class, () -> c.target().decode(cut), c.name() + " truncated to " + n);
      }
    }
  }

  @Test
  void trailingBytesAreRefused() throws Exception {
    for (Case c : cases()) {
      byte[] longer = Arrays.copyOf(c.seed(), c.seed().length + 1);
      assertThrows(KrbMessageException.class, () -> c.target().decode(longer), c.name());
    }
  }

  @Test
  void mutationsNeverEscapeAsUncheckedExceptions() throws Exception {
    Random random = new Random(0x6e676334L);
    for (Case c : cases()) {
      for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
        byte[] m = mutate(c.seed(), random);
        check(c, m, "mutation " + i);
      }
    }
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] out = seed.clone();
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds && out.length > 0; r++) {
      int at = random.nextInt(out.length);
      switch (random.nextInt(7)) {
        case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> out[at] = (byte) random.nextInt(256);
        case 2 -> out[at] = new byte[] {(byte) 0x80, (byte) 0x81, (byte) 0x84, (byte) 0xff, 0x00, 0x7f}[
            random.nextInt(6)];
        case 3 -> {
          byte[] bigger = new byte[out.length + 1];
          System.arraycopy(out, 0, bigger, 0, at);
          bigger[at] = (byte) random.nextInt(256);
          System.arraycopy(out, at, bigger, at + 1, out.length - at);
          out = bigger;
        }
        case 4 -> {
          byte[] smaller = new byte[out.length - 1];
          System.arraycopy(out, 0, smaller, 0, at);
          System.arraycopy(out, at + 1, smaller, at, out.length - at - 1);
          out = smaller;
        }
        case 5 -> {
          int len = 1 + random.nextInt(Math.min(16, out.length - at));
          byte[] dup = new byte[out.length + len];
          System.arraycopy(out, 0, dup, 0, at + len);
          System.arraycopy(out, at, dup, at + len, out.length - at);
          out = dup;
        }
        default -> {
          int tagged = random.nextInt(out.length);
          out[tagged] = (byte) (out[tagged] ^ 0x20); // constructed/primitive flip
        }
      }
    }
    return out;
  }
}
