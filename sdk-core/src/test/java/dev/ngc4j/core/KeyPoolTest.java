package dev.ngc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyPoolTest {

  /** Generates real RSA-2048 pairs in memory and counts how many were destroyed. */
  static final class RsaSource implements PooledKeySource {
    final AtomicInteger generated = new AtomicInteger();
    final AtomicInteger destroyed = new AtomicInteger();

    @Override
    public PooledKey generate() throws NgcException {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        generated.incrementAndGet();
        return new PooledKey() {
          private boolean closed;

          @Override
          public PublicKey publicKey() {
            return kp.getPublic();
          }

          @Override
          public String providerId() {
            return "test";
          }

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              destroyed.incrementAndGet();
            }
          }
        };
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aFilledPoolAnswersFromStockAndRefillsInTheBackground() throws Exception {
    RsaSource source = new RsaSource();
    try (KeyPool pool = KeyPool.start(source, 3, 1)) {
      assertTrue(pool.awaitAvailable(3, Duration.ofSeconds(60)), "pool did not fill");
      try (PooledKey k = pool.take()) {
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) k.publicKey()).getModulus().bitLength());
      }
      assertEquals(1, pool.stats().hits());
      assertEquals(0, pool.stats().misses());
      pool.take().close();
      assertTrue(pool.awaitAvailable(3, Duration.ofSeconds(60)), "pool did not refill after the low-water mark");
      PoolStats s = pool.stats();
      assertEquals(2, s.hits());
      assertTrue(s.refills() >= 5, "refills: " + s.refills());
      assertTrue(s.generationTime().toNanos() > 0);
    }
  }

  @Test
  void anEmptyPoolFallsBackToGeneratingOnTheCallersThread() throws Exception {
    RsaSource source = new RsaSource();
    try (KeyPool pool = KeyPool.start(source, 0, 0)) {
      try (PooledKey k = pool.take()) {
        assertEquals("test", k.providerId());
      }
      assertEquals(1, pool.stats().misses());
      assertEquals(0, pool.stats().hits());
    }
  }

  @Test
  void manyThreadsExhaustingThePoolAllGetDistinctKeys() throws Exception {
    RsaSource source = new RsaSource();
    int threads = 8;
    try (KeyPool pool = KeyPool.start(source, 2, 1)) {
      assertTrue(pool.awaitAvailable(2, Duration.ofSeconds(60)));
      ExecutorService ex = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PooledKey>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(ex.submit(() -> {
          go.await();
          return pool.take();
        }));
      }
      go.countDown();
      Set<PublicKey> keys = Collections.synchronizedSet(new HashSet<>());
      for (Future<PooledKey> f : futures) {
        PooledKey k = f.get(120, TimeUnit.SECONDS);
        keys.add(k.publicKey());
        k.close();
      }
      ex.shutdown();
      assertEquals(threads, keys.size(), "every caller must get its own key");
      PoolStats s = pool.stats();
      assertEquals(threads, s.hits() + s.misses());
      assertTrue(s.misses() >= threads - 2 - s.refills(), s.toString());
    }
  }

  @Test
  void closingWhileTheBackgroundThreadGeneratesStopsCleanlyAndRefusesLaterTakes() throws Exception {
    CountDownLatch generating = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    PooledKeySource slow = () -> {
      generating.countDown();
      try {
        new CountDownLatch(1).await(); // like a TPM taking seconds: wait until interrupted
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        Thread.currentThread().interrupt();
      }
      throw new NgcException(ErrorCode.INTERRUPTED, "generation interrupted");
    };
    KeyPool pool = KeyPool.start(slow, 2, 0);
    assertTrue(generating.await(10, TimeUnit.SECONDS), "background generation did not start");
    long start = System.nanoTime();
    pool.close();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "close must not hang");
    assertEquals(1, interrupted.get(), "the generation in progress is interrupted");
    assertTrue(pool.isClosed());
    NgcException e = assertThrows(NgcException.class, pool::take);
    assertEquals(ErrorCode.POOL_SHUT_DOWN, e.code());
    pool.close(); // idempotent
  }

  @Test
  void closeDestroysTheKeysStillPooled() throws Exception {
    RsaSource source = new RsaSource();
    KeyPool pool = KeyPool.start(source, 2, 0);
    assertTrue(pool.awaitAvailable(2, Duration.ofSeconds(60)));
    pool.close();
    assertEquals(source.generated.get(), source.destroyed.get());
    assertFalse(pool.stats().available() > 0);
  }

  @Test
  void invalidSizesAreMisuse() {
    RsaSource source = new RsaSource();
    assertThrows(IllegalArgumentException.class, () -> KeyPool.start(source, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> KeyPool.start(source, -1, 0));
  }
}
