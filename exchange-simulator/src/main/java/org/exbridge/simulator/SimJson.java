package org.exbridge.simulator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own JSON for events: the seed file, the control API's read-out and its writes.
 * One entry per single event or series; local times in the event's {@code time_zone}.
 */
final class SimJson {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private SimJson() {}

  static ObjectNode event(SimMailbox mailbox, SimMailbox.SimCalendar calendar, SimEvent e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", Ids.graph(Ids.Kind.ITEM, mailbox.address, e.number));
    n.put("ews_id", Ids.ews(Ids.Kind.ITEM, mailbox.address, e.number));
    n.put("calendar", calendar.name);
    n.put("subject", e.subject);
    n.put("body", e.body);
    n.put("location", e.location);
    n.put("time_zone", e.zone.getId());
    n.put("all_day", e.allDay);
    n.put("start", e.allDay ? e.start.toLocalDate().toString() : e.start.toString());
    n.put("end", e.allDay ? e.end.toLocalDate().toString() : e.end.toString());
    n.put("show_as", e.showAs);
    n.put("private", e.isPrivate);
    n.put("cancelled", e.cancelled);
    ObjectNode organizer = n.putObject("organizer");
    organizer.put("name", e.organizerName);
    organizer.put("email", e.organizerEmail);
    ArrayNode attendees = n.putArray("attendees");
    for (SimEvent.SimAttendee a : e.attendees) {
      ObjectNode an = attendees.addObject();
      an.put("name", a.name());
      an.put("email", a.email());
      an.put("type", a.type());
      an.put("response", a.response());
    }
    if (e.reminderMinutes != null) {
      n.put("reminder_minutes", e.reminderMinutes);
    }
    if (e.onlineMeetingUrl != null) {
      n.put("online_meeting_url", e.onlineMeetingUrl);
    }
    if (e.recurrence != null) {
      ObjectNode r = n.putObject("recurrence");
      r.put("type", e.recurrence.type());
      r.put("interval", e.recurrence.interval());
      ArrayNode days = r.putArray("days_of_week");
      e.recurrence.daysOfWeek().stream()
          .sorted()
          .forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
      r.put("day_of_month", e.recurrence.dayOfMonth());
      r.put("month", e.recurrence.month());
      r.put(
          "index",
          switch (e.recurrence.index()) {
            case 1 -> "first";
            case 2 -> "second";
            case 3 -> "third";
            case 4 -> "fourth";
            default -> "last";
          });
      r.put("first_day_of_week", e.recurrence.firstDayOfWeek().name().toLowerCase(Locale.ROOT));
      r.put("rrule", e.recurrence.rrule());
      if (e.recurrence.endDate() != null) {
        r.put("end_date", e.recurrence.endDate().toString());
      }
      if (e.recurrence.count() != null) {
        r.put("count", e.recurrence.count());
      }
      ArrayNode exceptions = n.putArray("exceptions");
      for (Map.Entry<LocalDateTime, SimEvent.SimOverride> x : e.exceptions.entrySet()) {
        ObjectNode xn = exceptions.addObject();
        xn.put("original_start", x.getKey().toString());
        xn.put("start", x.getValue().start.toString());
        xn.put("end", x.getValue().end.toString());
        xn.put("subject", x.getValue().subject);
        xn.put("location", x.getValue().location);
        xn.put("body", x.getValue().body);
      }
      ArrayNode deleted = n.putArray("deleted_occurrences");
      e.deleted.forEach(d -> deleted.add(d.toString()));
    }
    if (e.lastModified != null) {
      n.put("last_modified", e.lastModified.toString());
    }
    return n;
  }

  /**
   * Reads an event written as above into {@code e} (fields absent from the JSON keep their value).
   */
  static void read(JsonNode n, SimEvent e) {
    if (n.has("subject")) e.subject = n.get("subject").asString();
    if (n.has("body")) e.body = n.get("body").asString();
    if (n.has("location")) e.location = n.get("location").asString();
    if (n.has("time_zone")) {
      String zone = n.get("time_zone").asString();
      if (!Zones.known(zone)) {
        throw new IllegalArgumentException(
            "time_zone must be an IANA zone that has a Windows id in CLDR windowsZones (such as"
                + " Europe/Berlin or Asia/Kathmandu)");
      }
      e.zone = ZoneId.of(zone);
    }
    if (n.has("all_day")) e.allDay = n.get("all_day").asBoolean();
    if (n.has("start")) e.start = localTime(n.get("start").asString());
    if (n.has("end")) e.end = localTime(n.get("end").asString());
    if (n.has("show_as")) e.showAs = n.get("show_as").asString();
    if (n.has("private")) e.isPrivate = n.get("private").asBoolean();
    if (n.has("cancelled")) e.cancelled = n.get("cancelled").asBoolean();
    if (n.has("organizer")) {
      e.organizerName = n.get("organizer").path("name").asString("");
      e.organizerEmail = n.get("organizer").path("email").asString("");
    }
    if (n.has("attendees")) {
      e.attendees.clear();
      for (JsonNode a : n.get("attendees")) {
        e.attendees.add(
            new SimEvent.SimAttendee(
                a.path("name").asString(""),
                a.path("email").asString(""),
                a.path("type").asString("required"),
                a.path("response").asString("none")));
      }
    }
    if (n.has("reminder_minutes"))
      e.reminderMinutes =
          n.get("reminder_minutes").isNull() ? null : n.get("reminder_minutes").asInt();
    if (n.has("online_meeting_url"))
      e.onlineMeetingUrl =
          n.get("online_meeting_url").isNull() ? null : n.get("online_meeting_url").asString();
    if (n.has("recurrence")) {
      JsonNode r = n.get("recurrence");
      if (r.isNull()) {
        e.recurrence = null;
      } else {
        e.recurrence = recurrence(r);
      }
    }
    if (n.has("exceptions")) {
      e.exceptions.clear();
      for (JsonNode x : n.get("exceptions")) {
        SimEvent.SimOverride o = new SimEvent.SimOverride();
        o.start = localTime(x.get("start").asString());
        o.end = localTime(x.get("end").asString());
        o.subject = x.path("subject").asString(e.subject);
        o.location = x.path("location").asString(e.location);
        o.body = x.path("body").asString(e.body);
        e.exceptions.put(localTime(x.get("original_start").asString()), o);
      }
    }
    if (n.has("deleted_occurrences")) {
      e.deleted.clear();
      for (JsonNode d : n.get("deleted_occurrences")) {
        e.deleted.add(localTime(d.asString()));
      }
    }
    if (e.start == null || e.end == null || e.end.isBefore(e.start)) {
      throw new IllegalArgumentException("an event needs a start and an end not before it");
    }
  }

  private static final Set<String> RECURRENCE_FIELDS =
      Set.of(
          "type",
          "interval",
          "days_of_week",
          "day_of_month",
          "month",
          "index",
          "first_day_of_week",
          "end_date",
          "count",
          "rrule"); // written with the truth for readers; ignored when read back

  /**
   * Graph's patternedRecurrence vocabulary, checked field by field: anything unknown or
   * inconsistent is refused naming the field, before the mailbox changes.
   */
  static SimEvent.SimRecurrence recurrence(JsonNode r) {
    if (!r.isObject()) {
      throw new IllegalArgumentException("recurrence must be an object");
    }
    for (String name : r.propertyNames()) {
      if (!RECURRENCE_FIELDS.contains(name)) {
        throw new IllegalArgumentException("recurrence." + name + " is not a recurrence field");
      }
    }
    String type = r.path("type").asString("weekly");
    if (!SimEvent.SimRecurrence.TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "recurrence.type must be one of " + SimEvent.SimRecurrence.TYPES);
    }
    int interval = r.path("interval").asInt(1);
    if (interval < 1 || interval > 999) {
      throw new IllegalArgumentException("recurrence.interval must be 1 to 999");
    }
    if (type.endsWith("Yearly") && interval != 1) {
      throw new IllegalArgumentException(
          "recurrence.interval must be 1 for yearly patterns (EWS has no yearly interval)");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (JsonNode d : r.path("days_of_week")) {
      days.add(day("recurrence.days_of_week", d.asString("")));
    }
    int dayOfMonth = r.path("day_of_month").asInt(0);
    int month = r.path("month").asInt(0);
    int index = index(r.path("index").asString("first"));
    DayOfWeek firstDay =
        day("recurrence.first_day_of_week", r.path("first_day_of_week").asString("sunday"));
    boolean relative = type.startsWith("relative");
    if ((type.equals("weekly") || relative) && days.isEmpty()) {
      throw new IllegalArgumentException("recurrence.days_of_week is required for " + type);
    }
    if (relative
        && days.size() > 1
        && days.size() != 7
        && !days.equals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY))
        && !days.equals(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY))) {
      throw new IllegalArgumentException(
          "recurrence.days_of_week of a relative pattern is one day, every day, the weekdays or the"
              + " weekend days");
    }
    if (type.startsWith("absolute") && (dayOfMonth < 1 || dayOfMonth > 31)) {
      throw new IllegalArgumentException("recurrence.day_of_month must be 1 to 31 for " + type);
    }
    if (type.endsWith("Yearly") && (month < 1 || month > 12)) {
      throw new IllegalArgumentException("recurrence.month must be 1 to 12 for " + type);
    }
    Integer count = null;
    if (r.hasNonNull("count")) {
      count = r.get("count").asInt(0);
      if (count < 1 || count > 999) {
        throw new IllegalArgumentException("recurrence.count must be 1 to 999");
      }
    }
    LocalDate endDate = null;
    if (r.hasNonNull("end_date")) {
      try {
        endDate = LocalDate.parse(r.get("end_date").asString(""));
      } catch (java.time.format.DateTimeParseException ex) {
        throw new IllegalArgumentException("recurrence.end_date must be a date (yyyy-mm-dd)");
      }
    }
    if (count != null && endDate != null) {
      throw new IllegalArgumentException("recurrence has both count and end_date; give one");
    }
    return new SimEvent.SimRecurrence(
        type, interval, days, dayOfMonth, endDate, count, month, index, firstDay);
  }

  private static DayOfWeek day(String field, String name) {
    try {
      return DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(field + ": '" + name + "' is not a day of the week");
    }
  }

  private static int index(String name) {
    return switch (name) {
      case "first" -> 1;
      case "second" -> 2;
      case "third" -> 3;
      case "fourth" -> 4;
      case "last" -> -1;
      default ->
          throw new IllegalArgumentException(
              "recurrence.index must be first, second, third, fourth or last");
    };
  }

  private static LocalDateTime localTime(String text) {
    return text.length() == 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text);
  }

  static String instant(Instant i) {
    return i.toString();
  }
}
