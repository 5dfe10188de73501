package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.NgcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device keys are made once per data directory, read when they exist, and kept only while the session is open. */
class DeviceKeyCacheTest {
  @TempDir Path dir;

  /** Keys are the file's text; creation writes a counter-numbered key through createAtomically. */
  private static final class TextKeys implements DeviceKeyCache.KeyFiles<String> {
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public String read(Path file, DeviceKeyRole role) {
      reads.incrementAndGet();
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public @Nullable String create(Path file, DeviceKeyRole role) throws NgcException {
      String key = role.describe() + " #" + created.incrementAndGet();
      try {
        return OwnerOnlyFiles.createAtomically(file, key.getBytes(StandardCharsets.UTF_8)) ? key : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void eachKeyIsCreatedOnceAndThenReadFromItsFile() throws Exception {
    TextKeys files = new TextKeys();
    DeviceKeyCache<String> cache = new DeviceKeyCache<>(dir, () -> { }, files);
    assertFalse(cache.anyKeyFileExists());
    assertEquals("device key #1", cache.get(DeviceKeyRole.DEVICE));
    assertEquals("device key #1", cache.get(DeviceKeyRole.DEVICE), "cached");
    assertEquals("transport key #2", cache.get(DeviceKeyRole.TRANSPORT));
    assertTrue(cache.anyKeyFileExists());
    assertEquals(0, files.reads.get());

    DeviceKeyCache<String> next = new DeviceKeyCache<>(dir, () -> { }, files);
    assertEquals("device key #1", next.get(DeviceKeyRole.DEVICE));
    assertEquals(1, files.reads.get());
    assertEquals(2, files.created.get(), "nothing new was made");
  }

  @Test
  void concurrentFirstUseFromTwoCachesMakesEachKeyOnce() throws Exception {
    TextKeys files = new TextKeys();
    List<DeviceKeyCache<String>> caches = List.of(
        new DeviceKeyCache<>(dir, () -> { }, files), new DeviceKeyCache<>(dir, () -> { }, files));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        DeviceKeyCache<String> cache = caches.get(i % 2);
        results.add(pool.submit(() -> {
          start.await();
          return cache.get(DeviceKeyRole.DEVICE);
        }));
      }
      start.countDown();
      String first = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<String> f : results) {
        assertEquals(first, f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, files.created.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyAnotherProcessCreatedFirstIsReadAndNothingIsCachedAfterClose() throws Exception {
    Files.writeString(dir.resolve(DeviceKeyRole.TRANSPORT.fileName()), "theirs");
    AtomicBoolean open = new AtomicBoolean(true);
    TextKeys files = new TextKeys();
    DeviceKeyCache<String> cache = new DeviceKeyCache<>(dir, () -> {
      if (!open.get()) {
        throw new IllegalStateException("closed");
      }
    }, files);
    assertEquals("theirs", cache.get(DeviceKeyRole.TRANSPORT));
    List<String> destroyed = new ArrayList<>();
    cache.forget(destroyed::add);
    assertEquals(List.of("theirs"), destroyed);
    open.set(false);
    assertThrows(IllegalStateException.class, () -> cache.get(DeviceKeyRole.DEVICE));
    cache.forget(destroyed::add);
    assertEquals(1, destroyed.size(), "the key loaded after close was not kept");
    assertSame(DeviceKeyRole.DEVICE, DeviceKeyRole.valueOf("DEVICE"));
    assertEquals(1, DeviceKeyRole.DEVICE.code());
    assertEquals(2, DeviceKeyRole.TRANSPORT.code());
  }
}
