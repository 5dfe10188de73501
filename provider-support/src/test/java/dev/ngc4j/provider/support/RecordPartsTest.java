package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PinPolicy.Requirement;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.ProtectorSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The common parts of a container record: header, PIN policy, protector headers and the protector list. */
class RecordPartsTest {
  private static final Instant T = Instant.ofEpochSecond(0x20, 0);

  /** A protector with a header and one byte of its own. */
  record TestProtector(ProtectorHeader header, int extra) implements StoredProtector {
    @Override
    public void writeTo(ByteWriter w) {
      header.writeTo(w).u8(extra);
    }

    static TestProtector readFrom(ByteReader r) throws ByteReader.MalformedException {
      return new TestProtector(ProtectorHeader.readFrom(r), r.u8());
    }
  }

  @Nested
  class Headers {
    @Test
    void theContainerHeaderIsIdUserAndCreationTime() throws Exception {
      ContainerHeader h = new ContainerHeader(ContainerId.of("c"), UserPrincipal.of("a@b.example"), T);
      byte[] b = h.writeTo(new ByteWriter()).toByteArray();
      assertEquals("000163" + "000b6140622e6578616d706c65" + "0000000000000020" + "00000000",
          HexFormat.of().formatHex(b));
      assertEquals(h, ContainerHeader.readFrom(new ByteReader(b)));
      byte[] badId = new ByteWriter().str("").str("a@b.example").instant(T).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> ContainerHeader.readFrom(new ByteReader(badId)));
    }

    @Test
    void aProtectorHeaderStoresTheModalityOnlyForBiometrics() throws Exception {
      byte[] pin = ProtectorHeader.pin("pin-1", T).writeTo(new ByteWriter()).toByteArray();
      assertEquals("000570696e2d31" + "000350494e" + "0000" + "0000000000000020" + "00000000",
          HexFormat.of().formatHex(pin));
      assertEquals(ProtectorHeader.pin("pin-1", T), ProtectorHeader.readFrom(new ByteReader(pin)));
      ProtectorHeader face = ProtectorHeader.biometric("biometric-2", "face", T);
      assertEquals(face, ProtectorHeader.readFrom(new ByteReader(face.writeTo(new ByteWriter()).toByteArray())));
      for (byte[] bad : List.of(
          new ByteWriter().str("").str("PIN").str("").instant(T).toByteArray(),
          new ByteWriter().str("x").str("VOICE").str("").instant(T).toByteArray(),
          new ByteWriter().str("x").str("PIN").str("face").instant(T).toByteArray(),
          new ByteWriter().str("x").str("BIOMETRIC").str("").instant(T).toByteArray())) {
        assertThrows(ByteReader.MalformedException.class, () -> ProtectorHeader.readFrom(new ByteReader(bad)));
      }
      GestureRequest request = face.request(GesturePurpose.UNLOCK, UserPrincipal.of("a@b.example"),
          ContainerId.of("c"), "test", 4);
      assertEquals(GestureKind.BIOMETRIC, request.kind());
      assertEquals(Optional.of("face"), request.modality());
      assertEquals(4, request.attemptsRemaining().orElseThrow());
    }

    @Test
    void everyPinPolicyRuleSurvivesTheRoundTrip() throws Exception {
      for (PinPolicy policy : List.of(
          PinPolicy.defaults(),
          PinPolicy.builder().length(4, 8).digits(Requirement.ALLOWED).allowTrivial(true).build(),
          PinPolicy.builder().length(10, 127).uppercase(Requirement.REQUIRED).lowercase(Requirement.REQUIRED)
              .special(Requirement.FORBIDDEN).digits(Requirement.FORBIDDEN).build())) {
        StoredPinPolicy stored = StoredPinPolicy.of(policy);
        ByteWriter w = new ByteWriter();
        stored.writeTo(w);
        ByteReader r = new ByteReader(w.toByteArray());
        StoredPinPolicy read = StoredPinPolicy.readFrom(r);
        r.expectEnd();
        assertEquals(stored, read);
        assertEquals(policy.toString(), read.toPolicy().toString());
        char[] sample = "Ab1!Ab1!xy".toCharArray();
        assertEquals(policy.violations(sample), read.toPolicy().violations(sample));
      }
      byte[] unknown = new ByteWriter().u8(4).u8(8).str("SOMETIMES").str("ALLOWED").str("ALLOWED").str("ALLOWED")
          .bool(false).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> StoredPinPolicy.readFrom(new ByteReader(unknown)));
      byte[] inverted = new ByteWriter().u8(9).u8(8).str("ALLOWED").str("ALLOWED").str("ALLOWED").str("ALLOWED")
          .bool(false).toByteArray();
      assertThrows(ByteReader.MalformedException.class, () -> StoredPinPolicy.readFrom(new ByteReader(inverted)));
    }
  }

  @Nested
  class Protectors {
    private final TestProtector pin = new TestProtector(ProtectorHeader.pin("pin-1", T), 1);
    private final TestProtector face = new TestProtector(ProtectorHeader.biometric("biometric-2", "face", T), 2);
    private final TestProtector iris = new TestProtector(ProtectorHeader.biometric("biometric-3", "iris", T), 3);

    @Test
    void theOrdersOfUseAreBiometricsThenPinAndPinFirstForConfirmation() {
      ProtectorList<TestProtector> list = ProtectorList.of(List.of(pin, face, iris));
      assertEquals(List.of(face, iris, pin), list.unlockOrder());
      assertEquals(pin, list.confirming());
      assertEquals(face, ProtectorList.of(List.of(face, iris)).confirming());
      assertEquals(List.of(face, iris), list.biometrics());
      assertEquals(List.of(pin.info(), face.info(), iris.info()), list.infos());
    }

    @Test
    void withReplacesTheSameIdOrAppends() {
      ProtectorList<TestProtector> list = ProtectorList.of(List.of(pin, face));
      TestProtector changed = new TestProtector(ProtectorHeader.pin("pin-1", T), 9);
      assertEquals(List.of(changed, face), list.with(changed).all());
      assertEquals(List.of(pin, face, iris), list.with(iris).all());
      assertEquals(List.of(pin, face), list.all(), "immutable");
    }

    @Test
    void aSecondProtectorOfTheSameKindOrAMissingPinIsRefused() throws Exception {
      ProtectorList<TestProtector> list = ProtectorList.of(List.of(pin, face));
      NgcException e = assertThrows(NgcException.class,
          () -> list.requireNoneLike(ProtectorSpec.biometric("face"), "test container c"));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.detail().startsWith("Test container c already has a BIOMETRIC (face)"), e.detail());
      list.requireNoneLike(ProtectorSpec.biometric("iris"), "test container c");
      assertThrows(NgcException.class, () -> list.requireNoneLike(ProtectorSpec.pin(), "test container c"));
      assertEquals(pin, list.requirePin("test container c"));
      assertEquals(ErrorCode.UNSUPPORTED, assertThrows(NgcException.class,
          () -> ProtectorList.of(List.of(face)).requirePin("test container c")).code());
    }

    @Test
    void theListRoundTripsAndRefusesDuplicatesAndBadCounts() throws Exception {
      ByteWriter w = new ByteWriter();
      ProtectorList.of(List.of(pin, face)).writeTo(w);
      ByteReader r = new ByteReader(w.toByteArray());
      assertEquals(List.of(pin, face), ProtectorList.readFrom(r, 4, TestProtector::readFrom).all());
      r.expectEnd();

      ByteWriter dup = new ByteWriter();
      ProtectorList.of(List.of(pin, pin)).writeTo(dup);
      assertThrows(ByteReader.MalformedException.class,
          () -> ProtectorList.readFrom(new ByteReader(dup.toByteArray()), 4, TestProtector::readFrom));
      assertThrows(ByteReader.MalformedException.class,
          () -> ProtectorList.readFrom(new ByteReader(new ByteWriter().u16(0).toByteArray()), 4,
              TestProtector::readFrom));
      ByteWriter many = new ByteWriter();
      ProtectorList.of(List.of(pin, face, iris)).writeTo(many);
      assertThrows(ByteReader.MalformedException.class,
          () -> ProtectorList.readFrom(new ByteReader(many.toByteArray()), 2, TestProtector::readFrom));
    }
  }
}
