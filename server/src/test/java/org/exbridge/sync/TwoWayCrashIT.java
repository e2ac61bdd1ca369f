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
import java.util.UUID;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.ChildServer;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 while a created event is on its way to Exchange: the request reached Exchange, which
 * created the item after the server died. The next instance, on the same PostgreSQL, finds that
 * item (EWS: by the stamped write id; Graph: by transactionId) and records it: one item in
 * Exchange, one event in the store.
 */
class TwoWayCrashIT {
  private static final String MAILBOX = "crash@exchange.test";
  private static final Map<String, String> FAST =
      Map.of(
          "exbridge.sync.poll-interval", "100ms",
          "exbridge.sync.lease", "3s",
          "exbridge.sync.interval", "1s",
          // Rounds every second even while push is healthy: the test counts them.
          "exbridge.push.safety-interval", "1s");

  @ParameterizedTest
  @ValueSource(strings = {"ews", "graph"})
  void aServerKilledWhileItsCreateIsInFlightLeavesOneItemAfterTheNextStart(String protocol)
      throws Exception {
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
      Path data = Files.createTempDirectory("exbridge-twoway-crash");
      Map<String, String> db = Database.POSTGRES.fresh(data);
      ChildServer first = ChildServer.start(db, data.resolve("a"), FAST);
      Operator operator = new Operator(first.baseUrl());
      Operator.Staffed acme = operator.staffedTenant("acme", "alice");
      if (protocol.equals("ews")) {
        operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
      } else {
        operator.simulatorGraphAccount("acme", "admin@exchange.test", sim.baseUrl());
      }
      String id = operator.bind(acme.bossToken(), "admin@exchange.test", MAILBOX, "alice");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> operator.status(acme.bossToken(), id).equals("done"));
      String alice = operator.userToken("acme", "alice", acme.app().appId());
      Http http = new Http(first.baseUrl());
      String calendar =
          http.get("/open-apis/calendar/v4/calendars", alice)
              .json()
              .path("data")
              .path("calendar_list")
              .get(0)
              .path("calendar_id")
              .asString();

      try (ExbridgeServer reader =
          ExbridgeServer.start(
              db, data.resolve("r"), null, Map.of("exbridge.sync.enabled", "false"))) {
        // Exchange takes three seconds over this create: the server dies meanwhile.
        fx.fault(
            Http.JSON.writeValueAsString(
                Map.of(
                    "mailbox",
                    MAILBOX,
                    "operation",
                    protocol.equals("ews") ? "CreateItem" : "create",
                    "kind",
                    "latency",
                    "latency_ms",
                    3000,
                    "times",
                    1)));
        String tag = "Crash " + UUID.randomUUID().toString().substring(0, 6);
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Http.Reply created =
            http.json(
                "POST",
                "/open-apis/calendar/v4/calendars/" + calendar + "/events",
                alice,
                Map.of(
                    "summary", tag,
                    "start_time",
                        Map.of(
                            "timestamp", Long.toString(start.getEpochSecond()), "timezone", "UTC"),
                    "end_time",
                        Map.of(
                            "timestamp",
                            Long.toString(start.getEpochSecond() + 1800),
                            "timezone",
                            "UTC")));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    reader
                            .jdbc()
                            .sql("select count(*) from outbound_write where sent_at is not null")
                            .query(Integer.class)
                            .single()
                        == 1);
        first.kill();
        // Exchange finishes the create the dead server asked for.
        await().atMost(Duration.ofSeconds(10)).until(() -> items(fx, tag) == 1);
        fx.clearFaults();

        try (ChildServer second = ChildServer.start(db, data.resolve("b"), FAST)) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      reader
                          .jdbc()
                          .sql("select state from outbound_write")
                          .query(String.class)
                          .single()
                          .equals("delivered"));
          // Two rounds later still one item, and one event.
          int rounds = syncReads(fx);
          await().atMost(Duration.ofSeconds(20)).until(() -> syncReads(fx) >= rounds + 2);
        }
        assertThat(items(fx, tag)).isEqualTo(1);
        assertThat(
                reader
                    .jdbc()
                    .sql("select count(*) from synced_event where summary = ? and deleted = false")
                    .param(tag)
                    .query(Integer.class)
                    .single())
            .isEqualTo(1);
        assertThat(
                reader
                    .jdbc()
                    .sql("select count(*) from synced_event where exchange_id like 'exbridge:%'")
                    .query(Integer.class)
                    .single())
            .isZero();
      }
      first.close();
    }
  }

  private static int items(SimulatorFixture fx, String tag) {
    int n = 0;
    for (JsonNode e : fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null)) {
      if (e.path("subject").asString("").equals(tag)) {
        n++;
      }
    }
    return n;
  }

  private static int syncReads(SimulatorFixture fx) {
    JsonNode ops = fx.control("GET", "/_sim/requests", null).path("by_operation");
    return ops.path("ews:SyncFolderItems").asInt(0)
        + ops.path("graph:events.delta").asInt(0)
        + ops.path("graph:calendarView.delta").asInt(0);
  }
}
