package dev.ngc4j.server.internal.token;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remembers single-use identifiers (nonce and authorization-code ids) until they expire, so that each is accepted
 * once. Bounded: an entry is only ever dropped after its own expiry (so eviction can never let an unexpired id be
 * reused); when the cache is full of unexpired entries, new ids are refused ({@link Result#FULL}) instead.
 *
 * <p>Entries are pruned in arrival order from a queue as they expire, which costs O(1) per use; a full sweep runs
 * only when the cache is at capacity.
 *
 * <p>Thread safety: safe for concurrent use; of two threads consuming the same id, exactly one wins.
 */
public final class ReplayCache {
  /** The outcome of {@link #consume}. */
  public enum Result {
    /** First use: accepted and remembered. */
    ACCEPTED,
    /** Seen before and not yet expired. */
    REPLAYED,
    /** The cache is full of unexpired entries; the id was not accepted. */
    FULL
  }

  private record Entry(String id, long expiresAt) {}

  private final int capacity;
  private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

  /**
   * Creates an empty cache.
   *
   * @param capacity the most unexpired ids remembered at once
   */
  public ReplayCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /**
   * Accepts {@code id} if it has not been seen (and remembers it until {@code expiresAt}).
   *
   * @param id the identifier
   * @param expiresAt when the id stops being valid anyway, epoch seconds
   * @param now the current time, epoch seconds
   * @return the outcome
   */
  public Result consume(String id, long expiresAt, long now) {
    pruneHead(now);
    if (seen.containsKey(id)) {
      return Result.REPLAYED;
    }
    if (seen.size() >= capacity) {
      sweep(now);
      if (seen.size() >= capacity) {
        return Result.FULL;
      }
    }
    if (seen.putIfAbsent(id, expiresAt) != null) {
      return Result.REPLAYED;
    }
    order.add(new Entry(id, expiresAt));
    return Result.ACCEPTED;
  }

  /**
   * Returns the number of remembered ids.
   *
   * @return the size
   */
  public int size() {
    return seen.size();
  }

  private void pruneHead(long now) {
    for (int i = 0; i < 8; i++) {
      Entry head = order.peek();
      if (head == null || head.expiresAt() > now) {
        return;
      }
      Entry polled = order.poll();
      if (polled == null) {
        return;
      }
      if (polled.expiresAt() <= now) {
        seen.remove(polled.id(), polled.expiresAt());
      } else {
        order.add(polled); // another thread took the expired head first; keep this one
      }
    }
  }

  private synchronized void sweep(long now) {
    seen.values().removeIf(expiresAt -> expiresAt <= now);
    order.removeIf(e -> e.expiresAt() <= now);
  }
}
