/**
 * Test helpers and the contract tests every ngc4j provider runs: scripted gestures, an in-memory biometric
 * modality, a settable clock, {@link dev.ngc4j.testkit.KeyContainerContract}, and a software TPM harness
 * ({@link dev.ngc4j.testkit.swtpm.Swtpm}). Use it in test scope only.
 */
module dev.ngc4j.testkit {
  requires transitive dev.ngc4j.api;
  requires transitive org.junit.jupiter.api;

  exports dev.ngc4j.testkit;
  exports dev.ngc4j.testkit.swtpm;

  opens dev.ngc4j.testkit to
      org.junit.platform.commons;
}
