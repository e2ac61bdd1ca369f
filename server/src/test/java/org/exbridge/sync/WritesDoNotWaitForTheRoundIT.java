package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With rounds an hour apart, writes still go out at once: a write made while the job delivers an
 * earlier one keeps the job due, and a step that came for writes alone does not run a round. And
 * each is delivered once, however many asks for a claim (timer, workers, API) come at once.
 */
class WritesDoNotWaitForTheRoundIT {
  private static final String MAILBOX = "burst@exchange.test";

  @Test
  void aBurstOfWritesReachesExchangeWithoutWaitingForTheNextRoundAndRunsNoRound() throws Exception {
    try (Simulator sim = Simulator.start(0)) {
      SimulatorFixture fx = new SimulatorFixture(sim);
      fx.control(
          "POST",
          "/_sim/mailboxes",
          Http.JSON.writeValueAsString(
              Map.of(
                  "address",
                  MAILBOX,
                  "calendars",
                  List.of(Map.of("name", "Calendar", "events", List.of())))));
      Path data = Files.createTempDirectory("exbridge-burst");
      try (ExbridgeServer server =
          ExbridgeServer.start(
              Database.H2.fresh(data),
              data,
              null,
              Map.of(
                  "exbridge.sync.poll-interval", "50ms",
                  "exbridge.sync.interval", "1h",
                  "exbridge.rate-limit.method-per-second", "100000",
                  "exbridge.rate-limit.app-per-second", "100000"))) {
        Operator operator = new Operator(server.baseUrl());
        Operator.Staffed acme = operator.staffedTenant("acme", "alice");
        operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
        String id = operator.bind(acme.bossToken(), "admin@exchange.test", MAILBOX, "alice");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> operator.status(acme.bossToken(), id).equals("done"));
        String alice = operator.userToken("acme", "alice", acme.app().appId());
        Http http = new Http(server.baseUrl());
        String calendar =
            http.get("/open-apis/calendar/v4/calendars", alice)
                .json()
                .path("data")
                .path("calendar_list")
                .get(0)
                .path("calendar_id")
                .asString();
        int rounds = rounds(fx);
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < 20; i++) {
          Http.Reply r =
              http.json(
                  "POST",
                  "/open-apis/calendar/v4/calendars/" + calendar + "/events",
                  alice,
                  Map.of(
                      "summary", "burst " + i,
                      "start_time",
                          Map.of("timestamp", Long.toString(start.getEpochSecond() + i * 3600L)),
                      "end_time",
                          Map.of(
                              "timestamp",
                              Long.toString(start.getEpochSecond() + i * 3600L + 600))));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    server
                            .jdbc()
                            .sql("select count(*) from outbound_write where state = 'delivered'")
                            .query(Integer.class)
                            .single()
                        == 20);
        // Each once: no two workers delivered the same write.
        assertThat(fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null)).hasSize(20);
        assertThat(rounds(fx)).isEqualTo(rounds);
      }
    }
  }

  private static int rounds(SimulatorFixture fx) {
    JsonNode ops = fx.control("GET", "/_sim/requests", null).path("by_operation");
    return ops.path("ews:SyncFolderItems").asInt(0);
  }
}
