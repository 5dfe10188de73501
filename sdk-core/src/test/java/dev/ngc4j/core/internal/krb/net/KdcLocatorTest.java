package dev.ngc4j.core.internal.krb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.core.internal.krb.net.LoopbackDns.Srv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KDC location: configuration, then DNS SRV records served by a DNS server the test runs on loopback. */
final class KdcLocatorTest {

  private static KdcLocator.Builder locator(LoopbackDns dns) {
    return KdcLocator.builder().dnsServer(dns.hostAndPort()).dnsTimeout(Duration.ofMillis(1500))
        .random(new Random(42));
  }

  @Test
  void ordersTcpRecordsByPriorityThenUdpRecords() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.put("_kerberos._tcp.example.com",
              new Srv(20, 0, 88, "backup.example.com."),
              new Srv(10, 0, 88, "kdc1.example.com."),
              new Srv(30, 0, 750, "last.example.com."))
          .put("_kerberos._udp.example.com", new Srv(0, 0, 88, "kdc1.example.com."));
      List<KdcAddress> kdcs = locator(dns).build().locate("EXAMPLE.COM");
      assertEquals(List.of(
          KdcAddress.tcp("kdc1.example.com", 88),
          KdcAddress.tcp("backup.example.com", 88),
          KdcAddress.tcp("last.example.com", 750),
          KdcAddress.udp("kdc1.example.com", 88)), kdcs);
      assertEquals(List.of("_kerberos._tcp.example.com", "_kerberos._udp.example.com"), dns.queries,
          "the realm is looked up in lower case, TCP first");
    }
  }

  @Test
  void weightsOrderRecordsWithinAPriorityAsRfc2782Says() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.put("_kerberos._tcp.weights.test",
              new Srv(1, 90, 88, "heavy.weights.test"),
              new Srv(1, 10, 88, "light.weights.test"),
              new Srv(0, 5, 88, "first.weights.test"))
          .put("_kerberos._udp.weights.test");
      KdcLocator locator = locator(dns).random(new Random(7)).build();
      int heavyFirst = 0;
      int runs = 40;
      for (int i = 0; i < runs; i++) {
        List<KdcAddress> kdcs = locator.locate("WEIGHTS.TEST");
        assertEquals(3, kdcs.size());
        assertEquals("first.weights.test", kdcs.get(0).host(), "priority 0 always comes first");
        if (kdcs.get(1).host().equals("heavy.weights.test")) {
          heavyFirst++;
        }
      }
      assertTrue(heavyFirst > runs / 2 && heavyFirst < runs, "weight 90 should usually, not always, win: "
          + heavyFirst + " of " + runs);
      // the same seed gives the same order
      List<KdcAddress> a = locator(dns).random(new Random(99)).build().locate("WEIGHTS.TEST");
      List<KdcAddress> b = locator(dns).random(new Random(99)).build().locate("WEIGHTS.TEST");
      assertEquals(a, b);
    }
  }

  @Test
  void weightedSelectionFollowsTheRunningSums() {
    List<KdcLocator.SrvRecord> records = List.of(
        new KdcLocator.SrvRecord(0, 1, 88, "a"), new KdcLocator.SrvRecord(0, 0, 88, "zero"),
        new KdcLocator.SrvRecord(0, 3, 88, "b"));
    // a Random that always draws 0 picks the zero-weight record first (it is placed first), then the first
    // record whose running sum reaches 0 each time
    Random zero = new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt(int bound) {
        return 0;
      }
    };
    List<String> order = new ArrayList<>();
    KdcLocator.order(records, zero).forEach(r -> order.add(r.target()));
    assertEquals(List.of("zero", "a", "b"), order);
    Random max = new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt(int bound) {
        return bound - 1;
      }
    };
    List<String> order2 = new ArrayList<>();
    KdcLocator.order(records, max).forEach(r -> order2.add(r.target()));
    assertEquals(List.of("b", "a", "zero"), order2);
  }

  @Test
  void aDotTargetMeansNoServiceAndGivesAnEmptyList() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.put("_kerberos._tcp.none.test", new Srv(0, 0, 0, "."))
          .put("_kerberos._udp.none.test", new Srv(0, 0, 0, "."));
      assertEquals(List.of(), locator(dns).build().locate("NONE.TEST"));
    }
  }

  @Test
  void nxdomainForBothNamesIsATypedErrorNamingThem() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      KdcLocatorException e = assertThrows(KdcLocatorException.class,
          () -> locator(dns).build().locate("MISSING.TEST"));
      assertEquals(List.of("_kerberos._tcp.missing.test", "_kerberos._udp.missing.test"), e.srvNames());
      assertEquals(ErrorCode.KDC_UNREACHABLE, e.code());
      assertTrue(e.getMessage().contains("_kerberos._tcp.missing.test: NXDOMAIN"), e.getMessage());
      assertTrue(e.getMessage().contains("_kerberos._udp.missing.test: NXDOMAIN"), e.getMessage());
    }
  }

  @Test
  void aNameWithoutSrvRecordsFallsThroughToUdp() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.put("_kerberos._tcp.udponly.test").put("_kerberos._udp.udponly.test", new Srv(0, 0, 88, "kdc.udponly.test"));
      assertEquals(List.of(KdcAddress.udp("kdc.udponly.test", 88)), locator(dns).build().locate("UDPONLY.TEST"));
    }
  }

  @Test
  void aSilentDnsServerIsAFailureNotAHang() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.silence();
      long start = System.nanoTime();
      KdcLocatorException e = assertThrows(KdcLocatorException.class, () -> KdcLocator.builder()
          .dnsServer(dns.hostAndPort()).dnsTimeout(Duration.ofMillis(300)).build().locate("SILENT.TEST"));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.getMessage().contains("lookup failed"), e.getMessage());
      assertTrue(elapsedMillis < 5000, elapsedMillis + " ms");
    }
  }

  @Test
  void configurationWinsAndDnsIsNotAsked() throws Exception {
    try (LoopbackDns dns = new LoopbackDns()) {
      dns.put("_kerberos._tcp.whfb.test", new Srv(0, 0, 88, "from-dns.whfb.test"));
      List<KdcAddress> fixed = List.of(KdcAddress.tcp("127.0.0.1", 60088));
      KdcLocator locator = locator(dns).realm("WHFB.TEST", fixed).build();
      assertEquals(fixed, locator.locate("WHFB.TEST"));
      assertTrue(dns.queries.isEmpty(), "DNS was asked: " + dns.queries);
      // another realm still goes to DNS
      assertEquals(List.of(KdcAddress.tcp("from-dns.whfb.test", 88)),
          locator(dns).realm("OTHER.TEST", fixed).build().locate("whfb.test"));
    }
  }

  @Test
  void withoutDnsAnUnconfiguredRealmFails() {
    KdcLocatorException e = assertThrows(KdcLocatorException.class,
        () -> KdcLocator.builder().dnsLookup(false).build().locate("WHFB.TEST"));
    assertTrue(e.getMessage().contains("disabled"), e.getMessage());
    assertThrows(KdcLocatorException.class, () -> KdcLocator.builder().build().locate("NOT A/DOMAIN"));
  }

  @Test
  void parsesSrvTextStrictly() {
    assertEquals(new KdcLocator.SrvRecord(1, 2, 88, "kdc.example.com"), KdcLocator.parse("1 2 88 kdc.example.com."));
    assertEquals(new KdcLocator.SrvRecord(0, 0, 0, ""), KdcLocator.parse("0 0 0 ."));
    assertEquals(null, KdcLocator.parse("1 2 88"));
    assertEquals(null, KdcLocator.parse("1 2 70000 kdc"));
    assertEquals(null, KdcLocator.parse("1 2 0 kdc"));
    assertEquals(null, KdcLocator.parse("x 2 88 kdc"));
    assertEquals(null, KdcLocator.parse("1 2 88 bad/name"));
  }
}
