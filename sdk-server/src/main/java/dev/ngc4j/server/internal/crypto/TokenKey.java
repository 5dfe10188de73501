package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.server.internal.util.Base64Strict;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's access-token signing key: RSA-2048, RS256, with {@code kid} = base64url of SHA-256 of its DER
 * SubjectPublicKeyInfo. The JWT header is precomputed.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TokenKey {
  private final PrivateKey privateKey;
  private final RSAPublicKey publicKey;
  private final String kid;
  private final String headerSegment;

  private TokenKey(PrivateKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = Base64Strict.url(Jca.sha256(publicKey.getEncoded()));
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    this.headerSegment = Base64Strict.url(header.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Generates a new key and returns its PKCS#8 encoding; the caller seals it before storing and clears it.
   *
   * @return the PKCS#8 DER
   * @throws GeneralSecurityException if RSA is unavailable
   */
  public static byte[] newEncoded() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, Jca.RANDOM);
    return generator.generateKeyPair().getPrivate().getEncoded();
  }

  /**
   * Reads a PKCS#8 RSA private key.
   *
   * @param pkcs8 the encoding
   * @return the key
   * @throws GeneralSecurityException if it is not an RSA CRT private key
   */
  public static TokenKey decode(byte[] pkcs8) throws GeneralSecurityException {
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    PrivateKey key = rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new GeneralSecurityException("the token key is not an RSA CRT key");
    }
    RSAPublicKey pub =
        (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    return new TokenKey(key, pub);
  }

  /**
   * Returns the key id.
   *
   * @return the kid
   */
  public String kid() {
    return kid;
  }

  /**
   * Returns the public key.
   *
   * @return the public key
   */
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs a JWT with the precomputed header.
   *
   * @param payloadJson the claims
   * @return the compact JWS
   */
  public String sign(String payloadJson) {
    String signingInput = headerSegment + '.' + Base64Strict.url(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] signature = Jca.signRs256(privateKey, signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + '.' + Base64Strict.url(signature);
  }

  /**
   * Returns the public key as a JWK.
   *
   * @return the JWK members
   */
  public Map<String, Object> jwk() {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("kid", kid);
    jwk.put("n", Base64Strict.url(unsigned(publicKey.getModulus())));
    jwk.put("e", Base64Strict.url(unsigned(publicKey.getPublicExponent())));
    return jwk;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
