package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.internal.crypto.ServiceCa;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Parsed public keys of devices (certificate key, transport key) and registered keys, cached by id together
 * with the exact bytes they were parsed from. A hit is used only if the directory's current bytes are equal, so
 * the cache needs no invalidation: a replaced certificate or key simply misses.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class ParsedKeys {
  private static final int MAX_ENTRIES = 100_000;

  private static final class Entry<K> {
    private final byte[] source;
    private final K key;

    Entry(byte[] source, K key) {
      this.source = source;
      this.key = key;
    }

    byte[] source() {
      return source;
    }

    K key() {
      return key;
    }
  }

  private final ConcurrentHashMap<String, Entry<PublicKey>> certificateKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Entry<RSAPublicKey>> rsa1Keys = new ConcurrentHashMap<>();

  /**
   * Returns the public key of a DER certificate.
   *
   * @param id a cache id (the thumbprint)
   * @param der the certificate
   * @return the key, or null if the certificate does not parse
   */
  @Nullable PublicKey certificateKey(String id, byte[] der) {
    Entry<PublicKey> hit = certificateKeys.get(id);
    if (hit != null && Arrays.equals(hit.source(), der)) {
      return hit.key();
    }
    try {
      PublicKey key = ServiceCa.certificate(der).getPublicKey();
      put(certificateKeys, id, new Entry<>(der.clone(), key));
      return key;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Returns the key of an RSA1 blob.
   *
   * @param id a cache id (device id or key identifier, with a prefix)
   * @param blob the blob
   * @return the key, or null if the blob is not acceptable
   */
  @Nullable RSAPublicKey rsa1Key(String id, byte[] blob) {
    Entry<RSAPublicKey> hit = rsa1Keys.get(id);
    if (hit != null && Arrays.equals(hit.source(), blob)) {
      return hit.key();
    }
    try {
      RSAPublicKey key = Rsa1KeyBlob.decode(blob);
      put(rsa1Keys, id, new Entry<>(blob.clone(), key));
      return key;
    } catch (NgcException e) {
      return null;
    }
  }

  private static <K> void put(ConcurrentHashMap<String, Entry<K>> map, String id, Entry<K> entry) {
    if (map.size() >= MAX_ENTRIES) {
      map.clear();
    }
    map.put(id, entry);
  }
}
