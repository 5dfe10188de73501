package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PinPolicy.Requirement;
import dev.ngc4j.api.UserVerificationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The small pieces: PIN policy capture, lockout arithmetic, the bounded reader, AES-GCM. */
class FormatsTest {
  @Nested
  class PinPolicies {
    @Test
    void everyRuleSurvivesTheRoundTrip() throws Exception {
      List<PinPolicy> policies = List.of(
          PinPolicy.defaults(),
          PinPolicy.builder().length(4, 8).digits(Requirement.ALLOWED).allowTrivial(true).build(),
          PinPolicy.builder().length(10, 127).uppercase(Requirement.REQUIRED).lowercase(Requirement.REQUIRED)
              .special(Requirement.FORBIDDEN).digits(Requirement.FORBIDDEN).build());
      for (PinPolicy policy : policies) {
        PolicyRecord record = PolicyRecord.of(policy);
        ByteWriter w = new ByteWriter();
        record.writeTo(w);
        ByteReader r = new ByteReader(w.toByteArray());
        PolicyRecord read = PolicyRecord.readFrom(r);
        r.expectEnd();
        assertEquals(record, read);
        assertEquals(policy.toString(), read.toPolicy().toString());
        char[] sample = "Ab1!Ab1!xy".toCharArray();
        assertEquals(policy.violations(sample), read.toPolicy().violations(sample));
      }
    }
  }

  @Nested
  class LockoutRules {
    private final Lockout lockout = new Lockout(3, Duration.ofSeconds(60), Duration.ofHours(24));
    private final ContainerId id = ContainerId.of("c");
    private final Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void theBackOffDoublesPerLockoutUpTo24Hours() {
      assertEquals(Duration.ofMinutes(1), lockout.backoff(1));
      assertEquals(Duration.ofMinutes(2), lockout.backoff(2));
      assertEquals(Duration.ofMinutes(1024), lockout.backoff(11));
      assertEquals(Duration.ofHours(24), lockout.backoff(12));
      assertEquals(Duration.ofHours(24), lockout.backoff(Integer.MAX_VALUE));
    }

    @Test
    void theFailureThatReachesTheLimitLocks() throws Exception {
      CounterRecord c = CounterRecord.fresh(id);
      c = lockout.afterFailure(c, now);
      assertEquals(2, lockout.attemptsRemaining(c, now, "c"));
      c = lockout.afterFailure(c, now);
      assertNull(c.lockedUntil());
      c = lockout.afterFailure(c, now);
      assertEquals(now.plusSeconds(60), c.lockedUntil());
      UserVerificationException e = lockout.failure(c, "c");
      assertEquals(ErrorCode.LOCKED_OUT, e.code());
      CounterRecord locked = c;
      assertThrows(UserVerificationException.class, () -> lockout.attemptsRemaining(locked, now.plusSeconds(59), "c"));
      assertEquals(1, lockout.attemptsRemaining(c, now.plusSeconds(60), "c"));
      assertEquals(new LockoutState(0, 3, java.util.Optional.of(now.plusSeconds(60)), true), lockout.state(c, now));
    }

    @Test
    void aLoweredLimitStillLeavesOneAttemptThatLocks() throws Exception {
      CounterRecord many = new CounterRecord(id, 7, 0, null);
      assertEquals(1, lockout.attemptsRemaining(many, now, "c"));
      assertTrue(lockout.state(many, now).attemptsRemaining() <= 3);
      assertEquals(now.plusSeconds(60), lockout.afterFailure(many, now).lockedUntil());
    }
  }

  @Nested
  class BoundedReading {
    @Test
    void hostileLengthsAndTruncationAreRefused() {
      byte[] hugeLength = new ByteWriter().i32(Integer.MAX_VALUE).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(hugeLength).bytes());
      byte[] negative = new ByteWriter().i32(-1).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(negative).bytes());
      byte[] shortString = new ByteWriter().u16(10).raw(new byte[3]).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(shortString).str());
      byte[] badUtf8 = new ByteWriter().u16(1).raw(new byte[] {(byte) 0xC3}).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(badUtf8).str());
      byte[] badBool = new ByteWriter().u8(2).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(badBool).bool());
    }

    @Test
    void aSealedFileWithAnotherMagicIsRefused() throws Exception {
      byte[] sealed = SealedFile.seal(CounterRecord.MAGIC, 1, new byte[] {1, 2});
      assertEquals(ErrorCode.CONTAINER_CORRUPTED,
          assertThrows(dev.ngc4j.api.ContainerCorruptedException.class,
              () -> SealedFile.open(Path.of("x"), sealed, ContainerRecord.MAGIC, 1)).code());
      assertArrayEquals(new byte[] {1, 2}, SealedFile.open(Path.of("x"), sealed, CounterRecord.MAGIC, 1).body());
    }
  }

  @Nested
  class Aes {
    @Test
    void aWrongKeyOrAadGivesNoPlaintext() {
      byte[] key = new byte[32];
      byte[] nonce = new byte[12];
      byte[] sealed = Aead.seal(key.clone(), nonce, new byte[] {7}, new byte[] {1, 2, 3});
      assertArrayEquals(new byte[] {1, 2, 3}, Aead.open(key.clone(), nonce, new byte[] {7}, sealed));
      assertNull(Aead.open(key.clone(), nonce, new byte[] {8}, sealed));
      byte[] otherKey = new byte[32];
      otherKey[0] = 1;
      assertNull(Aead.open(otherKey, nonce, new byte[] {7}, sealed));
      assertNull(Aead.open(key.clone(), nonce, new byte[] {7}, new byte[5]));
      assertFalse(sealed.length == 3);
    }
  }
}
