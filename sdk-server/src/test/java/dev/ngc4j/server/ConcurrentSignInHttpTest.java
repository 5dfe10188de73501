package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.server.support.WireClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many sign-ins at once over HTTPS on the embedded database: all succeed, each with its own PRT. */
final class ConcurrentSignInHttpTest {
  private static final int SIGN_INS = 200;
  private static final int THREADS = 16;
  private static final int USERS = 4;

  @TempDir Path dataDir;

  @Test
  void twoHundredSignInsAcrossSixteenThreadsAllSucceedWithDistinctPrts() throws Exception {
    try (Fixture fx = Fixture.https(dataDir, b -> {})) {
      List<Fixture.Enrolled> enrolled = new ArrayList<>();
      List<String> upns = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        String upn = "user" + u + "@contoso.example";
        fx.service.createUser(Fixture.DOMAIN, upn, "User " + u, ("Pw-" + u + "-secret").toCharArray(),
            Fixture.MFA.toCharArray());
        enrolled.add(fx.enroll(upn, "Pw-" + u + "-secret"));
        upns.add(upn);
      }
      String before = fx.digest();
      Set<String> prts = ConcurrentHashMap.newKeySet();
      Set<String> sessionKeys = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < SIGN_INS; i++) {
          int u = i % USERS;
          futures.add(pool.submit(() -> {
            WireClient.Session s = fx.client.signInOk(Fixture.DOMAIN, enrolled.get(u).device(),
                enrolled.get(u).whfb(), upns.get(u));
            prts.add(s.prt());
            sessionKeys.add(java.util.HexFormat.of().formatHex(s.sessionKey()));
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(SIGN_INS, prts.size(), "every sign-in gets its own PRT");
      assertEquals(SIGN_INS, sessionKeys.size(), "every sign-in gets its own session key");
      assertEquals(before, fx.digest(), "sign-ins write nothing to the directory");
    }
  }
}
