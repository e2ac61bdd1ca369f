package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.ChildServer;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances die: one killed (kill -9) mid-phase and started again (on H2 and on PostgreSQL); two
 * sharing one PostgreSQL and 200 bindings, one killed half way. Everything reaches done, every
 * event stored once.
 */
class CrashAndClusterIT {
  private static final String PATH = "/open-apis/calendar/v4/exchange_bindings";
  private static final Map<String, String> FAST =
      Map.of(
          "exbridge.sync.poll-interval",
          "100ms",
          "exbridge.sync.lease",
          "3s",
          "exbridge.sync.pages-per-step",
          "2",
          "exbridge.rate-limit.method-per-second",
          "100000",
          "exbridge.rate-limit.method-per-minute",
          "1000000",
          "exbridge.rate-limit.app-per-second",
          "100000");

  private record Tenant(Http http, String boss) {}

  private static Tenant setUp(String baseUrl, Simulator sim, List<String> users) {
    Http http = new Http(baseUrl);
    Operator operator = new Operator(baseUrl);
    String boss = operator.staffedTenant("acme", users.toArray(String[]::new)).bossToken();
    operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
    return new Tenant(http, boss);
  }

  private static String bind(Tenant t, String mailbox, String user) {
    Http.Reply created =
        t.http()
            .json(
                "POST",
                PATH + "?user_id_type=user_id",
                t.boss(),
                Map.of(
                    "admin_account",
                    "admin@exchange.test",
                    "exchange_account",
                    mailbox,
                    "user_id",
                    user));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    return created.json().get("data").get("exchange_binding_id").asString();
  }

  private static String status(Http http, String boss, String id) {
    return http.get(PATH + "/" + id, boss).json().get("data").get("status").asString();
  }

  private static void assertStoredOnceAndComplete(
      ExbridgeServer reader, SimulatorFixture fx, String mailbox) {
    int truth = fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null).size();
    var counts =
        reader
            .jdbc()
            .sql(
                "select count(*) as n, count(distinct e.exchange_id) as d from synced_event e"
                    + " join synced_calendar c on c.id = e.calendar_pk join exchange_binding b on b.id = c.binding_id"
                    + " where b.exchange_account = ? and e.deleted = false and e.kind <> 'EXCEPTION'")
            .param(mailbox)
            .query((rs, n) -> new int[] {rs.getInt("n"), rs.getInt("d")})
            .single();
    assertThat(counts[0]).as(mailbox).isEqualTo(truth);
    assertThat(counts[1]).as(mailbox + " distinct").isEqualTo(counts[0]);
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void aServerKilledMidPhaseAndStartedAgainFinishesWithoutDuplicates(Database database)
      throws Exception {
    try (Simulator sim = Simulator.start(0).generate(1, 3000, 3).latency(5)) {
      SimulatorFixture fx = new SimulatorFixture(sim);
      Path data = Files.createTempDirectory("exbridge-crash");
      Map<String, String> db = database.fresh(data);
      ChildServer first = ChildServer.start(db, data.resolve("a"), FAST);
      Tenant t = setUp(first.baseUrl(), sim, List.of("alice"));
      String id = bind(t, "user1@exchange.test", "alice");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> status(t.http(), t.boss(), id).equals("timespan_done"));
      first.kill();

      try (ChildServer second = ChildServer.start(db, data.resolve("b"), FAST)) {
        Tenant t2 = new Tenant(new Http(second.baseUrl()), t.boss());
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> status(t2.http(), t2.boss(), id).equals("done"));
      }
      try (ExbridgeServer reader =
          ExbridgeServer.start(
              db, data.resolve("c"), null, Map.of("exbridge.sync.enabled", "false"))) {
        assertStoredOnceAndComplete(reader, fx, "user1@exchange.test");
      }
    }
  }

  @Test
  void twoInstancesShare200BindingsAndSurviveOneBeingKilled() throws Exception {
    int count = 200;
    try (Simulator sim = Simulator.start(0).generate(count, 12, 8).latency(2)) {
      SimulatorFixture fx = new SimulatorFixture(sim);
      Path data = Files.createTempDirectory("exbridge-cluster");
      Map<String, String> db = Database.POSTGRES.fresh(data);
      try (ExbridgeServer a = ExbridgeServer.start(db, data.resolve("a"), null, FAST)) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
          users.add("u" + i);
        }
        Tenant t = setUp(a.baseUrl(), sim, users);
        ChildServer b = ChildServer.start(db, data.resolve("b"), FAST);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
          ids.add(bind(t, "user" + i + "@exchange.test", "u" + i));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> doneCount(a) >= count / 2);
        b.kill();
        await().atMost(Duration.ofSeconds(180)).until(() -> doneCount(a) == count);
        for (int i = 1; i <= count; i++) {
          assertStoredOnceAndComplete(a, fx, "user" + i + "@exchange.test");
        }
        assertThat(ids).hasSize(count);
      }
    }
  }

  private static int doneCount(ExbridgeServer server) {
    return server
        .jdbc()
        .sql("select count(*) from exchange_binding where status = 'done'")
        .query(Integer.class)
        .single();
  }
}
