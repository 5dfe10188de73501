package dev.ngc4j.core;

import java.time.Duration;

/**
 * Counters of a {@link KeyPool}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param available keys ready now
 * @param capacity the most keys kept ready
 * @param hits takes answered from the pool
 * @param misses takes that had to generate a key on the caller's thread
 * @param refills keys generated in the background
 * @param failures background generations that failed
 * @param generationTime total time spent generating keys, background and misses
 * @since 0.1.0
 */
public record PoolStats(
    int available, int capacity, long hits, long misses, long refills, long failures, Duration generationTime) {}
