package dev.ngc4j.benchmarks;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the usual command-line options and then prints the ratios BENCHMARKS.md reports, computed from the
 * results of this one run, with the target each one is held to:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ngc4j.benchmarks.BenchmarkRatios -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 *
 * <p>Every benchmark reports microseconds per operation, so a ratio is a quotient of scores. The range next to it
 * divides the ends of JMH's 99.9% confidence intervals ({@code (a - ea) / (b + eb)} to {@code (a + ea) / (b - eb)}),
 * so it shows how much the noise of this run allows. A paired ratio ({@link SignBench#paired},
 * {@link AssertionBench#paired}, {@link ServiceSignInBench#paired}) is the quotient of the benchmark's two time
 * counters summed over all measurement iterations (and threads), and its range is the lowest and highest
 * per-iteration quotient. Rates (sign-ins per second) are threads * 10^6 / score of a benchmark that reports the time
 * per operation on each thread. A ratio whose inputs were filtered out prints {@code n/a}.
 *
 * <p>Thread safety: a command-line tool; not for concurrent use.
 */
public final class BenchmarkRatios {
  private BenchmarkRatios() {}

  /**
   * Runs the benchmarks and prints the ratios.
   *
   * @param args JMH command-line options (see {@code -h})
   * @throws Exception if the options are invalid or JMH fails
   */
  public static void main(String[] args) throws Exception {
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    print(results, System.out);
  }

  static void print(Collection<RunResult> results, PrintStream out) {
    out.println();
    out.println("Ratios from this run (score / score; [range]: ends of the 99.9% confidence intervals, or for a paired"
        + " ratio the lowest and highest iteration):");
    ratio(out, "pool hit vs fresh generation (fresh / hit)", "target >= 1000x",
        find(results, "KeyPoolBench.freshGeneration", null), find(results, "KeyPoolBench.takeHit", null), 1000, true);
    ratio(out, "pool miss vs fresh generation (miss / fresh)", "info: ~1x expected",
        find(results, "KeyPoolBench.takeMiss", null), find(results, "KeyPoolBench.freshGeneration", null), 0, true);
    for (String size : new String[] {"32", "1024"}) {
      paired(out, "container sign vs raw JCA, paired in one benchmark, " + size + " B (container / raw)",
          findRun(results, "SignBench.paired", size), "containerNanos", "rawNanos", "target <= 1.05x", 1.05);
      ratio(out, "container sign vs raw JCA, reused Signature, " + size + " B (container / raw)", "target <= 1.05x",
          find(results, "SignBench.containerSign", size), find(results, "SignBench.rawJcaSignReused", size), 1.05,
          false);
      ratio(out, "container sign vs raw JCA, new Signature per call, " + size + " B (container / raw)",
          "target <= 1.05x", find(results, "SignBench.containerSign", size), find(results, "SignBench.rawJcaSign", size),
          1.05, false);
    }
    ratio(out, "unlock + close vs one raw JCA sign, 32 B (unlock / sign)", "info: cost in signatures",
        find(results, "UnlockBench.unlockAndClose", null), find(results, "SignBench.rawJcaSignReused", "32"), 0, true);
    cloud(results, out);
    tpm(results, out);
    tpmAttestation(results, out);
    pkcs11(results, out);
    pkinit(results, out);
  }

  /** The PKINIT client against MIT kinit on the same loopback KDC: {@link PkinitBench}. */
  private static void pkinit(Collection<RunResult> results, PrintStream out) {
    paired(out, "PKINIT AS exchange: ngc4j vs MIT kinit, paired (ngc4j / kinit)",
        findRun(results, "PkinitBench.paired", null), "ngc4jNanos", "kinitNanos", "target <= 1.0x", 1.0);
    ratio(out, "PKINIT AS exchange: ngc4j vs MIT kinit, same KDC (ngc4j / kinit)", "target <= 1.0x",
        find(results, "PkinitBench.ngc4j", null), find(results, "PkinitBench.mitKinit", null), 1.0, false);
    milliseconds(out, "PKINIT AS exchange: ngc4j", find(results, "PkinitBench.ngc4j", null));
    milliseconds(out, "PKINIT AS exchange: MIT kinit (a new process, as kerberos.md measured it)",
        find(results, "PkinitBench.mitKinit", null));
  }

  /** The TPM provider's ratios: {@link TpmSignBench}, {@link TpmPoolBench}. */
  private static void tpm(Collection<RunResult> results, PrintStream out) {
    paired(out, "TPM container sign vs bare TSS.Java sign, paired (container / bare)",
        findRun(results, "TpmSignBench.paired", null), "containerNanos", "bareNanos", "target <= 1.10x", 1.10);
    ratio(out, "TPM container sign vs bare TSS.Java sign, separate (container / bare)", "target <= 1.10x",
        find(results, "TpmSignBench.containerSign", null), find(results, "TpmSignBench.bareSign", null), 1.10, false);
    ratio(out, "TPM provisioning, warm pool vs cold TPM2_Create (cold / warm)", "target >= 20x",
        find(results, "TpmPoolBench.coldCreate", null), find(results, "TpmPoolBench.warmPool", null), 20, true);
  }

  /** The PKCS#11 provider's ratios on SoftHSM2: {@link Pkcs11SignBench}, {@link Pkcs11PoolBench}. */
  private static void pkcs11(Collection<RunResult> results, PrintStream out) {
    paired(out, "PKCS#11 container sign vs raw SunPKCS11 sign, paired (container / raw)",
        findRun(results, "Pkcs11SignBench.paired", null), "containerNanos", "rawNanos", "target <= 1.10x", 1.10);
    ratio(out, "PKCS#11 container sign vs raw SunPKCS11 sign, separate (container / raw)", "target <= 1.10x",
        find(results, "Pkcs11SignBench.containerSign", null), find(results, "Pkcs11SignBench.rawSunPkcs11", null),
        1.10, false);
    paired(out, "PKCS#11 container sign vs bare ipkcs11wrapper C_Sign, paired (container / bare)",
        findRun(results, "Pkcs11SignBench.pairedBare", null), "containerNanos", "bareNanos",
        "info: what the provider adds to the binding", 0);
    ratio(out, "PKCS#11 container sign vs bare ipkcs11wrapper C_Sign, separate (container / bare)", "info",
        find(results, "Pkcs11SignBench.containerSign", null), find(results, "Pkcs11SignBench.bareWrapper", null), 0,
        false);
    ratio(out, "PKCS#11 provisioning, pool hit vs on-token generation (generation / hit)", "info",
        find(results, "Pkcs11PoolBench.onTokenGeneration", null), find(results, "Pkcs11PoolBench.poolHit", null), 0,
        true);
  }

  /** The cloud sign-in ratios: {@link AssertionBench}, {@link ServiceSignInBench}, {@link CloudSignInBench}. */
  private static void cloud(Collection<RunResult> results, PrintStream out) {
    paired(out, "WHfB assertion build + sign vs raw JCA sign, paired (assertion / raw)",
        findRun(results, "AssertionBench.paired", null), "assertionNanos", "rawNanos", "target <= 1.10x", 1.10);
    ratio(out, "WHfB assertion build + sign vs raw JCA sign, separate (assertion / raw)", "target <= 1.10x",
        find(results, "AssertionBench.buildAndSign", null), find(results, "AssertionBench.rawSign", null), 1.10,
        false);
    paired(out, "service sign-in vs raw crypto, paired, 2 threads (service / raw)",
        findRun(results, "ServiceSignInBench.paired", null), "serviceNanos", "rawNanos", "target <= 1.5x", 1.5);
    ratio(out, "service sign-in vs raw crypto, separate, 2 threads (service / raw)", "target <= 1.5x",
        find(results, "ServiceSignInBench.service", null), find(results, "ServiceSignInBench.rawCrypto", null), 1.5,
        false);
    paired(out, "service sign-in vs raw crypto, paired, 1 thread (service / raw)",
        findRun(results, "ServiceSignInBench.pairedSingleThread", null), "serviceNanos", "rawNanos",
        "target <= 1.5x", 1.5);
    ratio(out, "service sign-in vs raw crypto, separate, 1 thread (service / raw)", "target <= 1.5x",
        find(results, "ServiceSignInBench.serviceSingleThread", null),
        find(results, "ServiceSignInBench.rawCryptoSingleThread", null), 1.5, false);
    rate(out, "service sign-ins per second, 2 threads", findRun(results, "ServiceSignInBench.service", null));
    rate(out, "raw crypto (2 verify + 1 OAEP) per second, 2 threads",
        findRun(results, "ServiceSignInBench.rawCrypto", null));
    rate(out, "service sign-ins per second, 1 thread",
        findRun(results, "ServiceSignInBench.serviceSingleThread", null));
    allocation(out, "allocated per sign-in, service, 1 thread",
        findRun(results, "ServiceSignInBench.serviceSingleThread", null));
    allocation(out, "allocated per sign-in, raw crypto, 1 thread",
        findRun(results, "ServiceSignInBench.rawCryptoSingleThread", null));
    ratio(out, "full sign-in over loopback vs one raw JCA sign (sign-in / sign)", "info: cost in signatures",
        find(results, "CloudSignInBench.fullSignIn", null), find(results, "AssertionBench.rawSign", null), 0, true);
    ratio(out, "unlock (Argon2id m=1024 KiB, t=1) share of a full sign-in (unlock / sign-in)", "info",
        find(results, "CloudSignInBench.unlockOnly", null), find(results, "CloudSignInBench.fullSignIn", null), 0,
        true);
    ratio(out, "nonce round trip share of a full sign-in (nonce / sign-in)", "info",
        find(results, "CloudSignInBench.nonceRoundTrip", null), find(results, "CloudSignInBench.fullSignIn", null), 0,
        true);
  }

  private static Optional<Result<?>> find(Collection<RunResult> results, String suffix, @Nullable String messageSize) {
    return findRun(results, suffix, messageSize).map(RunResult::getPrimaryResult);
  }

  private static Optional<RunResult> findRun(
      Collection<RunResult> results, String suffix, @Nullable String messageSize) {
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String size = r.getParams().getParam("messageSize");
      if (name.endsWith(suffix) && (messageSize == null || messageSize.equals(size))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Prints the ratio of two time counters of a paired benchmark, summed over its measurement iterations, with the
   * lowest and highest per-iteration ratio as the range; the ratio must be at most {@code target}.
   */
  private static void paired(
      PrintStream out, String what, Optional<RunResult> run, String numCounter, String denCounter, String goal,
      double target) {
    double num = 0;
    double den = 0;
    double low = Double.POSITIVE_INFINITY;
    double high = 0;
    if (run.isPresent()) {
      for (BenchmarkResult fork : run.get().getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          Result<?> n = iteration.getSecondaryResults().get(numCounter);
          Result<?> d = iteration.getSecondaryResults().get(denCounter);
          if (n == null || d == null || d.getScore() <= 0) {
            continue;
          }
          num += n.getScore();
          den += d.getScore();
          low = Math.min(low, n.getScore() / d.getScore());
          high = Math.max(high, n.getScore() / d.getScore());
        }
      }
    }
    if (den <= 0) {
      out.printf(Locale.ROOT, "  %-78s n/a (not run)%n", what);
      return;
    }
    verdict(out, what, goal, num / den, low, high, target, false);
  }

  /** Prints the bytes a benchmark's measured loop allocated per sign-in, from its allocation counters. */
  private static void allocation(PrintStream out, String what, Optional<RunResult> run) {
    double bytes = 0;
    double signIns = 0;
    if (run.isPresent()) {
      for (BenchmarkResult fork : run.get().getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          Result<?> b = iteration.getSecondaryResults().get("allocatedBytes");
          Result<?> n = iteration.getSecondaryResults().get("signIns");
          if (b != null && n != null) {
            bytes += b.getScore();
            signIns += n.getScore();
          }
        }
      }
    }
    if (signIns <= 0) {
      out.printf(Locale.ROOT, "  %-78s n/a (not run)%n", what);
      return;
    }
    out.printf(Locale.ROOT, "  %-78s %9.1f KB  info: allocated bytes / sign-ins over the iterations%n", what,
        bytes / signIns / 1024);
  }

  /**
   * Prints operations per second over all threads of a benchmark scored in microseconds per operation per thread:
   * threads * 10^6 / score, with the range from the ends of the confidence interval.
   */
  private static void rate(PrintStream out, String what, Optional<RunResult> run) {
    if (run.isEmpty()) {
      out.printf(Locale.ROOT, "  %-78s n/a (not run)%n", what);
      return;
    }
    Result<?> r = run.get().getPrimaryResult();
    int threads = run.get().getParams().getThreads();
    double score = r.getScore();
    double error = finite(r.getScoreError());
    double perSecond = threads * 1e6 / score;
    double low = threads * 1e6 / (score + error);
    String high = score - error > 0 ? String.format(Locale.ROOT, "%,.0f", threads * 1e6 / (score - error)) : "inf";
    out.printf(Locale.ROOT, "  %-78s %10.0f/s  [%,.0f .. %s]  info: %d thread(s) x 10^6 / (%.1f us/op)%n", what,
        perSecond, low, high, threads, score);
  }

  /**
   * Prints one ratio.
   *
   * @param target the bound, or 0 for an informational ratio
   * @param atLeast whether the ratio must be at least the target (else at most)
   */
  private static void ratio(
      PrintStream out, String what, String goal, Optional<Result<?>> num, Optional<Result<?>> den, double target,
      boolean atLeast) {
    if (num.isEmpty() || den.isEmpty()) {
      out.printf(Locale.ROOT, "  %-78s n/a (not run)%n", what);
      return;
    }
    double a = num.get().getScore();
    double ea = finite(num.get().getScoreError());
    double b = den.get().getScore();
    double eb = finite(den.get().getScoreError());
    // A confidence interval reaching zero or below leaves that end of the range unbounded.
    double low = a - ea > 0 ? (a - ea) / (b + eb) : Double.NaN;
    double high = b - eb > 0 ? (a + ea) / (b - eb) : Double.POSITIVE_INFINITY;
    verdict(out, what, goal, a / b, low, high, target, atLeast);
  }

  private static void verdict(
      PrintStream out, String what, String goal, double r, double low, double high, double target, boolean atLeast) {
    String verdict;
    if (target == 0) {
      verdict = goal;
    } else {
      boolean met = atLeast ? r >= target : r <= target;
      boolean pessimisticMet = atLeast ? low >= target : high <= target;
      boolean optimisticMet = atLeast ? high >= target : low <= target;
      if (met) {
        verdict = goal + ": MET" + (pessimisticMet ? "" : " (but the range crosses the target)");
      } else {
        verdict = goal + ": NOT MET" + (optimisticMet ? " (but the range crosses the target)" : "");
      }
    }
    out.printf(Locale.ROOT, "  %-78s %12s  [%s .. %s]  %s%n", what, format(r), format(low), format(high), verdict);
  }

  private static double finite(double error) {
    return Double.isFinite(error) ? error : 0;
  }

  private static String format(double x) {
    if (Double.isNaN(x)) {
      return "?";
    }
    if (Double.isInfinite(x)) {
      return "inf";
    }
    return x >= 100 ? String.format(Locale.ROOT, "%,.0fx", x) : String.format(Locale.ROOT, "%.3fx", x);
  }

  /** The TPM attestation round trip: {@link TpmAttestationBench}; informational, the issue sets no target. */
  private static void tpmAttestation(Collection<RunResult> results, PrintStream out) {
    ratio(out, "TPM attestation: attested registration vs plain registration (attested / plain)", "info",
        find(results, "TpmAttestationBench.attestedRegistration", null),
        find(results, "TpmAttestationBench.plainRegistration", null), 0, true);
    paired(out, "TPM attestation: attested vs plain registration, paired (attested / plain)",
        findRun(results, "TpmAttestationBench.paired", null), "attestedNanos", "plainNanos", "info", 0);
    milliseconds(out, "TPM attestation: AK enrolment round trip",
        find(results, "TpmAttestationBench.akEnrollment", null));
  }

  /**
   * Prints a benchmark's mean time per operation in milliseconds, with the ends of its 99.9% confidence interval.
   */
  private static void milliseconds(PrintStream out, String what, Optional<Result<?>> result) {
    if (result.isEmpty()) {
      out.printf(Locale.ROOT, "  %-78s n/a (not run)%n", what);
      return;
    }
    Result<?> r = result.get();
    double perUnit = switch (r.getScoreUnit()) {
      case "ns/op" -> 1e-6;
      case "us/op" -> 1e-3;
      case "ms/op" -> 1;
      case "s/op" -> 1e3;
      default -> Double.NaN;
    };
    if (Double.isNaN(perUnit)) {
      out.printf(Locale.ROOT, "  %-78s %.3f %s  info%n", what, r.getScore(), r.getScoreUnit());
      return;
    }
    double ms = r.getScore() * perUnit;
    double error = finite(r.getScoreError()) * perUnit;
    out.printf(Locale.ROOT, "  %-78s %9.1f ms  [%.1f .. %.1f]  info: mean time per operation%n", what, ms,
        Math.max(0, ms - error), ms + error);
  }
}
