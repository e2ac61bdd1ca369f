package org.exbridge.calendar;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.exbridge.directory.Times;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.exbridge.exchange.SourceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The copy of bound mailboxes: calendars and events, written with idempotent upserts keyed by the
 * Exchange id, each page together with the cursor that covers it.
 */
@Repository
public class CalendarStore {
  private static final Logger log = LoggerFactory.getLogger(CalendarStore.class);
  private static final int LOOKUP_CHUNK = 1000;

  static final String CALENDAR_COLUMNS =
      "id, calendar_id, binding_id, exchange_id, summary, color, is_default, writable, window_cursor, window_done,"
          + " full_cursor, full_done";
  private static final String UPDATE_EVENT =
      "update synced_event set kind = ?, change_key = ?, summary = ?, description = ?, location = ?, all_day = ?,"
          + " start_ts = ?, end_ts = ?, start_date = ?, end_date = ?, timezone = ?, recurrence = ?, original_start_ts = ?,"
          + " original_start_date = ?, free_busy = ?, visibility = ?, status = ?, organizer_name = ?, organizer_email = ?,"
          + " attendees = ?, reminder_minutes = ?, meeting_url = ?, deleted_occurrences = ?, last_modified = ?,"
          + " item_id = ?, seen_generation = ?, deleted = false, change_seq = nextval('calendar_change_seq'), updated_at = ?"
          + " where id = ?";
  private static final String INSERT_EVENT =
      "insert into synced_event (kind, change_key, summary, description, location, all_day, start_ts, end_ts,"
          + " start_date, end_date, timezone, recurrence, original_start_ts, original_start_date, free_busy, visibility,"
          + " status, organizer_name, organizer_email, attendees, reminder_minutes, meeting_url, deleted_occurrences,"
          + " last_modified, item_id, seen_generation, deleted, change_seq, updated_at, calendar_pk, event_id, exchange_id,"
          + " master_exchange_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?, ?, false, nextval('calendar_change_seq'), ?, ?, ?, ?, ?, ?)";

  /** A row with a write through the calendar API still on its way: sync rounds leave it alone. */
  static final String WRITE_PENDING =
      "exists (select 1 from outbound_write w where w.event_pk = synced_event.id and w.state ="
          + " 'pending')";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate tx;
  private final TransactionTemplate nested;
  private final ItemProblems problemLog;
  private final Clock clock;

  CalendarStore(
      JdbcClient jdbc,
      JdbcTemplate template,
      TransactionTemplate tx,
      ItemProblems problemLog,
      Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.named = new NamedParameterJdbcTemplate(template);
    this.tx = tx;
    this.nested = new TransactionTemplate(tx.getTransactionManager());
    this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    this.problemLog = problemLog;
    this.clock = clock;
  }

  /** Thrown when the binding (and so its calendars) was deleted while a page was being written. */
  public static final class CalendarGone extends RuntimeException {
    CalendarGone() {
      super("the calendar is gone", null, false, false);
    }
  }

  /** Which read a page belongs to, and the cursor to save with it. */
  public enum Read {
    WINDOW,
    FULL,
    CHANGES
  }

  public List<StoredCalendar> calendars(long bindingId) {
    return jdbc.sql(
            "select " + CALENDAR_COLUMNS + " from synced_calendar where binding_id = ? order by id")
        .param(bindingId)
        .query(CalendarStore::calendar)
        .list();
  }

  public java.util.Optional<StoredCalendar> calendar(String calendarId) {
    return jdbc.sql("select " + CALENDAR_COLUMNS + " from synced_calendar where calendar_id = ?")
        .param(calendarId)
        .query(CalendarStore::calendar)
        .optional();
  }

  /**
   * Makes the stored calendars those of the mailbox: new folders added (not yet read), renamed ones
   * updated, folders that disappeared removed with their events.
   */
  public List<StoredCalendar> syncCalendars(long bindingId, List<SourceCalendar> source) {
    tx.executeWithoutResult(
        status -> {
          Instant now = clock.instant();
          Set<String> present = new HashSet<>();
          for (SourceCalendar c : source) {
            present.add(c.id());
            int updated =
                jdbc.sql(
                        "update synced_calendar set summary = ?, color = ?, is_default = ?, writable = ?,"
                            + " item_count = ?, updated_at = ? where binding_id = ? and exchange_id = ?")
                    .params(
                        c.name(),
                        c.color(),
                        c.isDefault(),
                        c.writable(),
                        c.itemCount(),
                        Times.sql(now),
                        bindingId,
                        c.id())
                    .update();
            if (updated == 0) {
              jdbc.sql(
                      "insert into synced_calendar (calendar_id, binding_id, exchange_id, summary, color, is_default, writable,"
                          + " item_count, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .params(
                      "exchange_"
                          + UUID.randomUUID().toString().replace("-", "")
                          + "@group.calendar.exbridge",
                      bindingId,
                      c.id(),
                      c.name(),
                      c.color(),
                      c.isDefault(),
                      c.writable(),
                      c.itemCount(),
                      Times.sql(now),
                      Times.sql(now))
                  .update();
            }
          }
          for (StoredCalendar stored : calendars(bindingId)) {
            if (!present.contains(stored.exchangeId())) {
              deleteCalendar(stored.id());
            }
          }
        });
    return calendars(bindingId);
  }

  public void deleteCalendar(long calendarPk) {
    jdbc.sql("delete from synced_calendar where id = ?").param(calendarPk).update();
  }

  /** Forgets the full-read position of every calendar of the binding, for a resync from scratch. */
  public void restartFullRead(long bindingId) {
    jdbc.sql(
            "update synced_calendar set full_cursor = null, full_done = false where binding_id = ?")
        .param(bindingId)
        .update();
  }

  /**
   * Writes one page and the cursor that follows it, in one transaction: after a crash the page is
   * read again and written again to the same rows. One item never stops the page: values over the
   * store's limits are cut before the write, an item the database still refuses is skipped, and
   * each is recorded as a problem of the binding (returned, for the metrics).
   */
  public List<ItemProblems.Problem> applyPage(
      StoredCalendar calendar, Read read, SourcePage page, int generation) {
    List<ItemProblems.Problem> problems = new ArrayList<>();
    List<EventRows.Item> items = prepare(page, problems);
    try {
      tx.executeWithoutResult(
          status -> write(calendar, read, page, items, problems, generation, false));
      return problems;
    } catch (DataIntegrityViolationException whole) {
      log.warn(
          "a page of binding {} could not be stored whole; storing its items one by one",
          calendar.bindingId(),
          whole);
      List<ItemProblems.Problem> itemByItem = new ArrayList<>(problems);
      tx.executeWithoutResult(
          status -> write(calendar, read, page, items, itemByItem, generation, true));
      return itemByItem;
    }
  }

  private List<EventRows.Item> prepare(SourcePage page, List<ItemProblems.Problem> problems) {
    for (SourceProblem p : page.problems()) {
      problems.add(
          new ItemProblems.Problem(
              p.itemId(), p.summary(), ItemProblems.Kind.UNREADABLE, p.reason()));
    }
    List<EventRows.Item> items = new ArrayList<>();
    for (SourceEvent event : page.events()) {
      try {
        EventRows.Item item = EventRows.item(event);
        items.add(item);
        if (!item.notes().isEmpty()) {
          problems.add(
              new ItemProblems.Problem(
                  event.id(),
                  event.subject(),
                  ItemProblems.Kind.PARTIAL,
                  String.join("; ", item.notes())));
        }
      } catch (EventRows.Unstorable e) {
        problems.add(
            new ItemProblems.Problem(
                event.id(),
                event.subject(),
                ItemProblems.Kind.NOT_STORED,
                "it cannot be stored: " + e.getMessage()));
      }
    }
    return items;
  }

  private void write(
      StoredCalendar calendar,
      Read read,
      SourcePage page,
      List<EventRows.Item> items,
      List<ItemProblems.Problem> problems,
      int generation,
      boolean oneByOne) {
    Instant now = clock.instant();
    String cursor = page.cursor();
    boolean done = !page.more();
    int touched =
        switch (read) {
          case WINDOW ->
              jdbc.sql(
                      "update synced_calendar set window_cursor = ?, window_done = ?, updated_at = ? where id = ?")
                  .params(done ? null : cursor, done, Times.sql(now), calendar.id())
                  .update();
          case FULL, CHANGES ->
              jdbc.sql(
                      "update synced_calendar set full_cursor = ?, full_done = ?, updated_at = ? where id = ?")
                  .params(cursor, read == Read.CHANGES || done, Times.sql(now), calendar.id())
                  .update();
        };
    if (touched == 0) {
      throw new CalendarGone();
    }
    if (!oneByOne) {
      upsert(calendar.id(), items, generation, now);
    } else {
      for (EventRows.Item item : items) {
        try {
          nested.executeWithoutResult(
              status -> upsert(calendar.id(), List.of(item), generation, now));
        } catch (DataIntegrityViolationException refused) {
          log.warn(
              "binding {}: the database refused item {}",
              calendar.bindingId(),
              item.source().id(),
              refused);
          problems.add(
              new ItemProblems.Problem(
                  item.source().id(),
                  item.source().subject(),
                  ItemProblems.Kind.NOT_STORED,
                  "the database refused to store it (a value too long or not allowed); it was"
                      + " skipped and the server log has the detail"));
        }
      }
    }
    markSeen(calendar.id(), page.unchangedIds(), generation);
    for (String id : page.deletedIds()) {
      markDeleted(calendar.id(), id, now);
    }
    Set<String> troubled = new HashSet<>();
    for (ItemProblems.Problem p : problems) {
      troubled.add(p.itemId());
    }
    problemLog.clear(
        calendar.bindingId(),
        items.stream().map(i -> i.source().id()).filter(id -> !troubled.contains(id)).toList());
    problemLog.record(calendar.bindingId(), problems, now);
  }

  /** After a full read: events the read did not see are gone from Exchange. */
  public int sweep(long calendarPk, int generation) {
    return jdbc.sql(
            "update synced_event set deleted = true, change_seq = nextval('calendar_change_seq'), updated_at = ?"
                + " where calendar_pk = ? and seen_generation < ? and deleted = false and not "
                + WRITE_PENDING)
        .params(Times.sql(clock.instant()), calendarPk, generation)
        .update();
  }

  private record Existing(
      long id,
      String exchangeId,
      String eventId,
      String changeKey,
      boolean deleted,
      String masterExchangeId,
      boolean writePending,
      int seenGeneration) {}

  private void upsert(long calendarPk, List<EventRows.Item> items, int generation, Instant now) {
    if (items.isEmpty()) {
      return;
    }
    List<String> ids = items.stream().map(i -> i.source().id()).distinct().toList();
    Map<String, Existing> existing = new HashMap<>();
    Map<String, List<Existing>> exceptionsByMaster = new HashMap<>();
    // Two indexed lookups (an OR of the two would make H2 scan), in chunks that keep within every
    // driver's limit on bind parameters.
    for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
      for (String column : List.of("exchange_id", "master_exchange_id")) {
        lookUp(calendarPk, column, chunk, existing, exceptionsByMaster);
      }
    }
    List<Object[]> inserts = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    List<Object[]> seen = new ArrayList<>();
    List<Object[]> gone = new ArrayList<>();
    Map<String, String> eventIds = new HashMap<>();
    for (EventRows.Item item : items) {
      SourceEvent event = item.source();
      Existing master = existing.get(event.id());
      if (master != null && master.writePending()) {
        // Local edits of this item are on their way to Exchange; their delivery reads it back.
        see(seen, master, generation);
        continue;
      }
      Set<String> keptExceptions = new HashSet<>();
      for (EventRows.Row row : item.rows()) {
        Existing old = existing.get(row.exchangeId());
        if (row.masterExchangeId() != null) {
          keptExceptions.add(row.exchangeId());
        }
        if (old == null) {
          String eventId = row.newEventId(eventIds.get(row.masterExchangeId()));
          eventIds.put(row.exchangeId(), eventId);
          inserts.add(insertArgs(row, generation, now, calendarPk, eventId));
        } else {
          eventIds.put(row.exchangeId(), old.eventId());
          if (!old.deleted()
              && row.changeKey() != null
              && row.changeKey().equals(old.changeKey())) {
            see(seen, old, generation);
          } else {
            updates.add(updateArgs(row, generation, now, old.id()));
          }
        }
      }
      for (Existing x : exceptionsByMaster.getOrDefault(event.id(), List.of())) {
        if (!x.deleted() && !keptExceptions.contains(x.exchangeId())) {
          gone.add(new Object[] {Times.sql(now), x.id()});
        }
      }
    }
    if (!updates.isEmpty()) {
      template.batchUpdate(UPDATE_EVENT, updates);
    }
    if (!inserts.isEmpty()) {
      template.batchUpdate(INSERT_EVENT, inserts);
    }
    if (!seen.isEmpty()) {
      template.batchUpdate("update synced_event set seen_generation = ? where id = ?", seen);
    }
    if (!gone.isEmpty()) {
      template.batchUpdate(
          "update synced_event set deleted = true, change_seq = nextval('calendar_change_seq'),"
              + " updated_at = ? where id = ?",
          gone);
    }
  }

  private void lookUp(
      long calendarPk,
      String column,
      List<String> ids,
      Map<String, Existing> existing,
      Map<String, List<Existing>> exceptionsByMaster) {
    // By the id alone, so that H2 looks the list up in the id's index (with the calendar in the
    // condition it scans the calendar instead); rows of another calendar are skipped here.
    named.query(
        "select id, calendar_pk, exchange_id, event_id, change_key, deleted, master_exchange_id,"
            + " seen_generation, "
            + WRITE_PENDING
            + " as write_pending from synced_event where "
            + column
            + " in (:ids)",
        new MapSqlParameterSource().addValue("ids", ids),
        (ResultSet rs) -> {
          if (rs.getLong("calendar_pk") != calendarPk) {
            return;
          }
          Existing e =
              new Existing(
                  rs.getLong("id"),
                  rs.getString("exchange_id"),
                  rs.getString("event_id"),
                  rs.getString("change_key"),
                  rs.getBoolean("deleted"),
                  rs.getString("master_exchange_id"),
                  rs.getBoolean("write_pending"),
                  rs.getInt("seen_generation"));
          if (existing.putIfAbsent(e.exchangeId(), e) == null && e.masterExchangeId() != null) {
            exceptionsByMaster.computeIfAbsent(e.masterExchangeId(), k -> new ArrayList<>()).add(e);
          }
        });
  }

  /**
   * After Exchange answered a write: settles the write ({@code settle}, delivered or failed) and
   * stores the item as Exchange now holds it (or its deletion, for null), in one transaction,
   * unless a newer local edit of it is still on its way (its own delivery reads it again). Returns
   * whether it was stored.
   */
  public boolean refresh(
      StoredCalendar calendar,
      long eventPk,
      SourceEvent now,
      int generation,
      long throughWrite,
      Runnable settle) {
    return Boolean.TRUE.equals(
        tx.execute(
            status -> {
              // The write is settled with the store that shows its outcome, in one transaction.
              settle.run();
              Instant at = clock.instant();
              String exchangeId =
                  jdbc.sql("select exchange_id from synced_event where id = ? for update")
                      .param(eventPk)
                      .query(String.class)
                      .optional()
                      .orElse(null);
              if (exchangeId == null) {
                return false;
              }
              int newer =
                  jdbc.sql(
                          "select count(*) from outbound_write where event_pk = ? and state = 'pending'"
                              + " and id > ?")
                      .params(eventPk, throughWrite)
                      .query(Integer.class)
                      .single();
              if (newer > 0) {
                return false;
              }
              if (now == null) {
                markDeleted(calendar.id(), exchangeId, at);
              } else {
                List<ItemProblems.Problem> problems = new ArrayList<>();
                upsert(
                    calendar.id(),
                    prepare(
                        new SourcePage(List.of(now), List.of(), null, false, List.of()), problems),
                    generation,
                    at);
                problemLog.record(calendar.bindingId(), problems, at);
              }
              return true;
            }));
  }

  /**
   * What of these items the calendar holds with the change key Exchange reports, whole: live, with
   * no write of exbridge's on its way. A read need not fetch those again.
   */
  public org.exbridge.exchange.StoredVersions versions(StoredCalendar calendar) {
    return changeKeys -> {
      Set<String> same = new HashSet<>();
      List<String> ids = List.copyOf(changeKeys.keySet());
      for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
        named.query(
            "select exchange_id, change_key from synced_event where exchange_id in (:ids)"
                + " and calendar_pk = :calendar and deleted = false and not "
                + WRITE_PENDING,
            new MapSqlParameterSource()
                .addValue("ids", ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK)))
                .addValue("calendar", calendar.id()),
            (ResultSet rs) -> {
              String id = rs.getString("exchange_id");
              if (rs.getString("change_key") != null
                  && rs.getString("change_key").equals(changeKeys.get(id))) {
                same.add(id);
              }
            });
      }
      return same;
    };
  }

  /** Items a full read saw unchanged (and their exceptions) are seen in this generation. */
  private void markSeen(long calendarPk, List<String> ids, int generation) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, Existing> existing = new HashMap<>();
    Map<String, List<Existing>> exceptionsByMaster = new HashMap<>();
    for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
      for (String column : List.of("exchange_id", "master_exchange_id")) {
        lookUp(calendarPk, column, chunk, existing, exceptionsByMaster);
      }
    }
    List<Object[]> seen = new ArrayList<>();
    existing.values().forEach(e -> see(seen, e, generation));
    if (!seen.isEmpty()) {
      template.batchUpdate("update synced_event set seen_generation = ? where id = ?", seen);
    }
  }

  /**
   * A row seen in this generation, unless it is already (the window stored it in the same
   * generation the full read then sees it in): an update rewrites the whole row.
   */
  private static void see(List<Object[]> seen, Existing row, int generation) {
    if (row.seenGeneration() != generation) {
      seen.add(new Object[] {generation, row.id()});
    }
  }

  private void markDeleted(long calendarPk, String exchangeId, Instant now) {
    jdbc.sql(
            "update synced_event set deleted = true, change_seq = nextval('calendar_change_seq'), updated_at = ?"
                + " where calendar_pk = ? and (exchange_id = ? or master_exchange_id = ?) and deleted = false")
        .params(Times.sql(now), calendarPk, exchangeId, exchangeId)
        .update();
  }

  private static Object[] fields(EventRows.Row r) {
    return new Object[] {
      r.kind(),
      r.changeKey(),
      r.summary(),
      r.description(),
      r.location(),
      r.allDay(),
      r.startTs(),
      r.endTs(),
      r.startDate(),
      r.endDate(),
      r.timezone(),
      r.recurrence(),
      r.originalStartTs(),
      r.originalStartDate(),
      r.freeBusy(),
      r.visibility(),
      r.status(),
      r.organizerName(),
      r.organizerEmail(),
      r.attendees(),
      r.reminderMinutes(),
      r.meetingUrl(),
      r.deletedOccurrences(),
      r.lastModified() == null ? null : Timestamp.from(r.lastModified()),
      r.itemId()
    };
  }

  private static Object[] updateArgs(EventRows.Row r, int generation, Instant now, long id) {
    Object[] f = fields(r);
    Object[] out = java.util.Arrays.copyOf(f, f.length + 3);
    out[f.length] = generation;
    out[f.length + 1] = Times.sql(now);
    out[f.length + 2] = id;
    return out;
  }

  private static Object[] insertArgs(
      EventRows.Row r, int generation, Instant now, long calendarPk, String eventId) {
    Object[] f = fields(r);
    Object[] out = java.util.Arrays.copyOf(f, f.length + 7);
    out[f.length] = generation;
    out[f.length + 1] = Times.sql(now);
    out[f.length + 2] = calendarPk;
    out[f.length + 3] = eventId;
    out[f.length + 4] = r.exchangeId();
    out[f.length + 5] = r.masterExchangeId();
    out[f.length + 6] = Times.sql(now);
    return out;
  }

  /** How much of a binding is stored: calendars and live events (exceptions count as events). */
  public record Counts(int calendars, int events) {}

  /**
   * How many items Exchange said the binding's calendars hold, when it said so for each (EWS);
   * events stored count occurrences changed in a series too, so this is an estimate.
   */
  public Integer itemEstimate(long bindingId) {
    List<Integer> counts =
        jdbc.sql("select item_count from synced_calendar where binding_id = ?")
            .param(bindingId)
            .query((rs, n) -> (Integer) rs.getObject("item_count", Integer.class))
            .list();
    if (counts.isEmpty() || counts.contains(null)) {
      return null;
    }
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  public Counts counts(long bindingId) {
    int calendars =
        jdbc.sql("select count(*) from synced_calendar where binding_id = ?")
            .param(bindingId)
            .query(Integer.class)
            .single();
    int events =
        jdbc.sql(
                "select count(*) from synced_event e join synced_calendar c on c.id = e.calendar_pk"
                    + " where c.binding_id = ? and e.deleted = false")
            .param(bindingId)
            .query(Integer.class)
            .single();
    return new Counts(calendars, events);
  }

  static StoredCalendar calendar(ResultSet rs, int row) throws SQLException {
    return new StoredCalendar(
        rs.getLong("id"),
        rs.getString("calendar_id"),
        rs.getLong("binding_id"),
        rs.getString("exchange_id"),
        rs.getString("summary"),
        rs.getString("color"),
        rs.getBoolean("is_default"),
        rs.getBoolean("writable"),
        rs.getString("window_cursor"),
        rs.getBoolean("window_done"),
        rs.getString("full_cursor"),
        rs.getBoolean("full_done"));
  }
}
