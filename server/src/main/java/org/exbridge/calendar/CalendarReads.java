package org.exbridge.calendar;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads of the store for the calendar v4 API: a user's calendars, and a calendar's events by page
 * or by change.
 */
@Repository
public class CalendarReads {
  static final String EVENT_COLUMNS =
      "id, event_id, exchange_id, master_exchange_id, kind, summary, description, location, all_day, start_ts, end_ts,"
          + " start_date, end_date, timezone, recurrence, original_start_ts, original_start_date, free_busy, visibility,"
          + " status, organizer_name, organizer_email, attendees, reminder_minutes, meeting_url, deleted_occurrences,"
          + " deleted, change_seq, created_at";

  private static final String CALENDAR_COLUMNS_C =
      "c." + String.join(", c.", CalendarStore.CALENDAR_COLUMNS.split(",\\s*"));
  private final JdbcClient jdbc;

  CalendarReads(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A calendar and whose it is. */
  public record Owned(StoredCalendar calendar, String tenantKey, String userId) {}

  /** The calendars of the user's bound mailboxes, after {@code afterId}, at most {@code limit}. */
  public List<StoredCalendar> calendarsOf(
      String tenantKey, String userId, long afterId, int limit) {
    return jdbc.sql(
            "select "
                + CALENDAR_COLUMNS_C
                + " from synced_calendar c"
                + " join exchange_binding b on b.id = c.binding_id where b.tenant_key = ? and b.user_id = ? and c.id > ?"
                + " order by c.id limit ?")
        .params(tenantKey, userId, afterId, limit)
        .query(CalendarStore::calendar)
        .list();
  }

  public Optional<Owned> owned(String calendarId) {
    return jdbc.sql(
            "select "
                + CALENDAR_COLUMNS_C
                + ", b.tenant_key, b.user_id from synced_calendar c"
                + " join exchange_binding b on b.id = c.binding_id where c.calendar_id = ?")
        .param(calendarId)
        .query(
            (rs, n) ->
                new Owned(
                    CalendarStore.calendar(rs, n),
                    rs.getString("tenant_key"),
                    rs.getString("user_id")))
        .optional();
  }

  /**
   * Live events by row id, optionally overlapping [from, to) in epoch seconds (series by their
   * start).
   */
  public List<StoredEvent> events(long calendarPk, long afterId, int limit, Long from, Long to) {
    StringBuilder sql =
        new StringBuilder(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = :calendar and deleted = false and id > :after");
    if (from != null && to != null) {
      sql.append(
          " and (recurrence is not null and (start_ts < :to or start_date is not null)"
              + " or start_ts < :to and end_ts > :from or start_date is not null)");
    }
    sql.append(" order by id limit :limit");
    var spec =
        jdbc.sql(sql.toString())
            .param("calendar", calendarPk)
            .param("after", afterId)
            .param("limit", limit);
    if (from != null && to != null) {
      spec = spec.param("from", from).param("to", to);
    }
    return spec.query(CalendarReads::event).list();
  }

  /** Events changed (deleted ones too) after change {@code since}, in change order. */
  public List<StoredEvent> changes(long calendarPk, long since, int limit) {
    return jdbc.sql(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = ? and change_seq > ?"
                + " order by change_seq limit ?")
        .params(calendarPk, since, limit)
        .query(CalendarReads::event)
        .list();
  }

  /** The newest change of a calendar, the sync token a full listing hands out. */
  public long lastChange(long calendarPk) {
    Long max =
        jdbc.sql("select max(change_seq) from synced_event where calendar_pk = ?")
            .param(calendarPk)
            .query(Long.class)
            .single();
    return max == null ? 0 : max;
  }

  /** A row by its key, deleted or not. */
  public Optional<StoredEvent> row(long pk) {
    return jdbc.sql("select " + EVENT_COLUMNS + " from synced_event where id = ?")
        .param(pk)
        .query(CalendarReads::event)
        .optional();
  }

  public Optional<StoredEvent> event(long calendarPk, String eventId) {
    return jdbc.sql(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = ? and event_id = ? and deleted = false")
        .params(calendarPk, eventId)
        .query(CalendarReads::event)
        .optional();
  }

  /**
   * Every live event of the calendar that matters for instances in [from, to): singles, series,
   * exceptions.
   */
  public List<StoredEvent> forInstances(long calendarPk, long from, long to) {
    return jdbc.sql(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = ? and deleted = false and"
                + " (recurrence is not null or start_date is not null or (start_ts < ? and end_ts > ?))")
        .params(calendarPk, to, from)
        .query(CalendarReads::event)
        .list();
  }

  static StoredEvent event(ResultSet rs, int row) throws SQLException {
    return new StoredEvent(
        rs.getLong("id"),
        rs.getString("event_id"),
        rs.getString("exchange_id"),
        rs.getString("master_exchange_id"),
        rs.getString("kind"),
        rs.getString("summary"),
        rs.getString("description"),
        rs.getString("location"),
        rs.getBoolean("all_day"),
        (Long) rs.getObject("start_ts", Long.class),
        (Long) rs.getObject("end_ts", Long.class),
        rs.getString("start_date"),
        rs.getString("end_date"),
        rs.getString("timezone"),
        rs.getString("recurrence"),
        (Long) rs.getObject("original_start_ts", Long.class),
        rs.getString("original_start_date"),
        rs.getString("free_busy"),
        rs.getString("visibility"),
        rs.getString("status"),
        rs.getString("organizer_name"),
        rs.getString("organizer_email"),
        rs.getString("attendees"),
        (Integer) rs.getObject("reminder_minutes", Integer.class),
        rs.getString("meeting_url"),
        rs.getString("deleted_occurrences"),
        rs.getBoolean("deleted"),
        rs.getLong("change_seq"),
        Times.instant(rs, "created_at"));
  }
}
