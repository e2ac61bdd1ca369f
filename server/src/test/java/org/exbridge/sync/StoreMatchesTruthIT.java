package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A 10,000-event mailbox synced through EWS and through Graph, on H2 and on PostgreSQL, then every
 * stored row compared, field by field, with the simulator's own account of the mailbox (its control
 * API, not a protocol reply).
 */
class StoreMatchesTruthIT {
  private static final String MAILBOX = "user1@exchange.test";

  enum Protocol {
    EWS("ews_id"),
    GRAPH("id");

    /** The truth's field holding the id this protocol gives the event. */
    final String idField;

    Protocol(String idField) {
      this.idField = idField;
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"EWS, H2", "EWS, POSTGRES", "GRAPH, H2", "GRAPH, POSTGRES"})
  void everyFieldOfEveryEventMatchesTheSimulator(Protocol protocol, Database database)
      throws Exception {
    try (Simulator sim = Simulator.start(0).generate(1, 10_000, 77)) {
      SimulatorFixture fx = new SimulatorFixture(sim);
      Path data = Files.createTempDirectory("exbridge-truth");
      try (ExbridgeServer server =
          ExbridgeServer.start(
              database.fresh(data),
              data,
              null,
              Map.of(
                  "exbridge.sync.poll-interval", "50ms", "exbridge.sync.pages-per-step", "100"))) {
        Http http = new Http(server.baseUrl());
        Operator operator = new Operator(server.baseUrl());
        String boss = operator.staffedTenant("acme", "alice").bossToken();
        if (protocol == Protocol.EWS) {
          operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
        } else {
          operator.simulatorGraphAccount("acme", "admin@exchange.test", sim.baseUrl());
        }
        String id = operator.bind(boss, "admin@exchange.test", MAILBOX, "alice");
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> operator.status(boss, id).equals("done"));

        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row :
            server
                .jdbc()
                .sql("select * from synced_event where deleted = false")
                .query()
                .listOfRows()) {
          rows.put((String) row.get("exchange_id"), row);
        }
        JsonNode truth = fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null);
        assertThat(truth.size()).isEqualTo(10_000);
        int exceptions = 0;
        for (JsonNode e : truth) {
          String exchangeId = e.get(protocol.idField).asString();
          Map<String, Object> row = rows.get(exchangeId);
          assertThat(row).as("stored " + e.get("subject")).isNotNull();
          assertEvent(e, row);
          for (JsonNode x : e.path("exceptions")) {
            ZoneId zone = ZoneId.of(e.get("time_zone").asString());
            String key =
                e.get("all_day").asBoolean()
                    ? x.get("original_start").asString().substring(0, 10)
                    : Long.toString(
                        LocalDateTime.parse(x.get("original_start").asString())
                            .atZone(zone)
                            .toEpochSecond());
            Map<String, Object> xr = rows.get(exchangeId + "#" + key);
            assertThat(xr).as("exception of " + e.get("subject") + " at " + key).isNotNull();
            assertThat(xr.get("summary")).isEqualTo(x.get("subject").asString());
            assertThat(xr.get("location")).isEqualTo(x.get("location").asString());
            if (!e.get("all_day").asBoolean()) {
              assertThat(number(xr.get("start_ts")))
                  .isEqualTo(epoch(x.get("start").asString(), zone));
              assertThat(number(xr.get("end_ts"))).isEqualTo(epoch(x.get("end").asString(), zone));
            }
            exceptions++;
          }
        }
        int storedExceptions =
            (int) rows.values().stream().filter(r -> r.get("master_exchange_id") != null).count();
        assertThat(storedExceptions).isEqualTo(exceptions);
        assertThat(rows).hasSize(10_000 + exceptions);
      }
    }
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }

  private static long epoch(String local, ZoneId zone) {
    return LocalDateTime.parse(local).atZone(zone).toEpochSecond();
  }

  private static void assertEvent(JsonNode e, Map<String, Object> row) {
    assertEvent(e, row, true);
  }

  /**
   * Every field of a stored single or master against the truth; with {@code exactRrule} false the
   * recurrence is left to a caller that compares it by its occurrences.
   */
  static void assertEvent(JsonNode e, Map<String, Object> row, boolean exactRrule) {
    String what = e.get("subject").asString();
    ZoneId zone = ZoneId.of(e.get("time_zone").asString());
    boolean allDay = e.get("all_day").asBoolean();
    assertThat(row.get("summary")).as(what).isEqualTo(e.get("subject").asString());
    assertThat(row.get("description")).as(what).isEqualTo(e.get("body").asString());
    assertThat(row.get("location")).as(what).isEqualTo(e.get("location").asString());
    assertThat(row.get("all_day")).as(what).isEqualTo(allDay);
    if (allDay) {
      assertThat(row.get("start_date")).as(what).isEqualTo(e.get("start").asString());
      assertThat(row.get("end_date")).as(what).isEqualTo(e.get("end").asString());
    } else {
      assertThat(number(row.get("start_ts")))
          .as(what)
          .isEqualTo(epoch(e.get("start").asString(), zone));
      assertThat(number(row.get("end_ts")))
          .as(what)
          .isEqualTo(epoch(e.get("end").asString(), zone));
      assertThat(row.get("timezone")).as(what).isEqualTo(zone.getId());
    }
    assertThat(row.get("free_busy"))
        .as(what)
        .isEqualTo(e.get("show_as").asString().equals("free") ? "free" : "busy");
    assertThat(row.get("visibility"))
        .as(what)
        .isEqualTo(e.get("private").asBoolean() ? "private" : "default");
    assertThat(row.get("status"))
        .as(what)
        .isEqualTo(e.get("cancelled").asBoolean() ? "cancelled" : "confirmed");
    assertThat(row.get("organizer_name"))
        .as(what)
        .isEqualTo(e.get("organizer").get("name").asString());
    assertThat(row.get("organizer_email"))
        .as(what)
        .isEqualTo(e.get("organizer").get("email").asString());
    assertThat(row.get("reminder_minutes"))
        .as(what)
        .isEqualTo(e.hasNonNull("reminder_minutes") ? e.get("reminder_minutes").asInt() : null);
    assertThat(row.get("meeting_url"))
        .as(what)
        .isEqualTo(
            e.hasNonNull("online_meeting_url") ? e.get("online_meeting_url").asString() : null);
    assertThat(attendees(SimulatorFixture.JSON.readTree((String) row.get("attendees"))))
        .as(what)
        .containsExactlyInAnyOrderElementsOf(expectedAttendees(e.get("attendees")));
    if (e.hasNonNull("recurrence")) {
      if (exactRrule) {
        assertThat(row.get("recurrence"))
            .as(what)
            .isEqualTo(rrule(e.get("recurrence"), zone, allDay));
      } else {
        assertThat(row.get("recurrence")).as(what).isNotNull();
      }
      List<String> deleted = new ArrayList<>();
      for (JsonNode d : e.get("deleted_occurrences")) {
        deleted.add(
            allDay ? d.asString().substring(0, 10) : Long.toString(epoch(d.asString(), zone)));
      }
      List<String> stored = new ArrayList<>();
      SimulatorFixture.JSON
          .readTree((String) row.get("deleted_occurrences"))
          .forEach(n -> stored.add(n.asString()));
      assertThat(stored).as(what).containsExactlyInAnyOrderElementsOf(deleted);
    } else {
      assertThat(row.get("recurrence")).as(what).isNull();
    }
  }

  private static List<String> attendees(JsonNode stored) {
    List<String> out = new ArrayList<>();
    stored.forEach(
        a ->
            out.add(
                a.get("name").asString()
                    + "|"
                    + a.get("email").asString()
                    + "|"
                    + a.get("response").asString()
                    + "|"
                    + a.get("type").asString()));
    return out;
  }

  private static List<String> expectedAttendees(JsonNode truth) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : truth) {
      String response =
          switch (a.get("response").asString()) {
            case "accepted" -> "ACCEPTED";
            case "declined" -> "DECLINED";
            case "tentativelyAccepted" -> "TENTATIVE";
            case "notResponded" -> "NOT_RESPONDED";
            case "organizer" -> "ORGANIZER";
            default -> "NONE";
          };
      out.add(
          a.get("name").asString()
              + "|"
              + a.get("email").asString()
              + "|"
              + response
              + "|"
              + a.get("type").asString().toUpperCase(Locale.ROOT));
    }
    return out;
  }

  /**
   * The RRULE the simulator's recurrence stands for, written independently of the server's code.
   */
  private static String rrule(JsonNode r, ZoneId zone, boolean allDay) {
    StringBuilder out = new StringBuilder();
    int interval = r.get("interval").asInt();
    switch (r.get("type").asString()) {
      case "daily" -> out.append("FREQ=DAILY;INTERVAL=").append(interval);
      case "weekly" -> {
        List<String> days = new ArrayList<>();
        r.get("days_of_week")
            .forEach(d -> days.add(d.asString().substring(0, 2).toUpperCase(Locale.ROOT)));
        out.append("FREQ=WEEKLY;INTERVAL=")
            .append(interval)
            .append(";BYDAY=")
            .append(String.join(",", days))
            .append(";WKST=SU");
      }
      default ->
          out.append("FREQ=MONTHLY;INTERVAL=")
              .append(interval)
              .append(";BYMONTHDAY=")
              .append(r.get("day_of_month").asInt());
    }
    if (r.hasNonNull("count")) {
      out.append(";COUNT=").append(r.get("count").asInt());
    } else if (r.hasNonNull("end_date")) {
      LocalDate end = LocalDate.parse(r.get("end_date").asString());
      out.append(";UNTIL=")
          .append(
              allDay
                  ? end.format(DateTimeFormatter.BASIC_ISO_DATE)
                  : end.plusDays(1)
                      .atStartOfDay(zone)
                      .minusSeconds(1)
                      .withZoneSameInstant(ZoneOffset.UTC)
                      .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")));
    }
    return out.toString();
  }
}
