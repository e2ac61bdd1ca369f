package org.exbridge.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.exbridge.exchange.EventDraft;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.ExchangeWriter;
import org.exbridge.exchange.RecurrencePattern;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourceRecurrence;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Between the store's rows and what is written to Exchange: the draft a row is written as, where
 * one occurrence is, and Exchange's version of an item as the same comparable values.
 */
public final class ExchangeValues {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ExchangeValues() {}

  /** The draft that writes this row (a single, a series, or an exception) to Exchange. */
  public static EventDraft draft(StoredEvent row) {
    ZoneId zone = zone(row);
    EventTime start =
        row.allDay()
            ? EventTime.onDate(LocalDate.parse(row.startDate()))
            : EventTime.at(Instant.ofEpochSecond(row.startTs()), zone);
    EventTime end =
        row.allDay()
            ? EventTime.onDate(LocalDate.parse(row.endDate()))
            : EventTime.at(Instant.ofEpochSecond(row.endTs()), zone);
    RecurrencePattern pattern =
        row.recurrence() == null
            ? null
            : RecurrencePattern.parse(
                row.recurrence(),
                row.allDay() ? start.date() : start.instant().atZone(zone).toLocalDate(),
                zone,
                row.allDay());
    List<SourceEvent.Attendee> attendees = new ArrayList<>();
    for (JsonNode a : JSON.readTree(row.attendees() == null ? "[]" : row.attendees())) {
      attendees.add(
          new SourceEvent.Attendee(
              a.path("name").asString(""),
              a.path("email").asString(""),
              SourceEvent.Attendee.Response.valueOf(a.path("response").asString("NONE")),
              SourceEvent.Attendee.Type.valueOf(a.path("type").asString("REQUIRED"))));
    }
    return new EventDraft(
        row.summary(),
        row.description(),
        row.location(),
        start,
        end,
        zone,
        "free".equals(row.freeBusy()),
        "private".equals(row.visibility()),
        row.reminderMinutes(),
        pattern,
        attendees);
  }

  /** One occurrence of the series {@code master}, by its key (epoch second or date). */
  public static ExchangeWriter.Occurrence occurrence(
      StoredEvent master, String key, String ownItemId) {
    ZoneId zone = zone(master);
    EventTime original =
        master.allDay()
            ? EventTime.onDate(LocalDate.parse(key))
            : EventTime.at(Instant.ofEpochSecond(Long.parseLong(key)), zone);
    EventTime first =
        master.allDay()
            ? EventTime.onDate(LocalDate.parse(master.startDate()))
            : EventTime.at(Instant.ofEpochSecond(master.startTs()), zone);
    return new ExchangeWriter.Occurrence(
        original, ownItemId, new SourceRecurrence(master.recurrence(), zone), first);
  }

  /**
   * Exchange's values of the item, or of its occurrence {@code key} (null: the item itself), in the
   * store's comparable form.
   */
  public static EventValues of(SourceEvent item, String key) {
    List<String> notes = new ArrayList<>();
    EventValues master = EventValues.of(EventRows.row(item, null, notes));
    if (key == null) {
      return master;
    }
    for (SourceEvent x : item.exceptions()) {
      if (x.originalStart() != null && EventRows.key(x.originalStart()).equals(key)) {
        return EventValues.of(EventRows.row(x, item.id(), notes));
      }
    }
    return CalendarEdits.instanceValues(master, key);
  }

  private static ZoneId zone(StoredEvent row) {
    return row.timezone() == null ? ZoneOffset.UTC : ZoneId.of(row.timezone());
  }
}
