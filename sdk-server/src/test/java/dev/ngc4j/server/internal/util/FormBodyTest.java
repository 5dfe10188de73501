package dev.ngc4j.server.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class FormBodyTest {
  private static FormBody form(String s) throws Malformed {
    return FormBody.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decodesPercentEscapesPlusAndUtf8() throws Exception {
    FormBody f = form("a=x%20y+z&b=%C3%A9&c=&d&e=plain.text-_~");
    assertEquals("x y z", f.get("a"));
    assertEquals("é", f.get("b"));
    assertEquals("", f.get("c"));
    assertEquals("", f.get("d"));
    assertEquals("plain.text-_~", f.get("e"));
    assertNull(f.get("missing"));
    assertTrue(f.has("c"));
  }

  @Test
  void aRepeatedParameterOrABadEscapeIsMalformed() {
    for (String bad : new String[] {"a=1&a=2", "a=%zz", "a=%4", "a=%", "=x", "a=%C3"}) {
      assertThrows(Malformed.class, () -> form(bad).get("a"), bad);
    }
  }

  @Test
  void secretsComeOutAsBytes() throws Exception {
    assertArrayEquals("p w%".getBytes(StandardCharsets.UTF_8), form("password=p+w%25").secret("password"));
  }

  @Test
  void emptyInputsParse() throws Exception {
    assertNull(FormBody.parseQuery(null).get("x"));
    assertNull(form("&&").get("x"));
  }

  @Test
  void tooManyParametersAreRefused() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i <= FormBody.MAX_PARAMETERS; i++) {
      s.append("p").append(i).append("=1&");
    }
    assertThrows(Malformed.class, () -> form(s.toString()));
  }
}
