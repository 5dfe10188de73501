package dev.ngc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static final byte[] MESSAGE = "nonce-4f1c9a: sign me".getBytes(StandardCharsets.UTF_8);
  private static final PSSParameterSpec PINNED_PSS =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

  private static final KeyPair RSA_2048 = generateRsa2048();

  private static KeyPair generateRsa2048() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate RSA-2048 keys", e);
    }
  }

  private static byte[] signPkcs1(PrivateKey key, byte[] message) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(message);
    return signer.sign();
  }

  private static byte[] signPss(PrivateKey key, PSSParameterSpec params, byte[] message)
      throws GeneralSecurityException {
    Signature signer = Signature.getInstance("RSASSA-PSS");
    signer.initSign(key);
    signer.setParameter(params);
    signer.update(message);
    return signer.sign();
  }

  private static byte[] sign(SignatureAlgorithm alg, byte[] message) throws GeneralSecurityException {
    return alg == SignatureAlgorithm.RSA_PSS_SHA256
        ? signPss(RSA_2048.getPrivate(), PINNED_PSS, message)
        : signPkcs1(RSA_2048.getPrivate(), message);
  }

  private static PublicKey rsaPublicKey(BigInteger modulus, BigInteger exponent) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
  }

  private static BigInteger modulus() {
    return ((RSAPublicKey) RSA_2048.getPublic()).getModulus();
  }

  @Nested
  class GoodSignatures {
    @Test
    void pkcs1SignatureFromTheMatchingKeyVerifies() throws Exception {
      SignatureVerifier verifier =
          SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PKCS1_SHA256);

      assertTrue(verifier.verify(MESSAGE, sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE)));
    }

    @Test
    void pssSignatureFromTheMatchingKeyVerifies() throws Exception {
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertTrue(verifier.verify(MESSAGE, sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE)));
    }

    @Test
    void emptyMessageSignedWithPkcs1Verifies() throws Exception {
      byte[] empty = new byte[0];

      assertTrue(
          SignatureVerifier.verify(
              SignatureAlgorithm.RSA_PKCS1_SHA256, RSA_2048.getPublic(), empty, signPkcs1(RSA_2048.getPrivate(), empty)));
    }

    @Test
    void oneVerifierChecksManySignaturesBecauseEachCallUsesItsOwnEngine() throws Exception {
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);
      byte[] good = sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE);

      assertFalse(verifier.verify(MESSAGE, new byte[good.length]));
      assertTrue(verifier.verify(MESSAGE, good));
      assertTrue(verifier.verify(MESSAGE, good));
    }

    @Test
    void staticConvenienceAgreesWithTheInstance() throws Exception {
      byte[] sig = sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);

      assertTrue(SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, RSA_2048.getPublic(), MESSAGE, sig));
      assertFalse(SignatureVerifier.verify(SignatureAlgorithm.RSA_PSS_SHA256, RSA_2048.getPublic(), MESSAGE, sig));
    }

    @Test
    void verifierReportsItsPinnedAlgorithmAndKeySize() throws Exception {
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertEquals(SignatureAlgorithm.RSA_PSS_SHA256, verifier.algorithm());
      assertEquals("SignatureVerifier[RSA_PSS_SHA256, RSA-2048]", verifier.toString());
    }
  }

  @Nested
  class WrongAlgorithm {
    @Test
    void pssSignatureCheckedAsPkcs1IsRejected() throws Exception {
      SignatureVerifier verifier =
          SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PKCS1_SHA256);

      assertFalse(verifier.verify(MESSAGE, sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE)));
    }

    @Test
    void pkcs1SignatureCheckedAsPssIsRejected() throws Exception {
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertFalse(verifier.verify(MESSAGE, sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE)));
    }

    @Test
    void pssSignatureWithAnotherSaltLengthIsRejected() throws Exception {
      PSSParameterSpec salt20 =
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, PSSParameterSpec.TRAILER_FIELD_BC);
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertFalse(verifier.verify(MESSAGE, signPss(RSA_2048.getPrivate(), salt20, MESSAGE)));
    }

    @Test
    void pssSignatureWithMgf1Sha1IsRejected() throws Exception {
      PSSParameterSpec mgfSha1 =
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, 32, PSSParameterSpec.TRAILER_FIELD_BC);
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertFalse(verifier.verify(MESSAGE, signPss(RSA_2048.getPrivate(), mgfSha1, MESSAGE)));
    }
  }

  @Nested
  class KeyPolicy {
    @Test
    void rsaKeyOf1024BitsIsRefused() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(1024);
      PublicKey small = generator.generateKeyPair().getPublic();

      NgcException e =
          assertThrows(NgcException.class, () -> SignatureVerifier.forKey(small, SignatureAlgorithm.RSA_PKCS1_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.detail().contains("1024 bits"), e.getMessage());
      assertTrue(e.remedy().contains("2048"), e.getMessage());
    }

    @Test
    void publicExponentThreeIsRefused() throws Exception {
      PublicKey e3 = rsaPublicKey(modulus(), BigInteger.valueOf(3));

      NgcException e =
          assertThrows(NgcException.class, () -> SignatureVerifier.forKey(e3, SignatureAlgorithm.RSA_PKCS1_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.detail().contains("below 65537"), e.getMessage());
    }

    @Test
    void keyWithExponentThreeIsRefusedByTheStaticConvenienceToo() throws Exception {
      PublicKey e3 = rsaPublicKey(modulus(), BigInteger.valueOf(3));
      byte[] sig = new byte[256];

      NgcException e =
          assertThrows(
              NgcException.class,
              () -> SignatureVerifier.verify(SignatureAlgorithm.RSA_PSS_SHA256, e3, MESSAGE, sig));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
    }

    @Test
    void evenPublicExponentIsRefused() throws Exception {
      PublicKey even = rsaPublicKey(modulus(), BigInteger.valueOf(65538));

      NgcException e =
          assertThrows(NgcException.class, () -> SignatureVerifier.forKey(even, SignatureAlgorithm.RSA_PSS_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.detail().contains("even public exponent"), e.getMessage());
    }

    @Test
    void evenModulusIsRefused() throws Exception {
      PublicKey even = rsaPublicKey(modulus().clearBit(0), BigInteger.valueOf(65537));

      NgcException e =
          assertThrows(NgcException.class, () -> SignatureVerifier.forKey(even, SignatureAlgorithm.RSA_PKCS1_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
    }

    @Test
    void largerOddExponentIsAccepted() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(65539)));
      KeyPair pair = generator.generateKeyPair();

      SignatureVerifier verifier = SignatureVerifier.forKey(pair.getPublic(), SignatureAlgorithm.RSA_PKCS1_SHA256);
      assertTrue(verifier.verify(MESSAGE, signPkcs1(pair.getPrivate(), MESSAGE)));
    }

    @Test
    void nonRsaKeyIsRefused() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      PublicKey ec = generator.generateKeyPair().getPublic();

      NgcException e =
          assertThrows(NgcException.class, () -> SignatureVerifier.forKey(ec, SignatureAlgorithm.RSA_PKCS1_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.detail().contains("EC"), e.getMessage());
    }

    @Test
    void keyRestrictedToPssIsRefusedForPkcs1AndAcceptedForPinnedPss() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSASSA-PSS");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4, PINNED_PSS));
      KeyPair pair = generator.generateKeyPair();

      NgcException e =
          assertThrows(
              NgcException.class, () -> SignatureVerifier.forKey(pair.getPublic(), SignatureAlgorithm.RSA_PKCS1_SHA256));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      SignatureVerifier pss = SignatureVerifier.forKey(pair.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);
      assertTrue(pss.verify(MESSAGE, signPss(pair.getPrivate(), PINNED_PSS, MESSAGE)));
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void nullArgumentsAreMisuse() {
      assertThrows(NullPointerException.class, () -> SignatureVerifier.forKey(null, SignatureAlgorithm.RSA_PSS_SHA256));
      assertThrows(NullPointerException.class, () -> SignatureVerifier.forKey(RSA_2048.getPublic(), null));
    }
  }

  @Nested
  class MalformedSignatures {
    @Test
    void signatureOneByteShortIsRejected() throws Exception {
      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        byte[] sig = sign(alg, MESSAGE);

        assertFalse(
            SignatureVerifier.forKey(RSA_2048.getPublic(), alg).verify(MESSAGE, Arrays.copyOf(sig, sig.length - 1)),
            alg.name());
      }
    }

    @Test
    void signatureOneByteLongIsRejectedWhetherTheExtraByteLeadsOrTrails() throws Exception {
      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        byte[] sig = sign(alg, MESSAGE);
        byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
        byte[] leadingZero = new byte[sig.length + 1];
        System.arraycopy(sig, 0, leadingZero, 1, sig.length);
        SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), alg);

        assertFalse(verifier.verify(MESSAGE, trailing), alg.name());
        assertFalse(verifier.verify(MESSAGE, leadingZero), alg.name() + " with a leading zero byte");
      }
    }

    @Test
    void tamperedMessageIsRejected() throws Exception {
      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        byte[] sig = sign(alg, MESSAGE);
        byte[] tampered = MESSAGE.clone();
        tampered[0] ^= 0x01;

        assertFalse(SignatureVerifier.forKey(RSA_2048.getPublic(), alg).verify(tampered, sig), alg.name());
      }
    }

    @Test
    void tamperedSignatureIsRejected() throws Exception {
      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        byte[] sig = sign(alg, MESSAGE);
        sig[sig.length / 2] ^= 0x40;

        assertFalse(SignatureVerifier.forKey(RSA_2048.getPublic(), alg).verify(MESSAGE, sig), alg.name());
      }
    }

    @Test
    void signatureValueOfTheModulusOrAboveIsRejected() throws Exception {
      byte[] n = toModulusLength(modulus());
      byte[] nPlusOne = toModulusLength(modulus().add(BigInteger.ONE));
      byte[] allOnes = new byte[n.length];
      Arrays.fill(allOnes, (byte) 0xff);

      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), alg);
        assertFalse(verifier.verify(MESSAGE, n), alg + " with s = n");
        assertFalse(verifier.verify(MESSAGE, nPlusOne), alg + " with s = n + 1");
        assertFalse(verifier.verify(MESSAGE, allOnes), alg + " with all bits set");
      }
    }

    @Test
    void edgeValuesAndEmptySignaturesReturnFalseWithoutThrowing() throws Exception {
      byte[] zero = new byte[256];
      byte[] one = new byte[256];
      one[255] = 1;
      byte[] nMinusOne = toModulusLength(modulus().subtract(BigInteger.ONE));

      for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
        SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), alg);
        assertFalse(verifier.verify(MESSAGE, new byte[0]), alg + " with an empty signature");
        assertFalse(verifier.verify(MESSAGE, zero), alg + " with s = 0");
        assertFalse(verifier.verify(MESSAGE, one), alg + " with s = 1");
        assertFalse(verifier.verify(MESSAGE, nMinusOne), alg + " with s = n - 1");
      }
    }

    @Test
    void verifyLeavesTheCallersArraysUntouched() throws Exception {
      byte[] sig = sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
      byte[] sigCopy = sig.clone();
      byte[] message = MESSAGE.clone();

      assertTrue(SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PKCS1_SHA256).verify(message, sig));
      assertTrue(Arrays.equals(sigCopy, sig));
      assertTrue(Arrays.equals(MESSAGE, message));
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void nullMessageOrSignatureIsMisuse() throws Exception {
      SignatureVerifier verifier = SignatureVerifier.forKey(RSA_2048.getPublic(), SignatureAlgorithm.RSA_PSS_SHA256);

      assertThrows(NullPointerException.class, () -> verifier.verify(null, new byte[256]));
      assertThrows(NullPointerException.class, () -> verifier.verify(MESSAGE, null));
    }

    private byte[] toModulusLength(BigInteger value) {
      byte[] raw = value.toByteArray();
      byte[] out = new byte[256];
      int copy = Math.min(raw.length, out.length);
      System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
      return out;
    }
  }
}
