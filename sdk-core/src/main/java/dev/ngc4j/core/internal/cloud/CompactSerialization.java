package dev.ngc4j.core.internal.cloud;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The strict pieces every JOSE compact-serialisation codec here shares: splitting into segments, strict base64url
 * and strict UTF-8 JSON objects. Each failure is reported as the caller's own opaque exception.
 */
final class CompactSerialization {
  private CompactSerialization() {}

  /** Splits at every '.', keeping empty segments; stops after {@code expected + 1} so callers see "too many". */
  static List<String> split(String compact, int expected) {
    List<String> parts = new ArrayList<>(expected);
    int start = 0;
    while (parts.size() <= expected) {
      int dot = compact.indexOf('.', start);
      if (dot < 0) {
        parts.add(compact.substring(start));
        break;
      }
      parts.add(compact.substring(start, dot));
      start = dot + 1;
    }
    return parts;
  }

  /** Decodes one segment as strict unpadded base64url. */
  static byte[] decode(String segment, Supplier<NgcException> failure) throws NgcException {
    try {
      return Bytes.fromBase64Url(segment).toByteArray();
    } catch (IllegalArgumentException e) {
      throw failure.get();
    }
  }

  /** Parses strict UTF-8 as a JSON object. */
  static Map<String, Object> jsonObject(byte[] bytes, Supplier<NgcException> failure) throws NgcException {
    try {
      String json = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return JSONObjectUtils.parse(json);
    } catch (CharacterCodingException | ParseException | RuntimeException e) {
      throw failure.get();
    }
  }
}
