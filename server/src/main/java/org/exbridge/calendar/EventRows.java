package org.exbridge.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
      Instant lastModified,
      String itemId) {

    /**
     * The platform event id: a fresh one for singles and masters, the master's plus the original
     * start for exceptions.
     */
    String newEventId(String masterEventId) {
      if (masterExchangeId == null) {
        return EventIds.next();
      }
      String base = masterEventId.substring(0, masterEventId.lastIndexOf('_'));
      return base
          + "_"
          + (originalStartTs != null
              ? originalStartTs
              : LocalDate.parse(originalStartDate).toEpochDay() * 86400);
    }
  }

  /**
   * The documented limits of the store's columns, applied before the write so that no value is
   * refused by the database: a text over its limit is cut (and said so), an id over its limit
   * cannot be stored at all.
   */
  static final int SUMMARY = 4000;

  static final int DESCRIPTION = 65_000;
  static final int LOCATION = 2000;
  static final int PERSON = 500;
  static final int URL = 2000;
  static final int CHANGE_KEY = 200;
  static final int ZONE = 64;
  static final int RECURRENCE = 4000;
  static final int ITEM_ID = 1000;
  static final int ATTENDEES = 10_000;
  static final int DELETED_OCCURRENCES = 100_000;

  /** Thrown for an item that cannot be stored at all (its id is longer than the store keeps). */
  static final class Unstorable extends RuntimeException {
    Unstorable(String message) {
      super(message, null, false, false);
    }
  }

  static Row row(SourceEvent e, String masterExchangeId, List<String> notes) {
    if (e.id() == null || e.id().isEmpty()) {
      throw new Unstorable("the item has no Exchange id");
    }
    if (e.id().length() > ITEM_ID) {
      throw new Unstorable(
          "its Exchange id is " + e.id().length() + " characters, over the " + ITEM_ID + " kept");
    }
    EventTime start = e.start();
    EventTime end = e.end();
    boolean allDay = start != null && start.allDay();
    EventTime original = e.originalStart();
    String exchangeId = masterExchangeId == null ? e.id() : masterExchangeId + "#" + key(original);
    String zone =
        start == null || start.zone() == null
            ? (e.recurrence() != null ? e.recurrence().zone().getId() : null)
            : start.zone().getId();
    if (zone != null && zone.length() > ZONE) {
      notes.add("time zone id longer than " + ZONE + " characters; shown in UTC");
      zone = "UTC";
    }
    String rrule = e.recurrence() == null ? null : e.recurrence().rrule();
    if (rrule != null && rrule.length() > RECURRENCE) {
      throw new Unstorable("its recurrence rule is longer than " + RECURRENCE + " characters");
    }
    String changeKey = e.changeKey();
    if (changeKey != null && changeKey.length() > CHANGE_KEY) {
      // Without a change key the item is simply written again at every read.
      changeKey = null;
    }
    String url = e.onlineMeetingUrl();
    if (url != null && url.length() > URL) {
      notes.add("online meeting URL longer than " + URL + " characters was left out");
      url = null;
    }
    return new Row(
        exchangeId,
        masterExchangeId,
        e.kind().name(),
        changeKey,
        cut(e.subject(), SUMMARY, "subject", notes),
        cut(e.body(), DESCRIPTION, "description", notes),
        cut(e.location(), LOCATION, "location", notes),
        allDay,
        allDay || start == null ? null : start.instant().getEpochSecond(),
        allDay || end == null ? null : end.instant().getEpochSecond(),
        allDay ? start.date().toString() : null,
        allDay && end != null ? end.date().toString() : null,
        zone,
        rrule,
        original == null || original.allDay() ? null : original.instant().getEpochSecond(),
        original == null || !original.allDay() ? null : original.date().toString(),
        freeBusy(e.showAs()),
        e.isPrivate() ? "private" : "default",
        e.cancelled() ? "cancelled" : "confirmed",
        e.organizer() == null ? null : cut(e.organizer().name(), PERSON, "organizer name", notes),
        e.organizer() == null
            ? null
            : cut(e.organizer().email(), PERSON, "organizer e-mail", notes),
        attendees(e, notes),
        e.reminderMinutes(),
        url,
        deleted(e.deletedOccurrences(), notes),
        e.lastModified(),
        masterExchangeId == null || e.id().length() > ITEM_ID ? null : e.id());
  }

  /** A single or master followed by its exceptions, with what had to change to store them. */
  record Item(SourceEvent source, List<Row> rows, List<String> notes) {}

  /**
   * The rows of a single or master and its exceptions; notes collect what was cut or left out.
   *
   * @throws Unstorable when the item cannot be stored at all
   */
  static Item item(SourceEvent e) {
    List<String> notes = new ArrayList<>(e.warnings() == null ? List.of() : e.warnings());
    List<Row> rows = new ArrayList<>();
    rows.add(row(e, null, notes));
    for (SourceEvent x : e.exceptions()) {
      if (x.originalStart() != null) {
        rows.add(row(x, e.id(), notes));
      }
    }
    return new Item(e, rows, notes.stream().distinct().toList());
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

  private static String attendees(SourceEvent e, List<String> notes) {
    ArrayNode list = JSON.createArrayNode();
    List<SourceEvent.Attendee> all = e.attendees();
    if (all.size() > ATTENDEES) {
      notes.add(
          "the meeting has " + all.size() + " attendees; the first " + ATTENDEES + " are kept");
      all = all.subList(0, ATTENDEES);
    }
    for (SourceEvent.Attendee a : all) {
      ObjectNode n = list.addObject();
      n.put("name", cut(a.name(), PERSON, "attendee name", notes));
      n.put("email", cut(a.email(), PERSON, "attendee e-mail", notes));
      n.put("response", a.response().name());
      n.put("type", a.type().name());
    }
    return list.toString();
  }

  private static String deleted(List<EventTime> times, List<String> notes) {
    ArrayNode list = JSON.createArrayNode();
    List<EventTime> kept = times;
    if (kept.size() > DELETED_OCCURRENCES) {
      notes.add("more than " + DELETED_OCCURRENCES + " deleted occurrences; the first are kept");
      kept = kept.subList(0, DELETED_OCCURRENCES);
    }
    for (EventTime t : kept) {
      list.add(key(t));
    }
    return list.toString();
  }

  private static String cut(String s, int max, String field, List<String> notes) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return s;
    }
    notes.add(field + " cut to " + max + " characters (it had " + s.length() + ")");
    return s.substring(0, max);
  }
}
