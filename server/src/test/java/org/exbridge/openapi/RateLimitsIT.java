package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.MutableClock;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;

/**
 * The documented limits, with the clock held still so that a burst falls in one window: per app and
 * method 50/s and 1000/min (190004), per app across methods 100/s (190005).
 */
class RateLimitsIT {
  private static final String PATH = ExchangeBindingController.PATH;
  private static final String UNKNOWN_ID =
      ExchangeBindingApiContract.bindingId("admin@exchange.test", "nobody@exchange.test");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00.500Z"));

  private record Setup(String token) {}

  private static Setup seed(String baseUrl) {
    Operator operator = new Operator(baseUrl);
    operator.tenant("acme");
    Operator.AppCredentials app = operator.app("acme", Operator.ALL_SCOPES);
    operator.user("acme", "boss", true, "active");
    return new Setup(operator.userToken("acme", "boss", app.appId()));
  }

  private static void assertAllowed(Http.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.code()).isEqualTo(195103);
  }

  @Test
  void fiftyCallsASecondPerMethodThenRefusedWithAHint() throws Exception {
    Path data = Files.createTempDirectory("exbridge-rate");
    try (ExbridgeServer server =
        ExbridgeServer.start(Database.H2.fresh(data), data, clock, Map.of())) {
      Http http = new Http(server.baseUrl());
      Setup setup = seed(server.baseUrl());
      for (int i = 0; i < 50; i++) {
        assertAllowed(http.get(PATH + "/" + UNKNOWN_ID, setup.token()));
      }
      Http.Reply refused = http.get(PATH + "/" + UNKNOWN_ID, setup.token());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.code()).isEqualTo(190004);
      assertThat(refused.header("Retry-After")).isEqualTo("1");

      Http.Reply otherMethod =
          http.send("DELETE", PATH + "/" + UNKNOWN_ID, setup.token(), null, null);
      assertAllowed(otherMethod);

      clock.advance(Duration.ofSeconds(1));
      assertAllowed(http.get(PATH + "/" + UNKNOWN_ID, setup.token()));
    }
  }

  @Test
  void aThousandCallsAMinutePerMethod() throws Exception {
    Path data = Files.createTempDirectory("exbridge-rate");
    clock.set(Instant.parse("2026-11-21T10:00:00.500Z"));
    try (ExbridgeServer server =
        ExbridgeServer.start(Database.H2.fresh(data), data, clock, Map.of())) {
      Http http = new Http(server.baseUrl());
      Setup setup = seed(server.baseUrl());
      for (int second = 0; second < 20; second++) {
        for (int i = 0; i < 50; i++) {
          assertAllowed(http.get(PATH + "/" + UNKNOWN_ID, setup.token()));
        }
        clock.advance(Duration.ofSeconds(1));
      }
      Http.Reply refused = http.get(PATH + "/" + UNKNOWN_ID, setup.token());
      assertThat(refused.code()).isEqualTo(190004);
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(39L, 40L);
    }
  }

  @Test
  void aHundredCallsASecondPerAppAcrossMethods() throws Exception {
    Path data = Files.createTempDirectory("exbridge-rate");
    try (ExbridgeServer server =
        ExbridgeServer.start(Database.H2.fresh(data), data, clock, Map.of())) {
      Http http = new Http(server.baseUrl());
      Setup setup = seed(server.baseUrl());
      for (int i = 0; i < 50; i++) {
        assertAllowed(http.get(PATH + "/" + UNKNOWN_ID, setup.token()));
        assertAllowed(http.send("DELETE", PATH + "/" + UNKNOWN_ID, setup.token(), null, null));
      }
      Http.Reply refused = http.json("POST", PATH, setup.token(), Map.of());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.code()).isEqualTo(190005);
    }
  }

  @Test
  void twoInstancesOnOnePostgresShareTheLimits() throws Exception {
    Path dataA = Files.createTempDirectory("exbridge-rate-a");
    Path dataB = Files.createTempDirectory("exbridge-rate-b");
    Map<String, String> database = Database.POSTGRES.fresh(dataA);
    try (ExbridgeServer a = ExbridgeServer.start(database, dataA, clock, Map.of());
        ExbridgeServer b = ExbridgeServer.start(database, dataB, clock, Map.of())) {
      Setup setup = seed(a.baseUrl());
      Http httpA = new Http(a.baseUrl());
      Http httpB = new Http(b.baseUrl());
      for (int i = 0; i < 25; i++) {
        assertAllowed(httpA.get(PATH + "/" + UNKNOWN_ID, setup.token()));
        assertAllowed(httpB.get(PATH + "/" + UNKNOWN_ID, setup.token()));
      }
      assertThat(httpA.get(PATH + "/" + UNKNOWN_ID, setup.token()).code()).isEqualTo(190004);
      assertThat(httpB.get(PATH + "/" + UNKNOWN_ID, setup.token()).code()).isEqualTo(190004);
    }
  }
}
