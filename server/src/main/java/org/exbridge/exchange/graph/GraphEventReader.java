package org.exbridge.exchange.graph;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exbridge.exchange.EventTime;
import org.exbridge.exchange.RecurrencePattern;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourceEvent.Attendee;
import org.exbridge.exchange.SourceRecurrence;
import org.exbridge.exchange.ZoneWarning;
import org.exbridge.exchange.tz.WindowsZones;
import tools.jackson.databind.JsonNode;

/** Reads a Graph event into a {@link SourceEvent}. */
final class GraphEventReader {
  private GraphEventReader() {}

  static SourceEvent read(JsonNode e) {
    String type = e.path("type").asString("singleInstance");
    SourceEvent.Kind kind =
        switch (type) {
          case "seriesMaster" -> SourceEvent.Kind.MASTER;
          case "exception", "occurrence" -> SourceEvent.Kind.EXCEPTION;
          default -> SourceEvent.Kind.SINGLE;
        };
    ZoneId zone = zone(e);
    String zoneName = e.path("originalStartTimeZone").asString(null);
    List<String> warnings =
        zoneName != null && WindowsZones.zone(zoneName).isEmpty()
            ? List.of(ZoneWarning.of(zoneName))
            : List.of();
    boolean allDay = e.path("isAllDay").asBoolean(false);
    String sensitivity = e.path("sensitivity").asString("normal");
    JsonNode organizer = e.path("organizer").path("emailAddress");
    String joinUrl = e.path("onlineMeeting").path("joinUrl").asString(null);
    if (joinUrl == null || joinUrl.isBlank()) {
      joinUrl = e.path("onlineMeetingUrl").asString(null);
    }
    String original = e.path("originalStart").asString(null);
    String modified = e.path("lastModifiedDateTime").asString(null);
    return new SourceEvent(
        e.path("id").asString(),
        e.path("changeKey").asString(null),
        kind,
        e.path("subject").asString(""),
        body(e.path("body")),
        e.path("location").path("displayName").asString(""),
        time(e.path("start"), zone, allDay),
        time(e.path("end"), zone, allDay),
        showAs(e.path("showAs").asString("busy")),
        sensitivity.equals("private") || sensitivity.equals("confidential"),
        e.path("isCancelled").asBoolean(false),
        organizer.isMissingNode()
            ? null
            : new SourceEvent.Person(
                organizer.path("name").asString(""), organizer.path("address").asString("")),
        attendees(e.path("attendees")),
        e.path("isReminderOn").asBoolean(false)
            ? e.path("reminderMinutesBeforeStart").asInt()
            : null,
        joinUrl == null || joinUrl.isBlank() ? null : joinUrl,
        kind == SourceEvent.Kind.MASTER ? recurrence(e.path("recurrence"), zone, allDay) : null,
        kind == SourceEvent.Kind.EXCEPTION && original != null
            ? instantTime(parseInstant(original), zone, allDay)
            : null,
        List.of(),
        List.of(),
        modified == null ? null : parseInstant(modified),
        warnings);
  }

  /** The event's own zone; custom and unknown zones fall back to UTC. */
  static ZoneId zone(JsonNode e) {
    return WindowsZones.zone(e.path("originalStartTimeZone").asString(null))
        .orElse(WindowsZones.UTC);
  }

  static Instant parseInstant(String text) {
    if (text.endsWith("Z")) {
      return localDateTime(text.substring(0, text.length() - 1)).toInstant(ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      return localDateTime(text).toInstant(ZoneOffset.UTC);
    }
  }

  /**
   * A local date-time as Graph writes it ({@code 2026-05-27T14:45:00.0000000}), read by position: a
   * calendar scan reads one per occurrence, and the formatter's general parser was a tenth of its
   * time. Any other shape, or a value out of range, goes to {@link LocalDateTime#parse}, which
   * accepts or refuses it as before.
   */
  static LocalDateTime localDateTime(String t) {
    int n = t.length();
    if (n >= 19
        && n <= 29
        && n != 20
        && t.charAt(4) == '-'
        && t.charAt(7) == '-'
        && t.charAt(10) == 'T'
        && t.charAt(13) == ':'
        && t.charAt(16) == ':'
        && (n == 19 || t.charAt(19) == '.')) {
      int year = digits(t, 0, 4);
      int month = digits(t, 5, 7);
      int day = digits(t, 8, 10);
      int hour = digits(t, 11, 13);
      int minute = digits(t, 14, 16);
      int second = digits(t, 17, 19);
      int nanos = n == 19 ? 0 : digits(t, 20, n);
      if (year >= 0
          && month >= 0
          && day >= 0
          && hour >= 0
          && minute >= 0
          && second >= 0
          && nanos >= 0) {
        for (int i = n - 20; i < 9 && n > 19; i++) {
          nanos *= 10;
        }
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (java.time.DateTimeException outOfRange) {
          // refused below, in the parser's words
        }
      }
    }
    return LocalDateTime.parse(t);
  }

  /** The decimal number in {@code t[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * A {@code dateTimeTimeZone}: local time in the named zone (UTC when we asked for it, or
   * unknown).
   */
  static EventTime time(JsonNode dateTimeTimeZone, ZoneId eventZone, boolean allDay) {
    if (dateTimeTimeZone.isMissingNode() || dateTimeTimeZone.isNull()) {
      return null;
    }
    LocalDateTime local = localDateTime(dateTimeTimeZone.path("dateTime").asString());
    if (allDay) {
      return EventTime.onDate(local.toLocalDate());
    }
    ZoneId in =
        WindowsZones.zone(dateTimeTimeZone.path("timeZone").asString("UTC"))
            .orElse(WindowsZones.UTC);
    return EventTime.at(local.atZone(in).toInstant(), eventZone);
  }

  private static EventTime instantTime(Instant instant, ZoneId zone, boolean allDay) {
    return allDay
        ? EventTime.onDate(LocalDate.ofInstant(instant, zone))
        : EventTime.at(instant, zone);
  }

  private static String body(JsonNode body) {
    String content = body.path("content").asString("");
    if ("html".equalsIgnoreCase(body.path("contentType").asString("text"))) {
      content = content.replaceAll("(?s)<[^>]*>", " ").replaceAll("[ \\t]+", " ").trim();
    }
    return content;
  }

  private static SourceEvent.ShowAs showAs(String value) {
    return switch (value) {
      case "free" -> SourceEvent.ShowAs.FREE;
      case "tentative" -> SourceEvent.ShowAs.TENTATIVE;
      case "oof" -> SourceEvent.ShowAs.OUT_OF_OFFICE;
      case "workingElsewhere" -> SourceEvent.ShowAs.WORKING_ELSEWHERE;
      case "unknown" -> SourceEvent.ShowAs.UNKNOWN;
      default -> SourceEvent.ShowAs.BUSY;
    };
  }

  private static List<Attendee> attendees(JsonNode list) {
    List<Attendee> out = new ArrayList<>();
    for (JsonNode a : list) {
      Attendee.Type type =
          switch (a.path("type").asString("required")) {
            case "optional" -> Attendee.Type.OPTIONAL;
            case "resource" -> Attendee.Type.RESOURCE;
            default -> Attendee.Type.REQUIRED;
          };
      Attendee.Response response =
          switch (a.path("status").path("response").asString("none")) {
            case "organizer" -> Attendee.Response.ORGANIZER;
            case "accepted" -> Attendee.Response.ACCEPTED;
            case "tentativelyAccepted" -> Attendee.Response.TENTATIVE;
            case "declined" -> Attendee.Response.DECLINED;
            case "notResponded" -> Attendee.Response.NOT_RESPONDED;
            default -> Attendee.Response.NONE;
          };
      JsonNode email = a.path("emailAddress");
      out.add(
          new Attendee(
              email.path("name").asString(""), email.path("address").asString(""), response, type));
    }
    // Graph lists attendees in one list; keep EWS's grouping (required, optional, resources) for
    // equal output.
    out.sort(java.util.Comparator.comparing(Attendee::type));
    return List.copyOf(out);
  }

  static SourceRecurrence recurrence(JsonNode recurrence, ZoneId eventZone, boolean allDay) {
    if (recurrence.isMissingNode() || recurrence.isNull()) {
      return null;
    }
    JsonNode p = recurrence.path("pattern");
    JsonNode r = recurrence.path("range");
    RecurrencePattern.Type type =
        switch (p.path("type").asString("daily")) {
          case "weekly" -> RecurrencePattern.Type.WEEKLY;
          case "absoluteMonthly" -> RecurrencePattern.Type.ABSOLUTE_MONTHLY;
          case "relativeMonthly" -> RecurrencePattern.Type.RELATIVE_MONTHLY;
          case "absoluteYearly" -> RecurrencePattern.Type.ABSOLUTE_YEARLY;
          case "relativeYearly" -> RecurrencePattern.Type.RELATIVE_YEARLY;
          default -> RecurrencePattern.Type.DAILY;
        };
    List<DayOfWeek> days = new ArrayList<>();
    for (JsonNode d : p.path("daysOfWeek")) {
      days.addAll(RecurrencePattern.days(d.asString()));
    }
    RecurrencePattern.Range range =
        switch (r.path("type").asString("noEnd")) {
          case "endDate" -> RecurrencePattern.Range.END_DATE;
          case "numbered" -> RecurrencePattern.Range.NUMBERED;
          default -> RecurrencePattern.Range.NO_END;
        };
    int index =
        type == RecurrencePattern.Type.RELATIVE_MONTHLY
                || type == RecurrencePattern.Type.RELATIVE_YEARLY
            ? RecurrencePattern.index(p.path("index").asString("first"))
            : 0;
    String end = r.path("endDate").asString("0001-01-01");
    RecurrencePattern pattern =
        new RecurrencePattern(
            type,
            p.path("interval").asInt(1),
            days,
            p.path("dayOfMonth").asInt(0),
            p.path("month").asInt(0),
            index,
            range,
            range == RecurrencePattern.Range.END_DATE ? LocalDate.parse(end) : null,
            r.path("numberOfOccurrences").asInt(0),
            DayOfWeek.valueOf(
                p.path("firstDayOfWeek").asString("sunday").toUpperCase(Locale.ROOT)));
    ZoneId zone = WindowsZones.zone(r.path("recurrenceTimeZone").asString(null)).orElse(eventZone);
    return new SourceRecurrence(pattern.rrule(allDay, zone), zone);
  }
}
