package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ServiceRequestTest {
  @Test
  void theBodyIsCopiedInAndOutAndCanBeCleared() {
    byte[] body = {1, 2, 3};
    ServiceRequest r = ServiceRequest.builder(URI.create("https://h"), "POST", "/x").body(body).build();
    body[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, r.body());
    r.body()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, r.body());
    r.clearBody();
    assertArrayEquals(new byte[3], r.body());
    assertFalse(r.toString().contains("1, 2"));
  }

  @Test
  void headersAreCaseInsensitiveAndMultiValued() {
    ServiceRequest r = ServiceRequest.builder(URI.create("https://h"), "GET", "/x")
        .header("Content-Type", "a").header("content-type", "b").rawQuery("q=1").build();
    assertEquals("a", r.header("CONTENT-TYPE").orElseThrow());
    assertEquals(2, r.headers().getOrDefault("Content-Type", java.util.List.of()).size());
    assertEquals("q=1", r.rawQuery().orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> ServiceRequest.builder(URI.create("h"), "GET", "x"));
  }

  @Test
  void aResponseCopiesItsBodyAndLooksUpHeadersInAnyCase() {
    byte[] body = {'o', 'k'};
    ServiceResponse r = ServiceResponse.of(200, Map.of("Content-Type", "text/plain"), body);
    body[0] = 'n';
    assertEquals("ok", r.bodyText());
    assertEquals("text/plain", r.header("content-type").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> ServiceResponse.of(42, Map.of(), body));
  }
}
