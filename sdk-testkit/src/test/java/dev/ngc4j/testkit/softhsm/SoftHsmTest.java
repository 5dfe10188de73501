package dev.ngc4j.testkit.softhsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftHsmTest {
  @TempDir
  Path dir;

  @Test
  void writesItsConfigurationCreatesAToolTokenAndRemovesIt() throws Exception {
    SoftHsm hsm = SoftHsm.at(dir.resolve("softhsm2.conf"));
    assertTrue(Files.readString(hsm.config()).contains("directories.tokendir = " + hsm.tokens()));
    String serial = hsm.createToken("harness", "87654321", "314159");
    assertEquals(Optional.of(serial), hsm.serialOf("harness"));
    assertTrue(hsm.tokenDirectory(serial).isPresent());

    hsm.generateKeyPair("harness", "314159", "0102", "tool-key");
    assertTrue(hsm.listObjects("harness", "314159").contains("tool-key"));
    byte[] message = "harness".getBytes(StandardCharsets.UTF_8);
    byte[] signature = hsm.sign("harness", "314159", "0102", message);
    PublicKey key = KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(hsm.readPublicKey("harness", "0102")));
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(message);
    assertTrue(v.verify(signature));

    assertTrue(hsm.removeToken(serial));
    assertFalse(hsm.tokenDirectory(serial).isPresent());
    assertEquals(Optional.empty(), hsm.serialOf("harness"));
    hsm.cleanup();
  }

  @Test
  void aWrongPinMakesTheToolFailWithItsOutput() {
    SoftHsm hsm = SoftHsm.at(dir.resolve("softhsm2.conf"));
    hsm.createToken("wrongpin", "87654321", "314159");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> hsm.listObjects("wrongpin", "000000"));
    assertTrue(String.valueOf(e.getMessage()).contains("--list-objects"), e::getMessage);
    hsm.cleanup();
  }

  @Test
  void fromEnvironmentExplainsAMissingVariable() {
    if (System.getenv(SoftHsm.CONF_VARIABLE) == null) {
      IllegalStateException e = assertThrows(IllegalStateException.class, SoftHsm::fromEnvironment);
      assertTrue(String.valueOf(e.getMessage()).contains("SOFTHSM2_CONF"), e::getMessage);
    } else {
      assertEquals(Path.of(System.getenv(SoftHsm.CONF_VARIABLE)).toAbsolutePath().normalize(),
          SoftHsm.fromEnvironment().config());
    }
  }
}
