package org.exbridge.calendar;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.exbridge.directory.Times;
import org.exbridge.exchange.RecurrenceExpansion;
import org.exbridge.exchange.RecurrencePattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes made through the calendar API: each is stored, and recorded as an outbound write for the
 * binding's job to deliver to Exchange, in one transaction; the job is made due at once. A change
 * that changes nothing records nothing.
 */
@Service
public class CalendarEdits {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EVENT_COLUMNS = CalendarReads.EVENT_COLUMNS;

  /**
   * The generation a row made here is seen in: any, so that no sweep of a full read removes it
   * before its write has reached Exchange (the read-back then sets the real one).
   */
  private static final int SEEN_BY_EVERY_READ = Integer.MAX_VALUE;

  private final JdbcClient jdbc;
  private final Clock clock;

  CalendarEdits(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A change the calendar cannot take, said in words that name the field. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The event is not in the calendar (or was deleted). */
  public static final class NotFound extends RuntimeException {
    NotFound() {
      super("event not found", null, false, false);
    }
  }

  /** The calendar's owner may not change it. */
  public static final class ReadOnly extends RuntimeException {
    ReadOnly() {
      super("the calendar is read-only in Exchange", null, false, false);
    }
  }

  /** The event id of a created event, and whether this call created it or an earlier one did. */
  public record Created(String eventId, boolean existed) {}

  /**
   * Creates an event; the same {@code clientKey} (the caller's idempotency key) answers the event
   * it created before.
   */
  @Transactional
  public Created create(
      StoredCalendar calendar, EventValues values, String clientKey, boolean notify) {
    writable(calendar);
    if (clientKey != null) {
      Optional<String> earlier =
          jdbc.sql("select event_id from synced_event where calendar_pk = ? and client_key = ?")
              .params(calendar.id(), clientKey)
              .query(String.class)
              .optional();
      if (earlier.isPresent()) {
        return new Created(earlier.get(), true);
      }
    }
    EventValues v = normalised(values);
    String writeId = UUID.randomUUID().toString();
    String eventId = EventIds.next();
    String mailbox = mailbox(calendar);
    Instant now = clock.instant();
    List<Object> params = new java.util.ArrayList<>();
    params.addAll(List.of(calendar.id(), eventId, "exbridge:" + writeId));
    params.add(v.recurrence() == null ? "SINGLE" : "MASTER");
    params.addAll(v.columns());
    params.addAll(List.of(mailbox, mailbox, SEEN_BY_EVERY_READ, Times.sql(now), Times.sql(now)));
    params.add(clientKey);
    jdbc.sql(
            "insert into synced_event (calendar_pk, event_id, exchange_id, kind, "
                + EventValues.COLUMNS
                + ", status, organizer_name, organizer_email, deleted_occurrences, seen_generation,"
                + " deleted, change_seq, created_at, updated_at, client_key) values (?, ?, ?, ?, "
                + "?, ".repeat(14)
                + "'confirmed', ?, ?, '[]', ?, false, nextval('calendar_change_seq'), ?, ?, ?)")
        .params(params)
        .update();
    long pk = pk(calendar, eventId);
    Map<String, String> to = v.fields();
    Map<String, String[]> changes = new LinkedHashMap<>();
    to.forEach((k, value) -> changes.put(k, new String[] {null, value}));
    outbound(calendar, pk, writeId, "create", null, changes, notify, now);
    return new Created(eventId, false);
  }

  /**
   * Changes the fields {@code change} changes, on a single, a series, or one instance of a series
   * (which becomes an exception). Returns the event id the change landed on.
   */
  @Transactional
  public String patch(
      StoredCalendar calendar, String eventId, UnaryOperator<EventValues> change, boolean notify) {
    writable(calendar);
    Target t = target(calendar, eventId);
    Instant now = clock.instant();
    if (t.occurrenceKey() == null) {
      EventValues before = EventValues.of(t.row());
      EventValues after = normalised(change.apply(before));
      if (t.row().isException()
          && !java.util.Objects.equals(after.recurrence(), before.recurrence())) {
        throw new Refused("recurrence of one instance cannot be changed; change the series");
      }
      List<String> changed = before.differences(after);
      if (changed.isEmpty()) {
        return t.row().eventId();
      }
      if (t.row().isException()) {
        checkInstanceFields(changed);
      }
      if (changed.contains(EventValues.ATTENDEES) && !organises(calendar, t.row())) {
        throw new Refused(
            "attendees of a meeting someone else organises cannot be changed; reply to it instead");
      }
      write(t.row().id(), after, now);
      StoredEvent master = t.row().isException() ? t.master() : t.row();
      outbound(
          calendar,
          master.id(),
          UUID.randomUUID().toString(),
          "update",
          t.row().isException() ? key(t.row()) : null,
          changes(before, after, changed),
          notify,
          now);
      return t.row().eventId();
    }
    // An unmodified instance: it becomes an exception of the series.
    StoredEvent master = t.master();
    EventValues series = EventValues.of(master);
    EventValues before = instanceValues(series, t.occurrenceKey());
    EventValues after = normalised(change.apply(before));
    if (!java.util.Objects.equals(after.recurrence(), before.recurrence())) {
      throw new Refused("recurrence of one instance cannot be changed; change the series");
    }
    List<String> changed = before.differences(after);
    if (changed.isEmpty()) {
      return eventId;
    }
    checkInstanceFields(changed);
    String base = master.eventId().substring(0, master.eventId().lastIndexOf('_'));
    String exceptionEventId = base + "_" + occurrenceSeconds(t.occurrenceKey());
    boolean allDay = master.allDay();
    List<Object> params = new java.util.ArrayList<>();
    params.addAll(
        List.of(
            calendar.id(),
            exceptionEventId,
            master.exchangeId() + "#" + t.occurrenceKey(),
            master.exchangeId()));
    params.addAll(after.columns());
    params.addAll(
        java.util.Arrays.asList(
            allDay ? null : Long.parseLong(t.occurrenceKey()),
            allDay ? t.occurrenceKey() : null,
            master.status(),
            master.organizerName(),
            master.organizerEmail(),
            master.meetingUrl(),
            SEEN_BY_EVERY_READ,
            Times.sql(now),
            Times.sql(now)));
    jdbc.sql(
            "insert into synced_event (calendar_pk, event_id, exchange_id, master_exchange_id, kind, "
                + EventValues.COLUMNS
                + ", original_start_ts, original_start_date, status, organizer_name, organizer_email,"
                + " meeting_url, deleted_occurrences, seen_generation, deleted, change_seq,"
                + " created_at, updated_at) values (?, ?, ?, ?, 'EXCEPTION', "
                + "?, ".repeat(14)
                + "?, ?, ?, ?, ?, ?, '[]', ?, false, nextval('calendar_change_seq'), ?, ?)")
        .params(params)
        .update();
    outbound(
        calendar,
        master.id(),
        UUID.randomUUID().toString(),
        "update",
        t.occurrenceKey(),
        changes(before, after, changed),
        notify,
        now);
    return exceptionEventId;
  }

  /** Deletes a single, a series (with its exceptions), or one instance of a series. */
  @Transactional
  public void delete(StoredCalendar calendar, String eventId, boolean notify) {
    writable(calendar);
    Target t = target(calendar, eventId);
    Instant now = clock.instant();
    if (t.occurrenceKey() == null && !t.row().isException()) {
      StoredEvent row = t.row();
      // Not yet sent to Exchange: nothing to undo there, so nothing is sent at all.
      int dropped =
          jdbc.sql(
                  "update outbound_write set state = 'dropped', updated_at = ? where event_pk = ? and op = 'create'"
                      + " and state = 'pending' and sent_at is null")
              .params(Times.sql(now), row.id())
              .update();
      jdbc.sql(
              "update synced_event set deleted = true, change_seq = nextval('calendar_change_seq'),"
                  + " updated_at = ? where calendar_pk = ? and (id = ? or master_exchange_id = ?)")
          .params(Times.sql(now), calendar.id(), row.id(), row.exchangeId())
          .update();
      if (dropped > 0) {
        jdbc.sql(
                "update outbound_write set state = 'dropped', updated_at = ? where event_pk = ? and state = 'pending'")
            .params(Times.sql(now), row.id())
            .update();
        return;
      }
      outbound(
          calendar, row.id(), UUID.randomUUID().toString(), "delete", null, Map.of(), notify, now);
      return;
    }
    StoredEvent master = t.master();
    String key = t.occurrenceKey() != null ? t.occurrenceKey() : key(t.row());
    ArrayNode deleted = (ArrayNode) JSON.readTree(master.deletedOccurrences());
    deleted.add(key);
    jdbc.sql(
            "update synced_event set deleted_occurrences = ?, change_seq = nextval('calendar_change_seq'),"
                + " updated_at = ? where id = ?")
        .params(deleted.toString(), Times.sql(now), master.id())
        .update();
    jdbc.sql(
            "update synced_event set deleted = true, change_seq = nextval('calendar_change_seq'), updated_at = ?"
                + " where calendar_pk = ? and exchange_id = ? and deleted = false")
        .params(Times.sql(now), calendar.id(), master.exchangeId() + "#" + key)
        .update();
    outbound(
        calendar, master.id(), UUID.randomUUID().toString(), "delete", key, Map.of(), notify, now);
  }

  /**
   * The calendar's owner answers a meeting someone else organises: {@code response} is ACCEPTED,
   * TENTATIVE or DECLINED. Their own entry among the attendees changes at once.
   */
  @Transactional
  public void reply(StoredCalendar calendar, String eventId, String response) {
    Target t = target(calendar, eventId);
    if (t.row() == null || t.row().isException()) {
      throw new Refused("reply to the series, not to one of its instances");
    }
    StoredEvent row = t.row();
    String mailbox = mailbox(calendar);
    if (organises(calendar, row)) {
      throw new Refused("the calendar's owner organises this event; there is nothing to reply to");
    }
    ArrayNode attendees = (ArrayNode) JSON.readTree(row.attendees());
    String before = "NONE";
    ObjectNode mine = null;
    for (tools.jackson.databind.JsonNode a : attendees) {
      if (a.path("email").asString("").equalsIgnoreCase(mailbox)) {
        mine = (ObjectNode) a;
        before = a.path("response").asString("NONE");
      }
    }
    if (before.equals(response)) {
      return;
    }
    if (mine == null) {
      mine = attendees.addObject();
      mine.put("name", "");
      mine.put("email", mailbox);
      mine.put("type", "REQUIRED");
    }
    mine.put("response", response);
    Instant now = clock.instant();
    jdbc.sql(
            "update synced_event set attendees = ?, change_seq = nextval('calendar_change_seq'),"
                + " updated_at = ? where id = ?")
        .params(attendees.toString(), Times.sql(now), row.id())
        .update();
    outbound(
        calendar,
        row.id(),
        UUID.randomUUID().toString(),
        "reply",
        null,
        Map.of("rsvp", new String[] {before, response}),
        true,
        now);
  }

  private String mailbox(StoredCalendar calendar) {
    return jdbc.sql("select exchange_account from exchange_binding where id = ?")
        .param(calendar.bindingId())
        .query(String.class)
        .single();
  }

  /** The calendar's owner organises the event (one with no organiser is theirs too). */
  private boolean organises(StoredCalendar calendar, StoredEvent row) {
    return row.organizerEmail() == null
        || row.organizerEmail().isBlank()
        || row.organizerEmail().equalsIgnoreCase(mailbox(calendar));
  }

  // --- for the operator ------------------------------------------------------------------------

  /** One write as the operator sees it. */
  public record WriteSeen(
      long id,
      String eventId,
      String op,
      String occurrence,
      String state,
      int attempts,
      String lastError,
      String conflicts,
      Instant createdAt,
      Instant deliveredAt) {}

  /** Writes of a binding by state, fields that went to Exchange's value, and the latest writes. */
  public record Writes(
      int pending, int delivered, int failed, int conflicts, List<WriteSeen> latest) {}

  public Writes writes(long bindingId, int latest) {
    Map<String, Integer> byState = new LinkedHashMap<>();
    jdbc.sql("select state, count(*) n from outbound_write where binding_id = ? group by state")
        .param(bindingId)
        .query((rs, n) -> byState.put(rs.getString("state"), rs.getInt("n")))
        .list();
    int conflicts =
        jdbc.sql(
                "select count(*) from outbound_write where binding_id = ? and conflicts is not null")
            .param(bindingId)
            .query(Integer.class)
            .single();
    List<WriteSeen> recent =
        jdbc.sql(
                "select w.id, e.event_id, w.op, w.occurrence, w.state, w.attempts, w.last_error, w.conflicts,"
                    + " w.created_at, w.delivered_at from outbound_write w left join synced_event e on e.id ="
                    + " w.event_pk where w.binding_id = ? order by w.id desc limit ?")
            .params(bindingId, latest)
            .query(
                (rs, n) ->
                    new WriteSeen(
                        rs.getLong("id"),
                        rs.getString("event_id"),
                        rs.getString("op"),
                        rs.getString("occurrence"),
                        rs.getString("state"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        rs.getString("conflicts"),
                        Times.instant(rs, "created_at"),
                        Times.instant(rs, "delivered_at")))
            .list();
    return new Writes(
        byState.getOrDefault("pending", 0),
        byState.getOrDefault("delivered", 0),
        byState.getOrDefault("failed", 0),
        conflicts,
        recent);
  }

  // --- what an id names ------------------------------------------------------------------------

  /** A row (single, series or exception), or an unmodified instance of {@code master}. */
  private record Target(StoredEvent row, StoredEvent master, String occurrenceKey) {}

  private Target target(StoredCalendar calendar, String eventId) {
    Optional<StoredEvent> row = lockedByEventId(calendar, eventId);
    if (row.isPresent()) {
      StoredEvent r = row.get();
      if (r.deleted()) {
        throw new NotFound();
      }
      StoredEvent master = r.isException() ? masterOf(calendar, r.masterExchangeId()) : null;
      if (r.isException() && master == null) {
        throw new NotFound();
      }
      return new Target(r, master, null);
    }
    int cut = eventId.lastIndexOf('_');
    if (cut <= 0) {
      throw new NotFound();
    }
    long seconds;
    try {
      seconds = Long.parseLong(eventId.substring(cut + 1));
    } catch (NumberFormatException e) {
      throw new NotFound();
    }
    StoredEvent master =
        lockedByEventId(calendar, eventId.substring(0, cut) + "_0")
            .filter(m -> !m.deleted() && m.recurrence() != null)
            .orElseThrow(NotFound::new);
    String key =
        master.allDay()
            ? LocalDate.ofEpochDay(Math.floorDiv(seconds, 86400)).toString()
            : Long.toString(seconds);
    if (!isOccurrence(master, key)) {
      throw new NotFound();
    }
    return new Target(null, master, key);
  }

  private static boolean isOccurrence(StoredEvent master, String key) {
    for (tools.jackson.databind.JsonNode d : JSON.readTree(master.deletedOccurrences())) {
      if (d.asString().equals(key)) {
        return false;
      }
    }
    ZoneId zone = master.timezone() == null ? ZoneOffset.UTC : ZoneId.of(master.timezone());
    LocalDateTime first;
    LocalDateTime wanted;
    if (master.allDay()) {
      first = LocalDate.parse(master.startDate()).atStartOfDay();
      wanted = LocalDate.parse(key).atStartOfDay();
    } else {
      first = LocalDateTime.ofInstant(Instant.ofEpochSecond(master.startTs()), zone);
      wanted = LocalDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(key)), zone);
    }
    return RecurrenceExpansion.starts(master.recurrence(), first, zone, wanted, 100_000)
        .contains(wanted);
  }

  private Optional<StoredEvent> lockedByEventId(StoredCalendar calendar, String eventId) {
    return jdbc.sql(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = ? and event_id = ? for update")
        .params(calendar.id(), eventId)
        .query(CalendarReads::event)
        .optional();
  }

  private StoredEvent masterOf(StoredCalendar calendar, String masterExchangeId) {
    return jdbc.sql(
            "select "
                + EVENT_COLUMNS
                + " from synced_event where calendar_pk = ? and exchange_id = ? and deleted = false for update")
        .params(calendar.id(), masterExchangeId)
        .query(CalendarReads::event)
        .optional()
        .orElse(null);
  }

  // --- values ----------------------------------------------------------------------------------

  /** Checks the values and writes the recurrence as Exchange will give it back. */
  private static EventValues normalised(EventValues v) {
    ZoneId zone;
    try {
      zone = v.timezone() == null ? ZoneOffset.UTC : ZoneId.of(v.timezone());
    } catch (java.time.DateTimeException e) {
      throw new Refused("start_time.timezone is not a time zone: " + v.timezone());
    }
    if (v.allDay()) {
      if (v.startDate() == null
          || v.endDate() == null
          || !LocalDate.parse(v.endDate()).isAfter(LocalDate.parse(v.startDate()))) {
        throw new Refused("end_time.date must be after start_time.date");
      }
    } else if (v.startTs() == null || v.endTs() == null || v.endTs() < v.startTs()) {
      throw new Refused("end_time must not be before start_time");
    }
    if (v.summary() != null && v.summary().length() > EventRows.SUMMARY) {
      throw new Refused("summary is longer than " + EventRows.SUMMARY + " characters");
    }
    if (v.description() != null && v.description().length() > EventRows.DESCRIPTION) {
      throw new Refused("description is longer than " + EventRows.DESCRIPTION + " characters");
    }
    if (v.location() != null && v.location().length() > EventRows.LOCATION) {
      throw new Refused("location.name is longer than " + EventRows.LOCATION + " characters");
    }
    String rrule = v.recurrence();
    if (rrule != null && !rrule.isBlank()) {
      LocalDate first =
          v.allDay()
              ? LocalDate.parse(v.startDate())
              : Instant.ofEpochSecond(v.startTs()).atZone(zone).toLocalDate();
      try {
        rrule = RecurrencePattern.parse(rrule, first, zone, v.allDay()).rrule(v.allDay(), zone);
      } catch (IllegalArgumentException e) {
        throw new Refused(e.getMessage());
      }
    } else {
      rrule = null;
    }
    return new EventValues(
        v.summary() == null ? "" : v.summary(),
        v.description() == null ? "" : v.description(),
        v.location() == null ? "" : v.location(),
        v.allDay(),
        v.allDay() ? null : v.startTs(),
        v.allDay() ? null : v.endTs(),
        v.allDay() ? v.startDate() : null,
        v.allDay() ? v.endDate() : null,
        zone.getId(),
        rrule,
        v.freeBusy(),
        v.visibility(),
        v.reminderMinutes(),
        v.attendees() == null ? "[]" : v.attendees());
  }

  private static void checkInstanceFields(List<String> changed) {
    for (String f : changed) {
      if (!List.of(
              EventValues.SUMMARY, EventValues.DESCRIPTION, EventValues.LOCATION, EventValues.TIME)
          .contains(f)) {
        throw new Refused(
            f
                + " of one instance cannot be changed on its own in Exchange through exbridge;"
                + " change the series");
      }
    }
  }

  /** An unmodified instance's values: the series' at the occurrence's start. */
  static EventValues instanceValues(EventValues series, String key) {
    if (series.allDay()) {
      long days =
          java.time.temporal.ChronoUnit.DAYS.between(
              LocalDate.parse(series.startDate()), LocalDate.parse(series.endDate()));
      LocalDate start = LocalDate.parse(key);
      return new EventValues(
          series.summary(),
          series.description(),
          series.location(),
          true,
          null,
          null,
          start.toString(),
          start.plusDays(days).toString(),
          series.timezone(),
          null,
          series.freeBusy(),
          series.visibility(),
          series.reminderMinutes(),
          series.attendees());
    }
    long start = Long.parseLong(key);
    return new EventValues(
        series.summary(),
        series.description(),
        series.location(),
        false,
        start,
        start + (series.endTs() - series.startTs()),
        null,
        null,
        series.timezone(),
        null,
        series.freeBusy(),
        series.visibility(),
        series.reminderMinutes(),
        series.attendees());
  }

  private static long occurrenceSeconds(String key) {
    return key.contains("-") ? LocalDate.parse(key).toEpochDay() * 86400 : Long.parseLong(key);
  }

  private static String key(StoredEvent exception) {
    return exception.originalStartTs() != null
        ? exception.originalStartTs().toString()
        : exception.originalStartDate();
  }

  private static Map<String, String[]> changes(
      EventValues before, EventValues after, List<String> changed) {
    Map<String, String> from = before.fields();
    Map<String, String> to = after.fields();
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String f : changed) {
      out.put(f, new String[] {from.get(f), to.get(f)});
    }
    return out;
  }

  // --- writes ----------------------------------------------------------------------------------

  private void write(long pk, EventValues v, Instant now) {
    List<Object> params = new java.util.ArrayList<>(v.columns());
    params.add(Times.sql(now));
    params.add(pk);
    jdbc.sql(
            "update synced_event set "
                + EventValues.COLUMNS.replace(",", " = ?,")
                + " = ?, change_seq = nextval('calendar_change_seq'), updated_at = ? where id = ?")
        .params(params)
        .update();
  }

  private void outbound(
      StoredCalendar calendar,
      long eventPk,
      String writeId,
      String op,
      String occurrence,
      Map<String, String[]> changes,
      boolean notify,
      Instant now) {
    ObjectNode fields = JSON.createObjectNode();
    changes.forEach(
        (name, fromTo) -> {
          ObjectNode f = fields.putObject(name);
          f.put("from", fromTo[0]);
          f.put("to", fromTo[1]);
        });
    jdbc.sql(
            "insert into outbound_write (binding_id, calendar_pk, event_pk, write_id, op, occurrence, fields, notify,"
                + " state, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)")
        .params(
            calendar.bindingId(),
            calendar.id(),
            eventPk,
            writeId,
            op,
            occurrence,
            fields.toString(),
            notify,
            Times.sql(now),
            Times.sql(now))
        .update();
    // Due now, unless the job is waiting out a fault (the write then waits with it).
    jdbc.sql(
            "update sync_job set due_at = ? where binding_id = ? and due_at > ? and attempts = 0"
                + " and phase <> 'stopped'")
        .params(Times.sql(now), calendar.bindingId(), Times.sql(now))
        .update();
  }

  private long pk(StoredCalendar calendar, String eventId) {
    return jdbc.sql("select id from synced_event where calendar_pk = ? and event_id = ?")
        .params(calendar.id(), eventId)
        .query(Long.class)
        .single();
  }

  private static void writable(StoredCalendar calendar) {
    if (!calendar.writable()) {
      throw new ReadOnly();
    }
  }
}
