package dev.ngc4j.server.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stable error codes are exactly the contract table of docs/cloud-service.md. */
final class ErrorKindTest {
  private record Row(String code, int aadsts, int status) {}

  private static final List<Row> CONTRACT = List.of(
      new Row("invalid_request", 900144, 400),
      new Row("body_too_large", 90002, 413),
      new Row("token_invalid", 50013, 401),
      new Row("invalid_credentials", 50126, 400),
      new Row("mfa_required", 50076, 401),
      new Row("device_required", 50187, 401),
      new Row("nonce_missing", 1400001, 400),
      new Row("nonce_expired", 50013, 400),
      new Row("nonce_replayed", 50013, 400),
      new Row("nonce_invalid", 50013, 400),
      new Row("device_unknown", 50155, 400),
      new Row("device_disabled", 135011, 400),
      new Row("device_signature_invalid", 50155, 400),
      new Row("key_not_registered", 50034, 400),
      new Row("key_user_mismatch", 50034, 400),
      new Row("key_device_mismatch", 50034, 400),
      new Row("assertion_signature_invalid", 50013, 400),
      new Row("assertion_time", 500133, 400),
      new Row("user_disabled", 50057, 400),
      new Row("kdf_v1_rejected", 5000611, 400),
      new Row("session_signature_invalid", 7000016, 400),
      new Row("prt_invalid", 70000, 400),
      new Row("key_conflict", 50034, 409),
      new Row("attestation_invalid", 50155, 400),
      new Row("ek_untrusted", 50155, 400),
      new Row("ek_invalid", 50155, 400),
      new Row("ak_invalid", 50155, 400),
      new Row("aik_challenge_invalid", 50155, 400),
      new Row("aik_challenge_expired", 50155, 400),
      new Row("aik_challenge_replayed", 50155, 400),
      new Row("aik_secret_mismatch", 50155, 400));

  @Test
  void everyContractRowHasItsKindWithTheSameCodeNumberAndStatus() {
    List<ErrorKind> table = Arrays.asList(ErrorKind.values()).subList(0, CONTRACT.size());
    for (int i = 0; i < CONTRACT.size(); i++) {
      Row row = CONTRACT.get(i);
      ErrorKind kind = table.get(i);
      assertEquals(row, new Row(kind.code(), kind.aadsts(), kind.status()), kind.name());
    }
  }

  @Test
  void theKindsOutsideTheTableUseCodesOfTheTableOrServiceConditions() {
    for (ErrorKind kind : Arrays.asList(ErrorKind.values()).subList(CONTRACT.size(), ErrorKind.values().length)) {
      assertTrue(kind.status() >= 404, kind.name());
    }
  }

  @Test
  void descriptionsAreFixedTextWithoutPlaceholders() {
    for (ErrorKind kind : ErrorKind.values()) {
      assertTrue(!kind.description().contains("%") && !kind.description().contains("{"), kind.name());
    }
  }
}
