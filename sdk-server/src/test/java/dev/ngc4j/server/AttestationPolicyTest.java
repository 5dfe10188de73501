package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertDrs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.server.support.InMemoryDirectoryStore;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.spi.AttestationVerification;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What key registration does with attestation statements under each policy, with and without a verifier. The
 * verifier here is a stand-in: it accepts a statement whose signature bytes are SHA-256 of the qualifying data.
 */
final class AttestationPolicyTest {
  private static final String T = Fixture.DOMAIN;

  private static final AttestationVerifierHook FAKE = (statement, key, qualifyingData) -> {
    try {
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(qualifyingData.toByteArray());
      if (!statement.signature().equals(Bytes.of(expected))) {
        throw new AttestationException("signature does not cover the qualifying data");
      }
      return new AttestationVerification(AttestationFormat.TPM, statement.certificateChain().get(0), "fake TPM");
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  };

  private record Outcome(WireClient.Response response, String digestBefore, String digestAfter, String attestation) {}

  private static Outcome register(Consumer<NgcService.Builder> config, boolean withStatement, boolean validSignature)
      throws Exception {
    try (Fixture fx = Fixture.direct(new InMemoryDirectoryStore(), config)) {
      WireClient.Device device = fx.client.join(fx.client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
      String token = fx.client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device);
      KeyPair whfb = WireClient.rsa();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("kngc", Base64.getEncoder().encodeToString(WireClient.rsa1(whfb)));
      if (withStatement) {
        String nonce = fx.client.get("/EnrollmentServer/nonce/" + T + "/", Map.of()).string("Value");
        byte[] qualifying = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
        byte[] sig = MessageDigest.getInstance("SHA-256").digest(qualifying);
        if (!validSignature) {
          sig[0] ^= 1;
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("fmt", "tpm");
        statement.put("x5c", List.of(Base64.getEncoder().encodeToString(device.certificate)));
        statement.put("certInfo", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        statement.put("pubArea", Base64.getEncoder().encodeToString(new byte[] {4, 5, 6}));
        statement.put("sig", Base64.getEncoder().encodeToString(sig));
        statement.put("nonce", nonce);
        body.put("attestation", statement);
      }
      String before = fx.digest();
      WireClient.Response r = fx.client.registerKey(token, body);
      String attestation = fx.service.keysOfUser(Fixture.UPN).stream().map(KeyInfo::attestation).findFirst()
          .orElse("-");
      return new Outcome(r, before, fx.digest(), attestation);
    }
  }

  @Test
  void requiredWithoutAVerifierRefusesEveryKey() throws Exception {
    for (boolean statement : new boolean[] {false, true}) {
      Outcome o = register(b -> b.attestationPolicy(AttestationPolicy.REQUIRED), statement, true);
      assertDrs(o.response(), 400, "attestation_invalid");
      assertEquals(o.digestBefore(), o.digestAfter());
    }
  }

  @Test
  void optionalAndIgnoredWithoutAVerifierRegisterUnattested() throws Exception {
    for (AttestationPolicy policy : new AttestationPolicy[] {AttestationPolicy.OPTIONAL, AttestationPolicy.IGNORED}) {
      for (boolean statement : new boolean[] {false, true}) {
        Outcome o = register(b -> b.attestationPolicy(policy), statement, true);
        assertEquals(200, o.response().status(), o.response().body());
        assertEquals("none", o.attestation());
      }
    }
  }

  @Test
  void requiredWithAVerifierAcceptsAValidStatementAndRecordsIt() throws Exception {
    Outcome o = register(b -> b.attestationPolicy(AttestationPolicy.REQUIRED).attestationVerifier(FAKE), true, true);
    assertEquals(200, o.response().status(), o.response().body());
    assertEquals("verified:tpm", o.attestation());
  }

  @Test
  void aStatementThatFailsIsRefusedUnderRequiredAndOptional() throws Exception {
    for (AttestationPolicy policy : new AttestationPolicy[] {AttestationPolicy.REQUIRED, AttestationPolicy.OPTIONAL}) {
      Outcome o = register(b -> b.attestationPolicy(policy).attestationVerifier(FAKE), true, false);
      assertDrs(o.response(), 400, "attestation_invalid");
      assertEquals(o.digestBefore(), o.digestAfter());
    }
  }

  @Test
  void optionalWithAVerifierStillRegistersAKeyWithoutStatement() throws Exception {
    Outcome o = register(b -> b.attestationVerifier(FAKE), false, true);
    assertEquals(200, o.response().status());
    assertEquals("none", o.attestation());
  }
}
