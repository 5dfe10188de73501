package dev.ngc4j.core.wycheproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.core.internal.cloud.StrictJwe;
import dev.ngc4j.core.internal.cloud.StrictJwe.KeyAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Wycheproof RSAES-OAEP decryption vectors through {@link StrictJwe#oaepUnwrap}, the one OAEP path that
 * {@code StrictJwe.decrypt} uses. It lives in this package to reuse {@link VectorDirectory}.
 *
 * <p>On the path whose digests match the file, a vector must decrypt to its message exactly when it is labelled
 * {@code valid} and has the empty OAEP label (JOSE never uses a label); every other vector must fail. The
 * SHA-256/MGF1-SHA-1 file is fed to the RSA-OAEP-256 path (SHA-256/MGF1-SHA-256), where every vector must fail.
 */
class WycheproofRsaOaepTest {

  @TestFactory
  List<DynamicTest> rsaOaep2048Sha1Mgf1Sha1VectorsThroughTheRsaOaepPath() {
    return VectorDirectory.testsFor(
        "rsa_oaep_2048_sha1_mgf1sha1_test.json",
        path -> tests(path, "SHA-1", "SHA-1", KeyAlgorithm.RSA_OAEP, true));
  }

  @TestFactory
  List<DynamicTest> rsaOaep2048Sha256Mgf1Sha256VectorsThroughTheRsaOaep256Path() {
    return VectorDirectory.testsFor(
        "rsa_oaep_2048_sha256_mgf1sha256_test.json",
        path -> tests(path, "SHA-256", "SHA-256", KeyAlgorithm.RSA_OAEP_256, true));
  }

  @TestFactory
  List<DynamicTest> rsaOaep2048Sha256Mgf1Sha1VectorsAllFailOnTheRsaOaep256Path() {
    return VectorDirectory.testsFor(
        "rsa_oaep_2048_sha256_mgf1sha1_test.json",
        path -> tests(path, "SHA-256", "SHA-1", KeyAlgorithm.RSA_OAEP_256, false));
  }

  /**
   * One test per vector, then a summary checking that the file held as many vectors as it declares.
   *
   * @param matching whether {@code algorithm}'s digests are the file's; if not, every vector must fail
   */
  private static List<DynamicTest> tests(
      Path file, String sha, String mgfSha, KeyAlgorithm algorithm, boolean matching) {
    String name = String.valueOf(file.getFileName());
    Map<String, Object> root;
    try {
      root = JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      return Assertions.fail("cannot read " + file + ": " + e.getMessage(), e);
    }
    assertEquals("RSAES-OAEP", string(root, "algorithm", name), name + ": unexpected algorithm");
    List<DynamicTest> tests = new ArrayList<>();
    int count = 0;
    for (Object g : list(root, "testGroups", name)) {
      Map<?, ?> group = object(g, name);
      assertEquals(sha, string(group, "sha", name), name + ": group sha");
      assertEquals("MGF1", string(group, "mgf", name), name + ": group mgf");
      assertEquals(mgfSha, string(group, "mgfSha", name), name + ": group mgfSha");
      PrivateKey key = privateKey(string(group, "privateKeyPkcs8", name), name);
      for (Object t : list(group, "tests", name)) {
        Map<?, ?> test = object(t, name);
        count++;
        Object tcId = test.get("tcId");
        String result = string(test, "result", name);
        boolean emptyLabel = string(test, "label", name).isEmpty();
        byte[] ct = Bytes.fromHex(string(test, "ct", name)).toByteArray();
        byte[] msg = Bytes.fromHex(string(test, "msg", name)).toByteArray();
        String display = "tcId " + tcId + " " + result + (emptyLabel ? "" : " labelled") + " "
            + test.get("comment") + " " + test.get("flags");
        tests.add(DynamicTest.dynamicTest(display, () -> {
          if (!"valid".equals(result) && !"invalid".equals(result)) {
            Assertions.fail(name + " tcId " + tcId + ": result " + result + " needs a written decision");
          }
          byte[] out = StrictJwe.oaepUnwrap(key, algorithm, ct);
          if (matching && "valid".equals(result) && emptyLabel) {
            assertArrayEquals(msg, out, "a valid vector must decrypt to its message");
          } else {
            assertNull(out, "this vector must fail on the " + algorithm.headerName() + " path");
          }
        }));
      }
    }
    int declared = integer(root, "numberOfTests", name);
    int found = count;
    tests.add(DynamicTest.dynamicTest(
        name + ": " + declared + " vectors", () -> assertEquals(declared, found, name + ": vector count")));
    return tests;
  }

  private static PrivateKey privateKey(String pkcs8Hex, String name) {
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Bytes.fromHex(pkcs8Hex).toByteArray()));
    } catch (GeneralSecurityException e) {
      return Assertions.fail(name + ": cannot read the group's private key", e);
    }
  }

  private static String string(Map<?, ?> object, String key, String name) {
    if (object.get(key) instanceof String s) {
      return s;
    }
    return Assertions.fail(name + ": member " + key + " is not a string");
  }

  private static int integer(Map<?, ?> object, String key, String name) {
    if (object.get(key) instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    return Assertions.fail(name + ": member " + key + " is not an integer");
  }

  private static List<?> list(Map<?, ?> object, String key, String name) {
    if (object.get(key) instanceof List<?> l) {
      return l;
    }
    return Assertions.fail(name + ": member " + key + " is not an array");
  }

  private static Map<?, ?> object(Object value, String name) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    return Assertions.fail(name + ": expected an object");
  }
}
