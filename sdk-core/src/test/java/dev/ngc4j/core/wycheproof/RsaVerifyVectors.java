package dev.ngc4j.core.wycheproof;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * One Wycheproof RSA signature-verification file (schemas {@code rsassa_pkcs1_verify} and
 * {@code rsassa_pss_verify}), read with the JSON parser bundled in nimbus-jose-jwt.
 *
 * @param fileName the file's name, for messages
 * @param numberOfTests the count the file declares
 * @param notes the file's {@code notes}, by flag
 * @param vectors every test of every group, in file order
 */
record RsaVerifyVectors(String fileName, int numberOfTests, Map<String, Note> notes, List<Case> vectors) {

  RsaVerifyVectors {
    notes = Map.copyOf(notes);
    vectors = List.copyOf(vectors);
  }

  /** The expected result of a vector, as Wycheproof labels it. */
  enum Result {
    VALID,
    INVALID,
    ACCEPTABLE
  }

  /**
   * The {@code notes} entry of one flag.
   *
   * @param flag the flag name
   * @param bugType the bug class, for example {@code AUTH_BYPASS}
   * @param description what the vector tests
   * @param effect what accepting it would mean, or empty
   * @param cves related CVEs, possibly none
   */
  record Note(String flag, String bugType, String description, String effect, List<String> cves) {
    Note {
      cves = List.copyOf(cves);
    }

    /** Returns the note as one paragraph for an assertion message. */
    String text() {
      StringBuilder s = new StringBuilder(flag).append(" [").append(bugType).append("]: ").append(description.trim());
      if (!effect.isEmpty()) {
        s.append(" Effect: ").append(effect.trim());
      }
      if (!cves.isEmpty()) {
        s.append(" CVEs: ").append(String.join(", ", cves));
      }
      return s.toString();
    }
  }

  /**
   * One test with the inputs of its group.
   *
   * @param tcId the test id, unique in the file
   * @param comment the short label, possibly empty
   * @param flags keys into the file's notes
   * @param result the labelled result
   * @param publicKeyDer the group's X.509 SubjectPublicKeyInfo
   * @param msg the message
   * @param sig the signature
   */
  record Case(int tcId, String comment, List<String> flags, Result result, Bytes publicKeyDer, Bytes msg, Bytes sig) {
    Case {
      flags = List.copyOf(flags);
    }

    /** Returns the JUnit display name: {@code tcId <n> <comment> <flags>}. */
    String displayName() {
      return "tcId " + tcId + (comment.isEmpty() ? "" : " " + comment) + " " + flags;
    }
  }

  /**
   * Reads and checks a file: its {@code algorithm}, and for every group the members in {@code groupMembers}
   * (for example {@code sha = SHA-256}), so that a vector never runs against parameters it was not made for.
   */
  static RsaVerifyVectors read(Path file, String algorithm, Map<String, String> groupMembers) {
    String name = String.valueOf(file.getFileName());
    Map<String, Object> root;
    try {
      root = JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      return Assertions.fail("cannot read " + file + ": " + e.getMessage(), e);
    }
    Json json = new Json(name);
    Assertions.assertEquals(algorithm, json.string(root, "algorithm"), name + ": unexpected algorithm");
    Map<String, Note> notes = new LinkedHashMap<>();
    Map<?, ?> notesJson = json.object(root, "notes");
    for (Map.Entry<?, ?> e : notesJson.entrySet()) {
      String flag = String.valueOf(e.getKey());
      Map<?, ?> n = json.asObject(e.getValue(), "notes." + flag);
      List<String> cves = new ArrayList<>();
      if (n.containsKey("cves")) {
        for (Object cve : json.list(n, "cves")) {
          cves.add(String.valueOf(cve));
        }
      }
      String effect = n.containsKey("effect") ? json.string(n, "effect") : "";
      notes.put(flag, new Note(flag, json.string(n, "bugType"), json.string(n, "description"), effect, cves));
    }
    List<Case> cases = new ArrayList<>();
    for (Object g : json.list(root, "testGroups")) {
      Map<?, ?> group = json.asObject(g, "testGroups[]");
      for (Map.Entry<String, String> required : groupMembers.entrySet()) {
        Assertions.assertEquals(
            required.getValue(),
            json.scalar(group, required.getKey()),
            name + ": a test group has parameters this suite does not test");
      }
      Bytes der = Bytes.fromHex(json.string(group, "publicKeyDer"));
      for (Object t : json.list(group, "tests")) {
        Map<?, ?> test = json.asObject(t, "tests[]");
        List<String> flags = new ArrayList<>();
        for (Object f : json.list(test, "flags")) {
          String flag = String.valueOf(f);
          Assertions.assertTrue(notes.containsKey(flag), name + ": flag " + flag + " has no entry in notes");
          flags.add(flag);
        }
        cases.add(
            new Case(
                json.integer(test, "tcId"),
                json.string(test, "comment"),
                flags,
                Result.valueOf(json.string(test, "result").toUpperCase(Locale.ROOT)),
                der,
                Bytes.fromHex(json.string(test, "msg")),
                Bytes.fromHex(json.string(test, "sig"))));
      }
    }
    return new RsaVerifyVectors(name, json.integer(root, "numberOfTests"), notes, cases);
  }

  /** Typed access to the parsed JSON that fails the test with the file name when the shape is wrong. */
  private static final class Json {
    private final String file;

    Json(String file) {
      this.file = file;
    }

    Object member(Map<?, ?> object, String key) {
      Object value = object.get(key);
      if (value == null) {
        return Assertions.fail(file + ": member " + key + " is missing");
      }
      return value;
    }

    String string(Map<?, ?> object, String key) {
      Object value = member(object, key);
      if (value instanceof String s) {
        return s;
      }
      return Assertions.fail(file + ": member " + key + " is not a string");
    }

    int integer(Map<?, ?> object, String key) {
      Object value = member(object, key);
      if (value instanceof Number n && n.doubleValue() == n.intValue()) {
        return n.intValue();
      }
      return Assertions.fail(file + ": member " + key + " is not an integer");
    }

    /** Returns a string as is and an integral number in decimal, so group parameters compare as text. */
    String scalar(Map<?, ?> object, String key) {
      Object value = member(object, key);
      return value instanceof Number ? Integer.toString(integer(object, key)) : string(object, key);
    }

    List<?> list(Map<?, ?> object, String key) {
      Object value = member(object, key);
      if (value instanceof List<?> list) {
        return list;
      }
      return Assertions.fail(file + ": member " + key + " is not an array");
    }

    Map<?, ?> object(Map<?, ?> object, String key) {
      return asObject(member(object, key), key);
    }

    Map<?, ?> asObject(Object value, String where) {
      if (value instanceof Map<?, ?> map) {
        return map;
      }
      return Assertions.fail(file + ": " + where + " is not an object");
    }
  }
}
