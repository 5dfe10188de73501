package dev.ngc4j.server.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class ReplayCacheTest {
  @Test
  void anIdIsAcceptedOnceUntilItExpires() {
    ReplayCache cache = new ReplayCache(16);
    assertEquals(ReplayCache.Result.ACCEPTED, cache.consume("a", 100, 10));
    assertEquals(ReplayCache.Result.REPLAYED, cache.consume("a", 100, 50));
    assertEquals(ReplayCache.Result.REPLAYED, cache.consume("a", 100, 99));
  }

  @Test
  void aFullCacheRefusesNewIdsRatherThanForgettingUnexpiredOnes() {
    ReplayCache cache = new ReplayCache(2);
    assertEquals(ReplayCache.Result.ACCEPTED, cache.consume("a", 100, 0));
    assertEquals(ReplayCache.Result.ACCEPTED, cache.consume("b", 200, 0));
    assertEquals(ReplayCache.Result.FULL, cache.consume("c", 300, 50));
    assertEquals(ReplayCache.Result.REPLAYED, cache.consume("a", 100, 50));
    // once "a" expired, room is made by pruning it
    assertEquals(ReplayCache.Result.ACCEPTED, cache.consume("c", 300, 100));
    assertEquals(ReplayCache.Result.REPLAYED, cache.consume("b", 200, 150));
  }

  @Test
  void expiredEntriesArePrunedAsTimePasses() {
    ReplayCache cache = new ReplayCache(1000);
    for (int i = 0; i < 100; i++) {
      cache.consume("id" + i, 10, 0);
    }
    for (int i = 0; i < 20; i++) {
      cache.consume("new" + i, 1000, 11);
    }
    assertEquals(20, cache.size(), "the 100 expired ids were pruned a few per use");
  }

  @Test
  void ofManyThreadsConsumingOneIdExactlyOneWins() throws Exception {
    ReplayCache cache = new ReplayCache(1024);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String id = "nonce" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ReplayCache.Result>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return cache.consume(id, 1000, 1);
          }));
        }
        start.countDown();
        int accepted = 0;
        for (Future<ReplayCache.Result> r : results) {
          if (r.get() == ReplayCache.Result.ACCEPTED) {
            accepted++;
          }
        }
        assertEquals(1, accepted);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
