package dev.ngc4j.core.internal.krb.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.core.internal.krb.msg.DhRepInfo;
import dev.ngc4j.core.internal.krb.msg.KdcDhKeyInfo;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbErrorCode;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PaPkAsRep;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The fuzz seeds are what they claim to be: every seed is accepted by its decoder (a seed the decoder refuses
 * would start the fuzzer from noise), the dispatcher's corpus is every target's seeds behind the right selector,
 * the seeds captured from MIT krb5kdc are the real replies named, and the seed builder still works.
 */
final class FuzzSeedsTest {
  /** The inputs directory as the tests see it: Jazzer reads the copy on the test class path. */
  private static Path inputs() {
    URL url = KrbReplyDecodersFuzzTest.class.getResource(FuzzSeeds.INPUTS.getFileName().toString());
    assertNotNull(url, "the seed directory " + FuzzSeeds.INPUTS + " is not on the test class path");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertAccepted(DecoderTarget target, String name, byte[] seed) {
    try {
      target.decodeAndCheck(seed);
    } catch (KrbMessageException e) {
      fail(target + " refuses its seed " + name + ": " + e.getMessage(), e);
    }
  }

  @Test
  void everyTargetHasSeedsAndItsDecoderAcceptsEachOne() throws Exception {
    for (DecoderTarget target : DecoderTarget.values()) {
      Map<String, byte[]> seeds = FuzzSeeds.read(inputs(), FuzzSeeds.methodName(target));
      assertFalse(seeds.isEmpty(), "no seeds for " + target);
      for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
        if (seed.getKey().startsWith("crash-")) {
          continue; // a saved finding: a reproducer, which the decoder may well refuse
        }
        assertAccepted(target, seed.getKey(), seed.getValue());
      }
    }
  }

  @Test
  void theDispatcherCorpusIsEveryTargetsSeedsBehindItsSelector() throws Exception {
    Map<String, byte[]> expected = FuzzSeeds.dispatcherSeeds(inputs());
    Map<String, byte[]> actual = new TreeMap<>(FuzzSeeds.read(inputs(), FuzzSeeds.ALL));
    actual.keySet().removeIf(name -> name.startsWith("crash-"));
    assertEquals(new TreeSet<>(expected.keySet()), actual.keySet(),
        "allDecoders is out of date: run FuzzSeeds.main (see its javadoc)");
    for (Map.Entry<String, byte[]> seed : expected.entrySet()) {
      assertArrayEquals(seed.getValue(), actual.get(seed.getKey()), seed.getKey());
      byte[] bytes = seed.getValue();
      DecoderTarget target = DecoderTarget.forSelector(bytes[0]);
      assertTrue(seed.getKey().startsWith(FuzzSeeds.methodName(target) + "-"), seed.getKey() + " selects " + target);
    }
  }

  @Test
  void everySelectorByteNamesItsOwnTarget() {
    for (DecoderTarget target : DecoderTarget.values()) {
      assertEquals(target, DecoderTarget.forSelector(target.selector()));
    }
    // every byte value selects some target, so no fuzzer input is wasted
    for (int b = 0; b < 256; b++) {
      assertNotNull(DecoderTarget.forSelector((byte) b));
    }
  }

  @Test
  void theSeedsBuiltWithTheEncodersAreAccepted() throws Exception {
    Map<DecoderTarget, Map<String, byte[]>> built = FuzzSeeds.build();
    for (DecoderTarget target : DecoderTarget.values()) {
      Map<String, byte[]> seeds = built.get(target);
      assertNotNull(seeds, target.toString());
      assertFalse(seeds.isEmpty(), "the builder makes no seed for " + target);
      seeds.forEach((name, bytes) -> assertAccepted(target, name, bytes));
    }
  }

  @Test
  void theMitPreauthRequiredErrorOffersPkinitAndAFreshnessToken() throws Exception {
    byte[] der = FuzzSeeds.read(inputs(), "krbError").get("mit-kdc-err-preauth-required.der");
    assertNotNull(der, "the captured MIT KRB-ERROR is missing (MitKdcCapture)");
    KrbError error = KrbError.decode(der);
    assertEquals(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED, error.errorCode());
    assertTrue(PaData.find(error.methodData(), PaDataType.PA_PK_AS_REQ).isPresent(), error.methodData().toString());
    PaData freshness = PaData.find(error.methodData(), PaDataType.PA_AS_FRESHNESS).orElseThrow();
    assertTrue(freshness.value().length > 0, "the KDC requires freshness, so it sends a token");
    assertArrayEquals(error.eData(), FuzzSeeds.read(inputs(), "methodData").get("mit-preauth-required.der"));
  }

  @Test
  void theMitAsRepCarriesAKdcSignedDhReplyThatVerifies() throws Exception {
    byte[] der = FuzzSeeds.read(inputs(), "asRep").get("mit-pkinit-as-rep.der");
    assertNotNull(der, "the captured MIT AS-REP is missing (MitKdcCapture)");
    KdcRep rep = KdcRep.decodeAsRep(der);
    assertEquals("alice", rep.cname().toString());
    assertEquals("krbtgt/" + rep.crealm(), rep.ticket().sname().toString());
    PaData pa = PaData.find(rep.padata(), PaDataType.PA_PK_AS_REP).orElseThrow();
    DhRepInfo dh = Objects.requireNonNull(PaPkAsRep.decode(pa.value()).dhInfo(), "MIT answers with DH");
    PkinitSignedData.Verified verified =
        PkinitSignedData.verify(dh.dhSignedData(), PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
    KdcDhKeyInfo keyInfo = KdcDhKeyInfo.decode(verified.content());
    assertTrue(keyInfo.dhPublicValue().bitLength() > 2000, "a 2048-bit group's public value");
    assertArrayEquals(verified.content(), FuzzSeeds.read(inputs(), "kdcDhKeyInfo").get("mit.der"));
    assertArrayEquals(pa.value(), FuzzSeeds.read(inputs(), "paPkAsRep").get("mit-dh.der"));
    assertArrayEquals(rep.ticket().der(), FuzzSeeds.read(inputs(), "ticket").get("mit-krbtgt.der"));
  }

  @Test
  void theMitTgsRepAndUnknownServiceErrorAreReal() throws Exception {
    byte[] tgs = FuzzSeeds.read(inputs(), "tgsRep").get("mit-tgs-rep.der");
    assertNotNull(tgs, "the captured MIT TGS-REP is missing (MitKdcCapture)");
    assertEquals("host/localhost", KdcRep.decodeTgsRep(tgs).ticket().sname().toString());
    byte[] unknown = FuzzSeeds.read(inputs(), "krbError").get("mit-kdc-err-s-principal-unknown.der");
    assertNotNull(unknown, "the captured MIT KRB-ERROR for an unknown service is missing (MitKdcCapture)");
    assertEquals(KrbErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, KrbError.decode(unknown).errorCode());
  }
}
