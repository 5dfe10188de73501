package dev.ngc4j.server.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {
  @Test
  void parsesTheValueTypesWithIntegersAsLongs() throws Exception {
    Map<String, Object> m = Json.parseObject(
        " {\"a\":\"x\\u0041\\n\",\"b\":2,\"c\":-1.5e2,\"d\":[true,false,null,{}],\"e\":{\"f\":[]}} ");
    assertEquals("xA\n", m.get("a"));
    assertEquals(2L, m.get("b"));
    assertEquals(-150.0, m.get("c"));
    assertEquals(List.of(true, false, Json.NULL, Map.of()), m.get("d"));
    assertEquals(Map.of("f", List.of()), m.get("e"));
  }

  @Test
  void refusesWhatStrictJsonRefuses() {
    String[] bad = {
      "", "[]", "\"s\"", "{", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":01}",
      "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
      "{\"a\":tru}", "{\"a\" 1}", "{a:1}", "{\"a\":NaN}"
    };
    for (String s : bad) {
      assertThrows(Malformed.class, () -> Json.parseObject(s), s);
    }
  }

  @Test
  void refusesDeepNestingAndInvalidUtf8() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertThrows(Malformed.class, () -> Json.parseObject(deep));
    assertThrows(Malformed.class, () -> Json.parseObject(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}));
    assertThrows(Malformed.class, () -> Json.parseObject("{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}"));
  }

  @Test
  void hugeIntegersBecomeDoubles() throws Exception {
    assertEquals(1e30, Json.parseObject("{\"a\":1000000000000000000000000000000}").get("a"));
  }

  @Test
  void writesEscapesAndRoundTrips() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "q\"b\\n\n\u0001\u2028");
    m.put("n", 5L);
    m.put("i", 7);
    m.put("b", true);
    m.put("l", List.of("x", 1L));
    m.put("m", Map.of("k", "v"));
    String text = Json.write(m);
    assertEquals("{\"s\":\"q\\\"b\\\\n\\n\\u0001\\u2028\",\"n\":5,\"i\":7,\"b\":true,\"l\":[\"x\",1],\"m\":{\"k\":\"v\"}}",
        text);
    Map<String, Object> back = Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(m.get("s"), back.get("s"));
  }

  @Test
  void typedAccessorsRefuseWrongTypesAndNull() throws Exception {
    Map<String, Object> m = Json.parseObject("{\"s\":\"x\",\"e\":\"\",\"n\":1,\"z\":null}");
    assertEquals("x", Json.string(m, "s"));
    assertEquals(null, Json.optString(m, "absent"));
    assertThrows(Malformed.class, () -> Json.string(m, "e"));
    assertThrows(Malformed.class, () -> Json.optString(m, "n"));
    assertThrows(Malformed.class, () -> Json.optString(m, "z"));
    assertSame(Json.NULL, m.get("z"));
  }

  @Test
  void stringsMixingUtf8AndEscapesDecode() throws Exception {
    Map<String, Object> m = Json.parseObject("{\"\u00e9\":\"caf\u00e9\\n\u20ac\\u0041\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals("caf\u00e9\n\u20acA\uD83D\uDE00", m.get("\u00e9"));
    // Invalid UTF-8 after an escape, and a raw control character after a non-ASCII character, are refused.
    assertThrows(Malformed.class, () -> Json.parseObject(new byte[] {'{', '"', 'a', '"', ':', '"', '\\', 'n', (byte) 0xC3, '"', '}'}));
    assertThrows(Malformed.class, () -> Json.parseObject(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0xA9, 1, '"', '}'}));
    // Outside strings only ASCII is JSON.
    assertThrows(Malformed.class, () -> Json.parseObject(new byte[] {'{', (byte) 0xC2, (byte) 0xA0, '}'}));
  }

  @Test
  void integersAtTheEdgesOfTheFastPath() throws Exception {
    Map<String, Object> m = Json.parseObject(
        "{\"a\":999999999999999999,\"b\":-99999999999999999,\"c\":9223372036854775807,\"d\":-9223372036854775808,"
            + "\"e\":-0,\"f\":9223372036854775808}");
    assertEquals(999999999999999999L, m.get("a"));
    assertEquals(-99999999999999999L, m.get("b"));
    assertEquals(Long.MAX_VALUE, m.get("c"));
    assertEquals(Long.MIN_VALUE, m.get("d"));
    assertEquals(0L, m.get("e"));
    assertEquals(0x1p63, m.get("f")); // 2^63, one past Long.MAX_VALUE
    assertThrows(Malformed.class, () -> Json.parseObject("{\"a\":-}"));
    assertThrows(Malformed.class, () -> Json.parseObject("{\"a\":-01}"));
  }
}
