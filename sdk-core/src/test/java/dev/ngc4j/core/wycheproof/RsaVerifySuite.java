package dev.ngc4j.core.wycheproof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.SignatureVerifier;
import dev.ngc4j.core.wycheproof.RsaVerifyVectors.Case;
import dev.ngc4j.core.wycheproof.RsaVerifyVectors.Result;
import dev.ngc4j.core.wycheproof.VectorPolicy.Decision;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.jspecify.annotations.Nullable;

/**
 * Turns one RSA verification vector file into dynamic tests that run every vector through
 * {@link SignatureVerifier}: one test per vector, then one summary test whose name is the expected one-line count
 * and which recomputes every outcome and asserts the same line.
 */
final class RsaVerifySuite {
  private final RsaVerifyVectors file;
  private final SignatureAlgorithm algorithm;
  private final VectorPolicy policy;

  private RsaVerifySuite(RsaVerifyVectors file, SignatureAlgorithm algorithm, VectorPolicy policy) {
    this.file = file;
    this.algorithm = algorithm;
    this.policy = policy;
  }

  /** What a vector did when run through the verifier. */
  enum Outcome {
    VERIFIED,
    REJECTED,
    KEY_REFUSED
  }

  /** What a vector must do under the labels and our policy; {@code UNDECIDED} always fails. */
  enum Expected {
    VERIFY(Outcome.VERIFIED),
    REJECT(Outcome.REJECTED),
    REFUSE_KEY(Outcome.KEY_REFUSED),
    UNDECIDED(null);

    private final @Nullable Outcome outcome;

    Expected(@Nullable Outcome outcome) {
      this.outcome = outcome;
    }

    boolean isMetBy(Outcome actual) {
      return actual == outcome;
    }
  }

  /** The four groups counted in the summary line. */
  enum Category {
    VALID_OK("valid-ok"),
    INVALID_REJECTED("invalid-rejected"),
    ACCEPTABLE_AS_DECIDED("acceptable-as-decided"),
    REFUSED_BY_KEY_POLICY("refused-by-key-policy");

    private final String label;

    Category(String label) {
      this.label = label;
    }
  }

  private record Expectation(Expected expected, Category category, String why) {}

  private record Run(Outcome outcome, @Nullable NgcException refusal) {}

  /** Builds the tests for one file: every vector, then the summary. */
  static List<DynamicTest> dynamicTests(RsaVerifyVectors file, SignatureAlgorithm algorithm, VectorPolicy policy) {
    RsaVerifySuite suite = new RsaVerifySuite(file, algorithm, policy);
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : file.vectors()) {
      tests.add(DynamicTest.dynamicTest(c.displayName(), () -> suite.check(c)));
    }
    String expectedSummary = suite.summaryLine(true);
    tests.add(DynamicTest.dynamicTest("summary " + expectedSummary, () -> suite.checkSummary(expectedSummary)));
    return tests;
  }

  private void check(Case c) {
    Expectation expectation = expect(c);
    Run run = run(c);
    NgcException refusal = run.refusal();
    String context = "tcId " + c.tcId() + " in " + file.fileName() + " (labelled " + c.result()
        + ", flags " + c.flags() + "): expected " + expectation.expected() + " because " + expectation.why()
        + ", got " + run.outcome()
        + (refusal == null ? "" : " (" + refusal.getMessage() + ")")
        + notesText(c);
    assertTrue(expectation.expected().isMetBy(run.outcome()), context);
    if (refusal != null) {
      assertEquals(ErrorCode.UNSUPPORTED, refusal.code(), context);
    }
  }

  private void checkSummary(String expectedSummary) {
    assertEquals(file.numberOfTests(), file.vectors().size(), file.fileName() + ": numberOfTests disagrees with the tests");
    TreeSet<String> stale = new TreeSet<>(policy.acceptable().keySet());
    stale.addAll(policy.keyRefused().keySet());
    for (Case c : file.vectors()) {
      c.flags().forEach(stale::remove);
    }
    assertTrue(stale.isEmpty(), file.fileName() + ": policy entries for flags no vector carries: " + stale);
    List<Integer> undecided = new ArrayList<>();
    for (Case c : file.vectors()) {
      if (expect(c).expected() == Expected.UNDECIDED) {
        undecided.add(c.tcId());
      }
    }
    assertTrue(undecided.isEmpty(), file.fileName() + ": acceptable vectors without a policy decision: tcId " + undecided);
    assertEquals(expectedSummary, summaryLine(false), file.fileName() + ": outcomes differ from the expected counts");
  }

  /**
   * Returns {@code <file>: valid-ok a/b, invalid-rejected a/b, ...}: per category, how many vectors behaved as
   * expected out of how many there are. With {@code assumeAllPass} every vector counts as behaving as expected.
   */
  private String summaryLine(boolean assumeAllPass) {
    Map<Category, int[]> counts = new EnumMap<>(Category.class);
    for (Category category : Category.values()) {
      counts.put(category, new int[2]);
    }
    int undecided = 0;
    for (Case c : file.vectors()) {
      Expectation expectation = expect(c);
      int[] count = counts.get(expectation.category());
      if (count == null) {
        throw new IllegalStateException("no counter for " + expectation.category());
      }
      count[1]++;
      if (expectation.expected() == Expected.UNDECIDED) {
        undecided++;
      } else if (assumeAllPass || expectation.expected().isMetBy(run(c).outcome())) {
        count[0]++;
      }
    }
    StringBuilder line = new StringBuilder(file.fileName()).append(':');
    String separator = " ";
    for (Map.Entry<Category, int[]> e : counts.entrySet()) {
      line.append(separator).append(e.getKey().label).append(' ').append(e.getValue()[0]).append('/').append(e.getValue()[1]);
      separator = ", ";
    }
    line.append("; acceptable flags ")
        .append(new TreeMap<>(policy.acceptable()).entrySet().stream()
            .map(e -> e.getKey() + "=" + (e.getValue().accept() ? "accept" : "reject"))
            .collect(Collectors.joining(", ", "{", "}")));
    if (undecided > 0) {
      line.append("; ").append(undecided).append(" acceptable vectors without a policy decision");
    }
    return line.toString();
  }

  private Expectation expect(Case c) {
    for (String flag : c.flags()) {
      String rule = policy.keyRefused().get(flag);
      if (rule != null) {
        return new Expectation(Expected.REFUSE_KEY, Category.REFUSED_BY_KEY_POLICY, "flag " + flag + ": " + rule);
      }
    }
    if (c.result() == Result.VALID) {
      return new Expectation(Expected.VERIFY, Category.VALID_OK, "the vector is valid");
    }
    if (c.result() == Result.INVALID) {
      return new Expectation(Expected.REJECT, Category.INVALID_REJECTED, "the vector is invalid");
    }
    Decision decision = null;
    String decidedBy = "";
    for (String flag : c.flags()) {
      Decision d = policy.acceptable().get(flag);
      if (d == null) {
        continue;
      }
      if (decision != null && decision.accept() != d.accept()) {
        return new Expectation(Expected.UNDECIDED, Category.ACCEPTABLE_AS_DECIDED,
            "the policy decisions for flags " + decidedBy + " and " + flag + " contradict each other");
      }
      decision = d;
      decidedBy = flag;
    }
    if (decision == null) {
      return new Expectation(Expected.UNDECIDED, Category.ACCEPTABLE_AS_DECIDED,
          "the vector is acceptable and none of its flags " + c.flags()
              + " has a decision in the policy map: decide (accept or reject) and record it");
    }
    return new Expectation(decision.accept() ? Expected.VERIFY : Expected.REJECT, Category.ACCEPTABLE_AS_DECIDED,
        "the policy for acceptable flag " + decidedBy + " is to " + decision);
  }

  private Run run(Case c) {
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(c.publicKeyDer().toByteArray()));
    } catch (GeneralSecurityException e) {
      return Assertions.fail(file.fileName() + ": the publicKeyDer of tcId " + c.tcId() + " does not decode", e);
    }
    SignatureVerifier verifier;
    try {
      verifier = SignatureVerifier.forKey(key, algorithm);
    } catch (NgcException e) {
      return new Run(Outcome.KEY_REFUSED, e);
    }
    byte[] msg = c.msg().toByteArray();
    byte[] sig = c.sig().toByteArray();
    boolean verified = assertDoesNotThrow(() -> verifier.verify(msg, sig),
        () -> "tcId " + c.tcId() + ": SignatureVerifier.verify must return false, never throw" + notesText(c));
    return new Run(verified ? Outcome.VERIFIED : Outcome.REJECTED, null);
  }

  private String notesText(Case c) {
    StringBuilder s = new StringBuilder();
    for (String flag : c.flags()) {
      RsaVerifyVectors.Note note = file.notes().get(flag);
      s.append("\n  ").append(note == null ? flag + ": no note" : note.text());
    }
    return s.toString();
  }
}
