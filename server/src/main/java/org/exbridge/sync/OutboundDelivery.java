package org.exbridge.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exbridge.binding.Binding;
import org.exbridge.calendar.CalendarReads;
import org.exbridge.calendar.CalendarStore;
import org.exbridge.calendar.EventValues;
import org.exbridge.calendar.ExchangeValues;
import org.exbridge.calendar.StoredCalendar;
import org.exbridge.calendar.StoredEvent;
import org.exbridge.directory.Times;
import org.exbridge.exchange.EventDraft;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeWriter;
import org.exbridge.exchange.SourceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers a binding's pending writes to Exchange, oldest first, inside the binding's job (so a
 * sync round never reads an item before its write is recorded). Each write is based on the change
 * key the store holds; on a conflict Exchange's item is read and the change applied field by field:
 * a field Exchange did not change gets exbridge's value, one changed on both sides keeps Exchange's
 * and is recorded as a conflict. After each write the item is read back and stored as Exchange
 * holds it, with its new change key, so the next round sees it unchanged.
 */
final class OutboundDelivery {
  private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int BATCH = 50;
  private static final int MERGES = 3;
  private static final Map<String, EventDraft.Field> FIELDS =
      Map.of(
          EventValues.SUMMARY, EventDraft.Field.SUMMARY,
          EventValues.DESCRIPTION, EventDraft.Field.DESCRIPTION,
          EventValues.LOCATION, EventDraft.Field.LOCATION,
          EventValues.TIME, EventDraft.Field.TIME,
          EventValues.FREE_BUSY, EventDraft.Field.FREE_BUSY,
          EventValues.VISIBILITY, EventDraft.Field.VISIBILITY,
          EventValues.REMINDER, EventDraft.Field.REMINDER,
          EventValues.RECURRENCE, EventDraft.Field.RECURRENCE,
          EventValues.ATTENDEES, EventDraft.Field.ATTENDEES);

  private final JdbcClient jdbc;
  private final CalendarStore store;
  private final CalendarReads reads;
  private final SyncMetrics metrics;
  private final Clock clock;

  OutboundDelivery(
      JdbcClient jdbc, CalendarStore store, CalendarReads reads, SyncMetrics metrics, Clock clock) {
    this.jdbc = jdbc;
    this.store = store;
    this.reads = reads;
    this.metrics = metrics;
    this.clock = clock;
  }

  private record Write(
      long id,
      long calendarPk,
      long eventPk,
      String writeId,
      String op,
      String occurrence,
      JsonNode fields,
      boolean send,
      boolean sent) {}

  /**
   * Delivers every pending write of the binding. A passing fault (throttling, 5xx, timeout) is
   * thrown after it is recorded on the write: the step backs off and the write is tried again, in
   * order. Returns how many writes were settled.
   */
  int deliver(Binding binding, ExchangeWriter writer, int generation) {
    int settled = 0;
    while (true) {
      List<Write> pending = pending(binding.id());
      if (pending.isEmpty()) {
        return settled;
      }
      Map<Long, StoredCalendar> calendars = new java.util.HashMap<>();
      store.calendars(binding.id()).forEach(c -> calendars.put(c.id(), c));
      for (Write w : pending) {
        if (!claim(w)) {
          continue;
        }
        deliverOne(binding, writer, w, calendars.get(w.calendarPk()), generation);
        settled++;
      }
    }
  }

  /**
   * Marks the write as sent (perhaps again) if it is still pending: a write the API dropped
   * meanwhile (the delete of an event not yet created) is then never sent.
   */
  private boolean claim(Write w) {
    return jdbc.sql(
                "update outbound_write set sent_at = coalesce(sent_at, ?), updated_at = ? where id = ?"
                    + " and state = 'pending'")
            .params(Times.sql(clock.instant()), Times.sql(clock.instant()), w.id())
            .update()
        > 0;
  }

  private void deliverOne(
      Binding binding, ExchangeWriter writer, Write w, StoredCalendar calendar, int generation) {
    StoredEvent row = reads.row(w.eventPk()).orElse(null);
    if (calendar == null || row == null) {
      settle(w, "dropped", "the calendar or event is no longer stored", null);
      return;
    }
    String mailbox = binding.exchangeAccount();
    Sent sent;
    try {
      sent = deliver(mailbox, calendar, row, writer, w);
    } catch (ExchangeException e) {
      if (accountWide(e)) {
        attempt(w, e);
        throw e;
      }
      // This item cannot take the write: it fails, and the store shows Exchange's version again.
      log.info(
          "binding {}: a {} of event {} was refused by Exchange: {}: {}",
          binding.id(),
          w.op(),
          row.eventId(),
          e.code(),
          e.getMessage());
      String exchangeId = reads.row(row.id()).map(StoredEvent::exchangeId).orElse(row.exchangeId());
      SourceEvent now =
          exchangeId.startsWith("exbridge:") ? null : writer.read(mailbox, exchangeId);
      store.refresh(
          calendar,
          row.id(),
          now,
          generation,
          w.id(),
          () -> settle(w, "failed", e.code() + ": " + e.getMessage(), null));
      metrics.write("failed");
      return;
    }
    // Read back, and settled with what was read: if the read fails the write stays pending and is
    // sent again, which finds its work done (the stamped item, the values already there).
    SourceEvent now = sent.itemId() == null ? null : writer.read(mailbox, sent.itemId());
    store.refresh(
        calendar,
        row.id(),
        now,
        generation,
        w.id(),
        () -> settle(w, "delivered", null, sent.conflicts()));
    metrics.write("delivered");
  }

  /** A write Exchange took: the item to read back (null when gone), and fields in conflict. */
  private record Sent(String itemId, String conflicts) {}

  /** Sends the write. */
  private Sent deliver(
      String mailbox, StoredCalendar calendar, StoredEvent row, ExchangeWriter writer, Write w) {
    String exchangeId = row.exchangeId();
    switch (w.op()) {
      case "create" -> {
        if (!exchangeId.startsWith("exbridge:")) {
          return new Sent(exchangeId, null);
        }
        ExchangeWriter.Written written =
            writer.create(
                mailbox,
                calendar.exchangeId(),
                ExchangeValues.draft(row),
                w.writeId(),
                w.sent(),
                w.send());
        recordId(calendar, row, written.itemId());
        return new Sent(written.itemId(), null);
      }
      case "reply" -> {
        writer.reply(
            mailbox,
            ExchangeWriter.ItemRef.of(exchangeId),
            SourceEvent.Attendee.Response.valueOf(w.fields().path("rsvp").path("to").asString()));
        return new Sent(exchangeId, null);
      }
      case "delete" -> {
        try {
          writer.delete(
              mailbox,
              ref(row, w, exchangeId, w.occurrence() == null ? null : exception(w, exchangeId)),
              w.send());
        } catch (ExchangeException e) {
          if (e.kind() != ExchangeException.Kind.ITEM_GONE) {
            throw e;
          }
        }
        return new Sent(w.occurrence() == null ? null : exchangeId, null);
      }
      default -> {
        return new Sent(exchangeId, update(mailbox, row, writer, w, exchangeId));
      }
    }
  }

  /**
   * An update, based on the change key the store holds; on a conflict (or for one occurrence,
   * always) Exchange's version is read and only what Exchange did not change is written.
   */
  private String update(
      String mailbox, StoredEvent master, ExchangeWriter writer, Write w, String exchangeId) {
    Map<String, String[]> changes = new LinkedHashMap<>();
    w.fields()
        .properties()
        .forEach(
            f ->
                changes.put(
                    f.getKey(),
                    new String[] {
                      f.getValue().path("from").asString(null),
                      f.getValue().path("to").asString(null)
                    }));
    OwnException own = w.occurrence() == null ? null : exception(w, exchangeId);
    StoredEvent source = own == null ? master : reads.row(own.pk()).orElse(master);
    EventDraft draft = ExchangeValues.draft(source);
    ExchangeWriter.ItemRef ref = ref(master, w, exchangeId, own);
    List<String> conflicts = new ArrayList<>();
    String basis =
        w.occurrence() == null
            ? jdbc.sql("select change_key from synced_event where id = ?")
                .param(master.id())
                .query(String.class)
                .optional()
                .orElse(null)
            : null;
    if (w.occurrence() != null || basis == null) {
      // No change key to rely on: compare with what Exchange holds now.
      SourceEvent current = writer.read(mailbox, exchangeId);
      if (current == null) {
        throw new ExchangeException(
            ExchangeException.Kind.ITEM_GONE,
            "ErrorItemNotFound",
            "the event is gone from Exchange");
      }
      merge(changes, ExchangeValues.of(current, w.occurrence()), conflicts);
      basis = w.occurrence() == null ? current.changeKey() : null;
    }
    for (int round = 0; ; round++) {
      Set<EventDraft.Field> fields = EnumSet.noneOf(EventDraft.Field.class);
      changes.keySet().forEach(f -> fields.add(FIELDS.get(f)));
      if (fields.isEmpty()) {
        break;
      }
      try {
        writer.update(mailbox, ref, basis, draft, fields, w.send());
        break;
      } catch (ExchangeException e) {
        if (e.kind() != ExchangeException.Kind.CONFLICT || round >= MERGES) {
          throw e;
        }
        SourceEvent current = writer.read(mailbox, exchangeId);
        if (current == null) {
          throw new ExchangeException(
              ExchangeException.Kind.ITEM_GONE,
              "ErrorItemNotFound",
              "the event is gone from Exchange");
        }
        merge(changes, ExchangeValues.of(current, w.occurrence()), conflicts);
        basis = current.changeKey();
      }
    }
    for (String f : conflicts) {
      metrics.conflict(f);
    }
    if (!conflicts.isEmpty()) {
      log.info(
          "event {}: {} changed in exbridge and in Exchange; Exchange's value was kept",
          master.eventId(),
          String.join(", ", conflicts));
    }
    return conflicts.isEmpty() ? null : String.join(",", conflicts);
  }

  /**
   * Keeps the changes Exchange's current values allow: a field Exchange still has as before is
   * written; one it already has as wanted is not; one Exchange changed otherwise is a conflict and
   * keeps Exchange's value.
   */
  private static void merge(
      Map<String, String[]> changes, EventValues exchange, List<String> conflicts) {
    Map<String, String> now = exchange.fields();
    changes
        .entrySet()
        .removeIf(
            c -> {
              String current = now.get(c.getKey());
              if (current == null || current.equals(c.getValue()[0])) {
                return false;
              }
              if (!current.equals(c.getValue()[1])) {
                conflicts.add(c.getKey());
              }
              return true;
            });
  }

  /** An occurrence's exception row, if it has one, with its own Exchange id (may be null). */
  private record OwnException(long pk, String itemId) {}

  private OwnException exception(Write w, String exchangeId) {
    return jdbc.sql(
            "select id, item_id from synced_event where calendar_pk = ? and exchange_id = ?")
        .params(w.calendarPk(), exchangeId + "#" + w.occurrence())
        .query((rs, n) -> new OwnException(rs.getLong("id"), rs.getString("item_id")))
        .optional()
        .orElse(null);
  }

  private static ExchangeWriter.ItemRef ref(
      StoredEvent master, Write w, String exchangeId, OwnException own) {
    if (w.occurrence() == null) {
      return ExchangeWriter.ItemRef.of(exchangeId);
    }
    return new ExchangeWriter.ItemRef(
        exchangeId,
        ExchangeValues.occurrence(master, w.occurrence(), own == null ? null : own.itemId()));
  }

  /** The created item's id on its row; a row the sync stored for it meanwhile gives way. */
  private void recordId(StoredCalendar calendar, StoredEvent row, String itemId) {
    try {
      jdbc.sql("update synced_event set exchange_id = ? where id = ?")
          .params(itemId, row.id())
          .update();
    } catch (DataIntegrityViolationException duplicate) {
      jdbc.sql("delete from synced_event where calendar_pk = ? and exchange_id = ? and id <> ?")
          .params(calendar.id(), itemId, row.id())
          .update();
      jdbc.sql("update synced_event set exchange_id = ? where id = ?")
          .params(itemId, row.id())
          .update();
    }
  }

  /** Account-wide refusals stop the binding as a sync would; the writes wait for it. */
  private static boolean accountWide(ExchangeException e) {
    if (e.kind() == ExchangeException.Kind.RETRYABLE
        || e.kind() == ExchangeException.Kind.THROTTLED
        || e.kind() == ExchangeException.Kind.CONFLICT) {
      return true;
    }
    String code = e.code() == null ? "" : e.code();
    return e.kind() == ExchangeException.Kind.PERMANENT
        && (code.startsWith("HTTP 401")
            || code.startsWith("HTTP 403")
            || code.contains("Impersonat")
            || code.contains("Mailbox")
            || code.equals("ErrorAdminAccountNotFound")
            || code.equals("InvalidAuthenticationToken"));
  }

  private List<Write> pending(long bindingId) {
    return jdbc.sql(
            "select id, calendar_pk, event_pk, write_id, op, occurrence, fields, notify, sent_at from outbound_write"
                + " where binding_id = ? and state = 'pending' order by id limit ?")
        .params(bindingId, BATCH)
        .query(
            (rs, n) ->
                new Write(
                    rs.getLong("id"),
                    rs.getLong("calendar_pk"),
                    rs.getLong("event_pk"),
                    rs.getString("write_id"),
                    rs.getString("op"),
                    rs.getString("occurrence"),
                    JSON.readTree(rs.getString("fields")),
                    rs.getBoolean("notify"),
                    rs.getTimestamp("sent_at") != null))
        .list();
  }

  private void attempt(Write w, ExchangeException e) {
    metrics.write("retried");
    jdbc.sql(
            "update outbound_write set attempts = attempts + 1, last_error = ?, updated_at = ? where id = ?")
        .params(cut(e.code() + ": " + e.getMessage()), Times.sql(clock.instant()), w.id())
        .update();
  }

  private void settle(Write w, String state, String error, String conflicts) {
    jdbc.sql(
            "update outbound_write set state = ?, last_error = ?, conflicts = ?, updated_at = ?,"
                + " delivered_at = ? where id = ? and state = 'pending'")
        .params(
            state,
            error == null ? null : cut(error),
            conflicts,
            Times.sql(clock.instant()),
            state.equals("delivered") ? Times.sql(clock.instant()) : null,
            w.id())
        .update();
  }

  private static String cut(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
