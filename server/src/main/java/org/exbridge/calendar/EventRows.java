package org.exbridge.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.SourceEvent;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns normalised Exchange events into the rows of {@code synced_event}. */
final class EventRows {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EventRows() {}

  /** One row's values, in the order of {@link CalendarStore}'s insert and update statements. */
  record Row(
      String exchangeId,
      String masterExchangeId,
      String kind,
      String changeKey,
      String summary,
      String description,
      String location,
      boolean allDay,
      Long startTs,
      Long endTs,
      String startDate,
      String endDate,
      String timezone,
      String recurrence,
      Long originalStartTs,
      String originalStartDate,
      String freeBusy,
      String visibility,
      String status,
      String organizerName,
      String organizerEmail,
      String attendees,
      Integer reminderMinutes,
      String meetingUrl,
      String deletedOccurrences,
      Instant lastModified) {

    /**
     * The platform event id: a fresh one for singles and masters, the master's plus the original
     * start for exceptions.
     */
    String newEventId(String masterEventId) {
      if (masterExchangeId == null) {
        return UUID.randomUUID() + "_0";
      }
      String base = masterEventId.substring(0, masterEventId.lastIndexOf('_'));
      return base
          + "_"
          + (originalStartTs != null
              ? originalStartTs
              : LocalDate.parse(originalStartDate).toEpochDay() * 86400);
    }
  }

  static Row row(SourceEvent e, String masterExchangeId) {
    EventTime start = e.start();
    EventTime end = e.end();
    boolean allDay = start != null && start.allDay();
    EventTime original = e.originalStart();
    String exchangeId = masterExchangeId == null ? e.id() : masterExchangeId + "#" + key(original);
    return new Row(
        exchangeId,
        masterExchangeId,
        e.kind().name(),
        e.changeKey(),
        trim(e.subject(), 4000),
        trim(e.body(), 65000),
        trim(e.location(), 2000),
        allDay,
        allDay || start == null ? null : start.instant().getEpochSecond(),
        allDay || end == null ? null : end.instant().getEpochSecond(),
        allDay ? start.date().toString() : null,
        allDay && end != null ? end.date().toString() : null,
        start == null || start.zone() == null
            ? (e.recurrence() != null ? e.recurrence().zone().getId() : null)
            : start.zone().getId(),
        e.recurrence() == null ? null : e.recurrence().rrule(),
        original == null || original.allDay() ? null : original.instant().getEpochSecond(),
        original == null || !original.allDay() ? null : original.date().toString(),
        freeBusy(e.showAs()),
        e.isPrivate() ? "private" : "default",
        e.cancelled() ? "cancelled" : "confirmed",
        e.organizer() == null ? null : trim(e.organizer().name(), 500),
        e.organizer() == null ? null : trim(e.organizer().email(), 500),
        attendees(e),
        e.reminderMinutes(),
        e.onlineMeetingUrl(),
        deleted(e.deletedOccurrences()),
        e.lastModified());
  }

  /** Rows of a single or master followed by its exceptions. */
  static List<Row> rows(SourceEvent e) {
    List<Row> rows = new ArrayList<>();
    rows.add(row(e, null));
    for (SourceEvent x : e.exceptions()) {
      if (x.originalStart() != null) {
        rows.add(row(x, e.id()));
      }
    }
    return rows;
  }

  static String key(EventTime t) {
    return t.allDay() ? t.date().toString() : Long.toString(t.instant().getEpochSecond());
  }

  private static String freeBusy(SourceEvent.ShowAs showAs) {
    return switch (showAs) {
      case FREE -> "free";
      default -> "busy";
    };
  }

  private static String attendees(SourceEvent e) {
    ArrayNode list = JSON.createArrayNode();
    for (SourceEvent.Attendee a : e.attendees()) {
      ObjectNode n = list.addObject();
      n.put("name", a.name());
      n.put("email", a.email());
      n.put("response", a.response().name());
      n.put("type", a.type().name());
    }
    return list.toString();
  }

  private static String deleted(List<EventTime> times) {
    ArrayNode list = JSON.createArrayNode();
    for (EventTime t : times) {
      list.add(key(t));
    }
    return list.toString();
  }

  private static String trim(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max);
  }
}
