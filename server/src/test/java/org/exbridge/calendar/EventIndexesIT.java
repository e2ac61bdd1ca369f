package org.exbridge.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Operator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The event table keeps the Exchange id in one index (migration V10), and still holds an item once
 * per calendar: a second row with the same id in the same calendar is refused, in another calendar
 * it is allowed. On H2 a page's lookup by {@code exchange_id in (...)} is answered from that index
 * (H2 uses an index for an IN list only when the list's column leads it).
 */
class EventIndexesIT {
  private static final String COPY =
      "insert into synced_event (calendar_pk, event_id, exchange_id, kind, summary, description,"
          + " location, all_day, free_busy, visibility, status, attendees, deleted_occurrences,"
          + " seen_generation, change_seq, created_at, updated_at) select ?, ?, exchange_id, kind,"
          + " summary, description, location, all_day, free_busy, visibility, status, attendees,"
          + " deleted_occurrences, seen_generation, change_seq, created_at, updated_at from"
          + " synced_event where id = ?";

  @ParameterizedTest
  @EnumSource(Database.class)
  void oneItemOncePerCalendarFromOneIndex(Database database) throws Exception {
    try (Simulator sim = Simulator.start(0).generate(1, 30, 7)) {
      Path data = Files.createTempDirectory("exbridge-indexes");
      try (ExbridgeServer server =
          ExbridgeServer.start(
              database.fresh(data), data, null, Map.of("exbridge.push.enabled", "false"))) {
        Operator operator = new Operator(server.baseUrl());
        Operator.Staffed tenant = operator.staffedTenant("acme", "alice");
        operator.simulatorEwsAccount("acme", "ews@acme.test", sim.baseUrl(), "basic");
        String id =
            operator.bind(tenant.bossToken(), "ews@acme.test", "user1@exchange.test", "alice");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> operator.status(tenant.bossToken(), id).equals("done"));

        List<Long> calendars =
            server
                .jdbc()
                .sql("select id from synced_calendar order by id")
                .query(Long.class)
                .list();
        assertThat(calendars).hasSizeGreaterThanOrEqualTo(2);
        Map<String, Object> row =
            server
                .jdbc()
                .sql("select id, calendar_pk from synced_event where calendar_pk = ? order by id")
                .param(calendars.get(0))
                .query()
                .listOfRows()
                .get(0);
        long eventPk = ((Number) row.get("id")).longValue();
        long calendarPk = ((Number) row.get("calendar_pk")).longValue();

        assertThatThrownBy(
                () -> server.jdbc().sql(COPY).params(calendarPk, "copy-1", eventPk).update())
            .as("the same Exchange id twice in one calendar")
            .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(server.jdbc().sql(COPY).params(calendars.get(1), "copy-2", eventPk).update())
            .as("the same Exchange id in another calendar")
            .isEqualTo(1);

        if (database == Database.H2) {
          String plan =
              server
                  .jdbc()
                  .sql("explain select id from synced_event where exchange_id in ('a', 'b', 'c')")
                  .query(String.class)
                  .single();
          assertThat(plan.toLowerCase()).contains("synced_event_exchange:");
          assertThat(
                  server
                      .jdbc()
                      .sql(
                          "select count(distinct index_name) from information_schema.index_columns"
                              + " where lower(table_name) = 'synced_event'"
                              + " and lower(column_name) = 'exchange_id'")
                      .query(Long.class)
                      .single())
              .as("indexes holding the Exchange id")
              .isEqualTo(1L);
        } else {
          List<String> indexes =
              server
                  .jdbc()
                  .sql(
                      "select indexdef from pg_indexes where tablename = 'synced_event'"
                          + " and indexdef ~ '[(, ]exchange_id[,)]'")
                  .query(String.class)
                  .list();
          assertThat(indexes)
              .as("indexes holding the Exchange id")
              .singleElement()
              .satisfies(
                  d -> assertThat(d).contains("UNIQUE").contains("(exchange_id, calendar_pk)"));
        }
      }
    }
  }
}
