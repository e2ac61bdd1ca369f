package org.exbridge.simulator;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Graph event writes: POST (with transactionId de-duplication), PATCH and DELETE (with If-Match
 * answering 412 on a stale change key), and cancel; each sends the meeting messages Graph sends.
 */
final class GraphWrites {
  private GraphWrites() {}

  /** A refusal with Graph's status and error code. */
  static final class Refused extends RuntimeException {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private static final Set<String> FIELDS =
      Set.of(
          "subject",
          "body",
          "start",
          "end",
          "isAllDay",
          "location",
          "showAs",
          "sensitivity",
          "isReminderOn",
          "reminderMinutesBeforeStart",
          "attendees",
          "recurrence",
          "transactionId",
          "importance",
          "categories",
          "responseRequested",
          "allowNewTimeProposals",
          "isOnlineMeeting");

  /** Creates an event; a transactionId already used answers the event it created. */
  static SimEvent create(
      SimMailbox mailbox, SimMailbox.SimCalendar calendar, JsonNode body, Clock clock) {
    if (!calendar.canEdit) {
      throw new Refused(
          403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
    String transaction = body.path("transactionId").asString(null);
    if (transaction != null) {
      for (SimMailbox.SimCalendar c : mailbox.calendars) {
        for (SimEvent e : c.events.values()) {
          if (transaction.equals(e.transactionId)) {
            return e;
          }
        }
      }
    }
    SimEvent e = new SimEvent(mailbox.nextNumber());
    e.organizerName = mailbox.displayName;
    e.organizerEmail = mailbox.address;
    e.transactionId = transaction;
    apply(body, e, null);
    if (e.start == null || e.end == null || e.end.isBefore(e.start)) {
      throw new Refused(400, "ErrorInvalidRequest", "The event needs a start and an end after it.");
    }
    mailbox.put(calendar, e, clock);
    mailbox.send(clock, "graph", "invitation", e, EwsWrites.emails(e.attendees));
    return e;
  }

  /** Changes an event or one occurrence; If-Match must name the current version when given. */
  static SimEvent patch(
      SimMailbox mailbox, Ids.Parsed id, String ifMatch, JsonNode body, Clock clock) {
    SimEvent existing = existing(mailbox, id, ifMatch);
    SimMailbox.SimCalendar calendar = mailbox.calendarOf(existing.number);
    LocalDateTime occurrence =
        id.kind() == Ids.Kind.OCCURRENCE ? LocalDateTime.parse(id.occurrenceKey()) : null;
    if (body.has("transactionId")) {
      throw new Refused(400, "ErrorInvalidRequest", "transactionId cannot be changed.");
    }
    SimEvent changed = existing.copyAs(existing.number);
    List<String> before = EwsWrites.emails(changed.attendees);
    apply(body, changed, occurrence);
    if (changed.end.isBefore(changed.start)) {
      throw new Refused(400, "ErrorInvalidRequest", "The end is before the start.");
    }
    SimControl.numberOverrides(mailbox, changed);
    mailbox.put(calendar, changed, clock);
    List<String> after = EwsWrites.emails(changed.attendees);
    boolean onlyAttendees = body.size() == 1 && body.has("attendees");
    if (onlyAttendees) {
      List<String> added = new ArrayList<>(after);
      added.removeAll(before);
      List<String> removed = new ArrayList<>(before);
      removed.removeAll(after);
      mailbox.send(clock, "graph", "invitation", changed, added);
      mailbox.send(clock, "graph", "cancellation", changed, removed);
    } else {
      mailbox.send(clock, "graph", "update", changed, after);
    }
    return changed;
  }

  /** Deletes an event or one occurrence; a meeting the mailbox organises is cancelled. */
  static void delete(
      SimMailbox mailbox, Ids.Parsed id, String ifMatch, Clock clock, boolean cancel) {
    SimEvent existing = existing(mailbox, id, ifMatch);
    if (cancel && !mailbox.organises(existing)) {
      throw new Refused(
          400,
          "ErrorInvalidRequest",
          "Your request can't be completed. You can't cancel a meeting unless you're the"
              + " organizer.");
    }
    SimMailbox.SimCalendar calendar = mailbox.calendarOf(existing.number);
    if (id.kind() == Ids.Kind.OCCURRENCE) {
      LocalDateTime original = LocalDateTime.parse(id.occurrenceKey());
      SimEvent changed = existing.copyAs(existing.number);
      changed.exceptions.remove(original);
      changed.deleted.add(original);
      mailbox.put(calendar, changed, clock);
    } else {
      mailbox.delete(existing.number);
    }
    mailbox.send(clock, "graph", "cancellation", existing, EwsWrites.emails(existing.attendees));
  }

  private static SimEvent existing(SimMailbox mailbox, Ids.Parsed id, String ifMatch) {
    SimEvent e =
        id == null || !id.mailbox().equals(mailbox.address) || id.kind() == Ids.Kind.FOLDER
            ? null
            : mailbox.event(id.number());
    if (e == null) {
      throw new Refused(
          404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    if (id.kind() == Ids.Kind.OCCURRENCE) {
      LocalDateTime original = LocalDateTime.parse(id.occurrenceKey());
      if (!e.recurring()
          || e.deleted.contains(original)
          || !Occurrences.originalStarts(e, original).contains(original)) {
        throw new Refused(
            404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
    }
    if (!mailbox.calendarOf(e.number).canEdit) {
      throw new Refused(
          403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
    if (ifMatch != null && !ifMatch.isBlank()) {
      String current = "W/\"" + EwsItems.changeKey(e.version) + "\"";
      String sent = ifMatch.trim();
      if (!sent.equals("*") && !sent.equals(current) && !sent.equals(current.substring(2))) {
        throw new Refused(
            412,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed in"
                + " the request does not match the current change key for the item.");
      }
    }
    return e;
  }

  /** Applies the Graph event JSON to the series or single, or to one occurrence of it. */
  private static void apply(JsonNode n, SimEvent e, LocalDateTime occurrence) {
    if (!n.isObject()) {
      throw new Refused(400, "RequestBodyRead", "The body must be a JSON object.");
    }
    for (String name : n.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw new Refused(
            400,
            "RequestBodyRead",
            "The property '" + name + "' does not exist on type 'microsoft.graph.event'.");
      }
    }
    if (occurrence != null) {
      SimEvent.SimOverride o = e.exceptions.get(occurrence);
      if (o == null) {
        o = new SimEvent.SimOverride();
        o.start = occurrence;
        o.end = occurrence.plus(Occurrences.length(e));
      }
      for (String name : n.propertyNames()) {
        switch (name) {
          case "subject" -> o.subject = n.get(name).asString("");
          case "body" -> o.body = n.get(name).path("content").asString("");
          case "location" -> o.location = n.get(name).path("displayName").asString("");
          case "start" -> o.start = time(n.get(name), e.zone);
          case "end" -> o.end = time(n.get(name), e.zone);
          default ->
              throw new Refused(
                  400,
                  "ErrorInvalidRequest",
                  "the simulator keeps subject, body, location, start and end per occurrence;"
                      + " set "
                      + name
                      + " on the series");
        }
      }
      if (o.end.isBefore(o.start)) {
        throw new Refused(400, "ErrorInvalidRequest", "The end is before the start.");
      }
      e.exceptions.put(occurrence, o);
      return;
    }
    if (n.has("start")) {
      ZoneId zone = zone(n.get("start").path("timeZone").asString("UTC"));
      e.zone = zone;
      e.start = time(n.get("start"), zone);
    }
    if (n.has("end")) {
      e.end = time(n.get("end"), e.zone);
    }
    if (n.has("subject")) e.subject = n.get("subject").asString("");
    if (n.has("body")) e.body = n.get("body").path("content").asString("");
    if (n.has("isAllDay")) e.allDay = n.get("isAllDay").asBoolean();
    if (n.has("location")) e.location = n.get("location").path("displayName").asString("");
    if (n.has("showAs")) e.showAs = n.get("showAs").asString("busy");
    if (n.has("sensitivity")) e.isPrivate = !"normal".equals(n.get("sensitivity").asString());
    if (n.has("isReminderOn") && !n.get("isReminderOn").asBoolean()) {
      e.reminderMinutes = null;
    }
    if (n.has("reminderMinutesBeforeStart")
        && (!n.has("isReminderOn") || n.get("isReminderOn").asBoolean())) {
      e.reminderMinutes = n.get("reminderMinutesBeforeStart").asInt();
    }
    if (n.has("attendees")) {
      List<SimEvent.SimAttendee> list = new ArrayList<>();
      for (JsonNode a : n.get("attendees")) {
        String email = a.path("emailAddress").path("address").asString("");
        if (email.isBlank()) {
          throw new Refused(400, "ErrorInvalidRecipients", "An attendee has no address.");
        }
        list.add(
            new SimEvent.SimAttendee(
                a.path("emailAddress").path("name").asString(email),
                email,
                a.path("type").asString("required"),
                "none"));
      }
      e.attendees = list;
    }
    if (n.has("recurrence")) {
      JsonNode r = n.get("recurrence");
      if (r.isNull()) {
        e.recurrence = null;
        e.exceptions.clear();
        e.deleted.clear();
      } else {
        e.recurrence = recurrence(r);
      }
    }
    if (e.allDay && e.start != null && e.end != null) {
      if (!e.start.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
          || !e.end.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
        throw new Refused(
            400,
            "ErrorInvalidRequest",
            "The start and end of an all-day event must be midnight (00:00:00).");
      }
    }
  }

  private static LocalDateTime time(JsonNode t, ZoneId eventZone) {
    String text = t.path("dateTime").asString("");
    ZoneId given = zone(t.path("timeZone").asString("UTC"));
    LocalDateTime local;
    try {
      local = LocalDateTime.parse(text.length() > 19 ? text.substring(0, 19) : text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Refused(400, "ErrorInvalidRequest", "Cannot read the dateTime '" + text + "'.");
    }
    return local.atZone(given).withZoneSameInstant(eventZone).toLocalDateTime();
  }

  private static ZoneId zone(String name) {
    ZoneId zone = Zones.fromWindows(name);
    if (zone != null) {
      return zone;
    }
    try {
      return ZoneId.of(name);
    } catch (RuntimeException e) {
      throw new Refused(
          400,
          "TimeZoneNotSupportedException",
          "A valid TimeZone value must be specified. The following TimeZone value is not supported: '"
              + name
              + "'.");
    }
  }

  /** Graph's patternedRecurrence, checked as Graph checks it. */
  private static SimEvent.SimRecurrence recurrence(JsonNode r) {
    JsonNode p = r.path("pattern");
    JsonNode range = r.path("range");
    String type = p.path("type").asString("");
    if (!SimEvent.SimRecurrence.TYPES.contains(type)) {
      throw new Refused(
          400, "ErrorInvalidRequest", "recurrence.pattern.type is not valid: " + type);
    }
    Set<java.time.DayOfWeek> days = EnumSet.noneOf(java.time.DayOfWeek.class);
    for (JsonNode d : p.path("daysOfWeek")) {
      try {
        days.add(java.time.DayOfWeek.valueOf(d.asString("").toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new Refused(400, "ErrorInvalidRequest", "not a day of the week: " + d);
      }
    }
    int index =
        switch (p.path("index").asString("first")) {
          case "first" -> 1;
          case "second" -> 2;
          case "third" -> 3;
          case "fourth" -> 4;
          case "last" -> -1;
          default -> throw new Refused(400, "ErrorInvalidRequest", "recurrence.pattern.index");
        };
    String rangeType = range.path("type").asString("noEnd");
    LocalDate endDate = null;
    Integer count = null;
    switch (rangeType) {
      case "endDate" -> endDate = LocalDate.parse(range.path("endDate").asString(""));
      case "numbered" -> count = range.path("numberOfOccurrences").asInt(0);
      case "noEnd" -> {}
      default -> throw new Refused(400, "ErrorInvalidRequest", "recurrence.range.type");
    }
    if (count != null && count < 1) {
      throw new Refused(400, "ErrorInvalidRequest", "recurrence.range.numberOfOccurrences");
    }
    if ((type.equals("weekly") || type.startsWith("relative")) && days.isEmpty()) {
      throw new Refused(400, "ErrorInvalidRequest", "recurrence.pattern.daysOfWeek is required");
    }
    return new SimEvent.SimRecurrence(
        type,
        Math.max(1, p.path("interval").asInt(1)),
        days,
        p.path("dayOfMonth").asInt(0),
        endDate,
        count,
        p.path("month").asInt(0),
        index,
        java.time.DayOfWeek.valueOf(
            p.path("firstDayOfWeek").asString("sunday").toUpperCase(Locale.ROOT)));
  }
}
