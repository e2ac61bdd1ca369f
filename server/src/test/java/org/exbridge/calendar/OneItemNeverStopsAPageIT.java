package org.exbridge.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.exbridge.exchange.SourceProblem;
import org.exbridge.exchange.ZoneWarning;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page whose items include one the database refuses (a date in the year 12345, which no date
 * column holds), one Exchange sent unreadable and one in an unknown zone: the rest is stored, the
 * cursor moves on, and each is a problem the operator can read. On both databases, since PostgreSQL
 * aborts a whole transaction at the first refused statement unless a savepoint holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneItemNeverStopsAPageIT {
  private final Map<Database, ExbridgeServer> servers = new java.util.EnumMap<>(Database.class);

  @BeforeAll
  void start() throws Exception {
    for (Database db : Database.values()) {
      Path data = Files.createTempDirectory("exbridge-items");
      ExbridgeServer server =
          ExbridgeServer.start(
              db.fresh(data), data, null, Map.of("exbridge.sync.enabled", "false"));
      Operator operator = new Operator(server.baseUrl());
      operator.tenant("acme");
      Operator.AppCredentials app = operator.app("acme", Operator.ALL_SCOPES);
      operator.user("acme", "boss", true, "active");
      operator.user("acme", "alice", false, "active");
      operator.simulatorEwsAccount("acme", "admin@exchange.test", "http://127.0.0.1:9", "basic");
      operator.bind(
          operator.userToken("acme", "boss", app.appId()),
          "admin@exchange.test",
          "alice@exchange.test",
          "alice");
      servers.put(db, server);
    }
  }

  @AfterAll
  void stop() {
    servers.values().forEach(ExbridgeServer::close);
  }

  private static SourceEvent event(
      String id, String subject, EventTime start, EventTime end, List<String> warnings) {
    return new SourceEvent(
        id,
        "ck-" + id,
        SourceEvent.Kind.SINGLE,
        subject,
        "",
        "",
        start,
        end,
        SourceEvent.ShowAs.BUSY,
        false,
        false,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        List.of(),
        List.of(),
        Instant.parse("2026-11-01T00:00:00Z"),
        warnings);
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void theRestOfThePageIsStoredAndEachBadItemIsAProblem(Database db) {
    ExbridgeServer server = servers.get(db);
    CalendarStore store = server.bean(CalendarStore.class);
    ItemProblems problems = server.bean(ItemProblems.class);
    long bindingId =
        server.jdbc().sql("select id from exchange_binding").query(Long.class).single();
    StoredCalendar calendar =
        store
            .syncCalendars(
                bindingId, List.of(new SourceCalendar("cal-1", "Calendar", null, true, true)))
            .get(0);
    Instant at = Instant.parse("2026-12-01T09:00:00Z");
    ZoneId utc = ZoneId.of("UTC");
    SourcePage page =
        new SourcePage(
            List.of(
                event(
                    "good-1",
                    "Standup",
                    EventTime.at(at, utc),
                    EventTime.at(at.plusSeconds(900), utc),
                    List.of()),
                event(
                    "far-future",
                    "Year 12345",
                    EventTime.onDate(LocalDate.of(12345, 1, 1)),
                    EventTime.onDate(LocalDate.of(12345, 1, 2)),
                    List.of()),
                event(
                    "odd-zone",
                    "Somewhere",
                    EventTime.at(at, utc),
                    EventTime.at(at.plusSeconds(3600), utc),
                    List.of(ZoneWarning.of("Mars Standard Time"))),
                event(
                    "good-2",
                    "Review",
                    EventTime.at(at, utc),
                    EventTime.at(at.plusSeconds(1800), utc),
                    List.of())),
            List.of(),
            "cursor-after-page",
            true,
            List.of(
                new SourceProblem("broken-1", null, "Exchange sent an item that cannot be read")));

    List<ItemProblems.Problem> recorded =
        store.applyPage(calendar, CalendarStore.Read.FULL, page, 1);

    List<String> stored =
        server
            .jdbc()
            .sql("select exchange_id from synced_event where calendar_pk = ? order by exchange_id")
            .param(calendar.id())
            .query(String.class)
            .list();
    assertThat(stored).containsExactly("good-1", "good-2", "odd-zone");
    assertThat(store.calendars(bindingId).get(0).fullCursor()).isEqualTo("cursor-after-page");
    assertThat(recorded)
        .extracting(ItemProblems.Problem::itemId, ItemProblems.Problem::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("broken-1", ItemProblems.Kind.UNREADABLE),
            org.assertj.core.groups.Tuple.tuple("odd-zone", ItemProblems.Kind.PARTIAL),
            org.assertj.core.groups.Tuple.tuple("far-future", ItemProblems.Kind.NOT_STORED));
    List<ItemProblems.Seen> seen = problems.latest(bindingId, 10);
    assertThat(seen).hasSize(3);
    assertThat(seen)
        .filteredOn(s -> s.itemId().equals("odd-zone"))
        .singleElement()
        .satisfies(s -> assertThat(s.detail()).contains("'Mars Standard Time'", "shown in UTC"));
    assertThat(seen)
        .filteredOn(s -> s.itemId().equals("far-future"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.detail())
                    .contains("the database refused to store it")
                    .doesNotContainIgnoringCase("insert")
                    .doesNotContainIgnoringCase("sql"));

    // Stored cleanly the next time, an item's problem goes.
    store.applyPage(
        calendar,
        CalendarStore.Read.FULL,
        new SourcePage(
            List.of(
                event(
                    "odd-zone",
                    "Somewhere",
                    EventTime.at(at, utc),
                    EventTime.at(at.plusSeconds(3600), utc),
                    List.of())),
            List.of(),
            "cursor-2",
            false),
        1);
    assertThat(problems.latest(bindingId, 10))
        .extracting(ItemProblems.Seen::itemId)
        .doesNotContain("odd-zone");
  }
}
