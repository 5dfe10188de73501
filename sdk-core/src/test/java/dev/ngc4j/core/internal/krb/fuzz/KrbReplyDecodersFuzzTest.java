package dev.ngc4j.core.internal.krb.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of every decoder of what a KDC sends ({@link DecoderTarget}): any exception other than the
 * decoder's typed one, and any broken round trip, is a finding.
 *
 * <p>Two modes (see sdk-core's {@code pom.xml}):
 *
 * <ul>
 *   <li><b>Regression</b> (every build, surefire execution {@code jazzer-regression}): each method runs on the
 *       empty input and on every file under
 *       {@code src/test/resources/dev/ngc4j/core/internal/krb/fuzz/KrbReplyDecodersFuzzTestInputs/<method>/}: the
 *       seeds (see {@link FuzzSeeds}) and any reproducer saved from an earlier finding.
 *   <li><b>Fuzzing</b> ({@code JAZZER_FUZZ=1}; only one fuzz test per JVM): every build fuzzes {@link
 *       #allDecoders(byte[])}, which picks the decoder from the first byte, for a fixed budget (surefire execution
 *       {@code jazzer-fuzz}). A longer session on one target (after a {@code test-compile}):
 *       <pre>
 * mvn -o -pl sdk-core surefire:test@jazzer-fuzz -Dngc4j.fuzz.test=KrbReplyDecodersFuzzTest#krbError \
 *     -Dngc4j.fuzz.duration=10m
 *       </pre>
 *       Findings ({@code crash-<sha1>} files) and the generated corpus are written under {@code target/jazzer/}.
 * </ul>
 *
 * <p>A finding becomes a regular unit test in {@link DecoderRegressionTest}.
 */
final class KrbReplyDecodersFuzzTest {
  /** The default fuzzing time of a method run alone; the build's fuzzing execution sets its own, shorter one. */
  private static final String SESSION = "10m";

  @FuzzTest(maxDuration = SESSION)
  void allDecoders(byte[] input) {
    DecoderTarget.dispatch(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void asRep(byte[] input) {
    DecoderTarget.AS_REP.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void tgsRep(byte[] input) {
    DecoderTarget.TGS_REP.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void krbError(byte[] input) {
    DecoderTarget.KRB_ERROR.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void encKdcRepPart(byte[] input) {
    DecoderTarget.ENC_KDC_REP_PART.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void paPkAsRep(byte[] input) {
    DecoderTarget.PA_PK_AS_REP.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void kdcDhKeyInfo(byte[] input) {
    DecoderTarget.KDC_DH_KEY_INFO.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void ticket(byte[] input) {
    DecoderTarget.TICKET.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void methodData(byte[] input) {
    DecoderTarget.METHOD_DATA.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void krb5PrincipalName(byte[] input) {
    DecoderTarget.KRB5_PRINCIPAL_NAME.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void typedData(byte[] input) {
    DecoderTarget.TYPED_DATA.check(input);
  }

  @FuzzTest(maxDuration = SESSION)
  void pkinitSignedData(byte[] input) {
    DecoderTarget.PKINIT_SIGNED_DATA.check(input);
  }
}
