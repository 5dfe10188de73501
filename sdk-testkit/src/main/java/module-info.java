/**
 * Test helpers and the contract tests every ngc4j provider runs: scripted gestures, an in-memory biometric
 * modality, a settable clock, {@link dev.ngc4j.testkit.KeyContainerContract}, a software TPM harness
 * ({@link dev.ngc4j.testkit.swtpm.Swtpm}) and an MIT Kerberos KDC with PKINIT ({@link dev.ngc4j.testkit.kdc.MitKdc}).
 * Use it in test scope only.
 */
module dev.ngc4j.testkit {
  requires transitive dev.ngc4j.api;
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;

  exports dev.ngc4j.testkit;
  exports dev.ngc4j.testkit.swtpm;
  exports dev.ngc4j.testkit.kdc;
  exports dev.ngc4j.testkit.softhsm;

  opens dev.ngc4j.testkit to
      org.junit.platform.commons;
}
