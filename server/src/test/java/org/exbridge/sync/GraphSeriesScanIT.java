package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Graph's full read completes a calendar's series from one calendar view over their spans ({@code
 * calendarView/delta} rounds: occurrence stubs, exceptions whole) instead of one {@code /instances}
 * call per series; where the view is refused, each series reads its own {@code /instances} as
 * before. Both routes store the same series: the same exceptions and the same deleted occurrences,
 * row for row.
 */
class GraphSeriesScanIT {
  private static final String MAILBOX = "user1@exchange.test";

  @Test
  void oneCalendarViewCompletesTheSeriesAsEachSeriesOwnInstancesWould() throws Exception {
    try (Simulator sim = Simulator.start(0).generate(1, 400, 31)) {
      Path data = Files.createTempDirectory("exbridge-scan");
      try (ExbridgeServer server =
          ExbridgeServer.start(
              Database.H2.fresh(data), data, null, Map.of("exbridge.push.enabled", "false"))) {
        Operator operator = new Operator(server.baseUrl());
        Http simulator = new Http(sim.baseUrl());
        Operator.Staffed viewTenant = operator.staffedTenant("view", "alice");
        Operator.Staffed eachTenant = operator.staffedTenant("each", "alice");
        operator.simulatorGraphAccount("view", "graph@view.test", sim.baseUrl());
        operator.simulatorGraphAccount("each", "graph@each.test", sim.baseUrl());
        // All-day series far from UTC on both sides: their occurrences are dates, which the scan
        // must compare in the series' own zone (a day off here is a wrong deletion).
        LocalDate monday =
            LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        for (String zone : List.of("Pacific/Auckland", "America/Los_Angeles")) {
          LocalDate first = monday.minusWeeks(60);
          simulator.json(
              "POST",
              "/_sim/mailboxes/" + MAILBOX + "/events",
              null,
              Map.of(
                  "subject", "All day, " + zone,
                  "time_zone", zone,
                  "all_day", true,
                  "start", first.atStartOfDay().toString(),
                  "end", first.plusDays(1).atStartOfDay().toString(),
                  "recurrence",
                      Map.of("type", "weekly", "interval", 1, "days_of_week", List.of("monday")),
                  "exceptions",
                      List.of(
                          Map.of(
                              "original_start", first.plusWeeks(20).atStartOfDay().toString(),
                              "start", first.plusWeeks(20).plusDays(1).atStartOfDay().toString(),
                              "end", first.plusWeeks(20).plusDays(2).atStartOfDay().toString(),
                              "subject", "Moved a day")),
                  "deleted_occurrences",
                      List.of(
                          first.plusWeeks(30).atStartOfDay().toString(),
                          monday.plusWeeks(3).atStartOfDay().toString())));
        }
        // A yearly series without an end is read ten occurrences ahead, so the scan's view reaches
        // years past the horizon of a daily series without an end: the daily series' exception
        // out there counts no more than its own /instances would show it.
        LocalDate yearAgo = monday.minusWeeks(52);
        simulator.json(
            "POST",
            "/_sim/mailboxes/" + MAILBOX + "/events",
            null,
            Map.of(
                "subject", "Yearly review",
                "time_zone", "Europe/Berlin",
                "start", yearAgo.atTime(10, 0).toString(),
                "end", yearAgo.atTime(11, 0).toString(),
                "recurrence",
                    Map.of(
                        "type",
                        "absoluteYearly",
                        "interval",
                        1,
                        "day_of_month",
                        yearAgo.getDayOfMonth(),
                        "month",
                        yearAgo.getMonthValue())));
        LocalDate farAhead = monday.plusWeeks(3 * 52);
        simulator.json(
            "POST",
            "/_sim/mailboxes/" + MAILBOX + "/events",
            null,
            Map.of(
                "subject", "Daily stand-up",
                "time_zone", "Europe/Berlin",
                "start", yearAgo.atTime(9, 0).toString(),
                "end", yearAgo.atTime(9, 15).toString(),
                "recurrence", Map.of("type", "daily", "interval", 1),
                "exceptions",
                    List.of(
                        Map.of(
                            "original_start", farAhead.atTime(9, 0).toString(),
                            "start", farAhead.atTime(10, 0).toString(),
                            "end", farAhead.atTime(10, 15).toString(),
                            "subject", "Stand-up, three years on"))));
        String deletedDates = "[\"" + monday.minusWeeks(30) + "\",\"" + monday.plusWeeks(3) + "\"]";
        int series = 0;
        for (JsonNode e : simulator.get("/_sim/mailboxes/" + MAILBOX + "/events", null).json()) {
          series += e.path("recurrence").isObject() ? 1 : 0;
        }
        assertThat(series).isGreaterThan(20);

        simulator.send("DELETE", "/_sim/requests", null, null, null);
        String byView = operator.bind(viewTenant.bossToken(), "graph@view.test", MAILBOX, "alice");
        await().atMost(Duration.ofSeconds(60)).until(() -> done(operator, viewTenant, byView));
        JsonNode viewed = simulator.get("/_sim/requests", null).json().get("by_operation");
        assertThat(viewed.path("graph:instances").asInt()).as("no series read on its own").isZero();
        assertThat(viewed.path("graph:calendarView.delta").asInt())
            .as(
                "the window's rounds and the scan's (a year-long range each, ten years ahead for"
                    + " the yearly series), together")
            .isPositive()
            .isLessThan(series / 2);

        // A Graph that refuses views longer than the window (the scan's are a year long): every
        // series reads its own /instances.
        simulator.json(
            "POST",
            "/_sim/faults",
            null,
            Map.of(
                "protocol",
                "graph",
                "operation",
                "calendarView.delta",
                "longer_than_days",
                200,
                "kind",
                "impersonation_denied"));
        simulator.send("DELETE", "/_sim/requests", null, null, null);
        String byEach = operator.bind(eachTenant.bossToken(), "graph@each.test", MAILBOX, "alice");
        await().atMost(Duration.ofSeconds(60)).until(() -> done(operator, eachTenant, byEach));
        JsonNode each = simulator.get("/_sim/requests", null).json().get("by_operation");
        assertThat(each.path("graph:instances").asInt()).isGreaterThanOrEqualTo(series);

        List<Map<String, Object>> viewRows = rows(server, "view");
        List<Map<String, Object>> eachRows = rows(server, "each");
        assertThat(viewRows).hasSizeGreaterThan(400);
        assertThat(viewRows.stream().filter(r -> !"[]".equals(r.get("deleted_occurrences"))))
            .as("series with deleted occurrences")
            .isNotEmpty();
        assertThat(viewRows).isEqualTo(eachRows);
        assertThat(viewRows)
            .as("an exception past the daily series' horizon")
            .noneMatch(r -> "Stand-up, three years on".equals(r.get("summary")));
        assertThat(
                viewRows.stream()
                    .filter(r -> String.valueOf(r.get("summary")).startsWith("All day"))
                    .filter(r -> r.get("master_exchange_id") == null)
                    .map(r -> String.valueOf(r.get("deleted_occurrences"))))
            .as("each all-day series has its two deleted dates, and no other")
            .containsExactly(deletedDates, deletedDates);
      }
    }
  }

  private static boolean done(Operator operator, Operator.Staffed tenant, String id) {
    return operator.status(tenant.bossToken(), id).equals("done");
  }

  /** What the store holds of the binding's series and exceptions, in a stable order. */
  private static List<Map<String, Object>> rows(ExbridgeServer server, String tenant) {
    return server
        .jdbc()
        .sql(
            "select e.exchange_id, e.master_exchange_id, e.kind, e.summary, e.location, e.start_ts,"
                + " e.end_ts, e.start_date, e.recurrence, e.original_start_ts,"
                + " e.original_start_date, e.deleted_occurrences from synced_event e join"
                + " synced_calendar c on c.id = e.calendar_pk join exchange_binding b on b.id ="
                + " c.binding_id where b.tenant_key = ? and e.deleted = false order by"
                + " e.exchange_id")
        .param(tenant)
        .query()
        .listOfRows();
  }
}
