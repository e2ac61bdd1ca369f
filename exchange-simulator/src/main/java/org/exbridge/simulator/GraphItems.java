package org.exbridge.simulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes events in Microsoft Graph's v1.0 shape. */
final class GraphItems {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.0000000'");

  private GraphItems() {}

  /**
   * The zone times are written in (from {@code Prefer: outlook.timezone}), with the name Graph
   * echoes.
   */
  record OutputZone(ZoneId zone, String name) {
    static final OutputZone UTC = new OutputZone(ZoneId.of("UTC"), "UTC");
  }

  static ObjectNode dateTime(SimEvent e, LocalDateTime local, OutputZone out) {
    return dateTime(e, local, e.allDay ? null : e.instant(local), out);
  }

  /** A dateTimeTimeZone: the instant in the output zone, or for all-day events the local date. */
  static ObjectNode dateTime(SimEvent e, LocalDateTime local, Instant at, OutputZone out) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    if (e.allDay) {
      n.put("dateTime", LOCAL.format(local.toLocalDate().atStartOfDay()));
    } else {
      n.put("dateTime", LOCAL.format(LocalDateTime.ofInstant(at, out.zone())));
    }
    n.put("timeZone", out.name());
    return n;
  }

  static ObjectNode stub(SimMailbox mailbox, SimEvent e, Occurrences.Occurrence o, OutputZone out) {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("@odata.type", "#microsoft.graph.event");
    n.put("@odata.etag", "W/\"" + EwsItems.changeKey(e.version) + "\"");
    n.put("id", Ids.graphOccurrence(mailbox.address, e.number, o.originalStart().toString()));
    n.put("seriesMasterId", Ids.graph(Ids.Kind.ITEM, mailbox.address, e.number));
    n.put("type", "occurrence");
    n.set("start", dateTime(e, o.start(), out));
    n.set("end", dateTime(e, o.end(), o.endAt(), out));
    return n;
  }

  /** A single or master ({@code o} null), or one occurrence or exception in full. */
  static ObjectNode full(SimMailbox mailbox, SimEvent e, Occurrences.Occurrence o, OutputZone out) {
    SimEvent.SimOverride x = o == null ? null : o.override();
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("@odata.etag", "W/\"" + EwsItems.changeKey(e.version) + "\"");
    if (o == null) {
      n.put("id", Ids.graph(Ids.Kind.ITEM, mailbox.address, e.number));
    } else {
      n.put("id", Ids.graphOccurrence(mailbox.address, e.number, o.originalStart().toString()));
    }
    Instant modified = e.lastModified == null ? Instant.EPOCH : e.lastModified;
    n.put("createdDateTime", modified.minusSeconds(3600).toString());
    n.put("lastModifiedDateTime", modified.toString());
    n.put("changeKey", EwsItems.changeKey(e.version));
    n.put("originalStartTimeZone", Zones.graphName(e.zone));
    n.put("originalEndTimeZone", Zones.graphName(e.zone));
    n.put("iCalUId", EwsItems.uid(mailbox, e));
    n.put("reminderMinutesBeforeStart", e.reminderMinutes == null ? 15 : e.reminderMinutes);
    n.put("isReminderOn", e.reminderMinutes != null);
    n.put("subject", x != null && x.subject != null ? x.subject : e.subject);
    String body = x != null && x.body != null ? x.body : e.body;
    n.put("bodyPreview", body.length() > 255 ? body.substring(0, 255) : body);
    n.put("importance", "normal");
    n.put("sensitivity", e.isPrivate ? "private" : "normal");
    n.put("isAllDay", e.allDay);
    n.put("isCancelled", e.cancelled);
    n.put("isOrganizer", e.organizerEmail.equalsIgnoreCase(mailbox.address));
    n.put("showAs", e.showAs);
    n.put(
        "type",
        o == null
            ? (e.recurring() ? "seriesMaster" : "singleInstance")
            : (x != null ? "exception" : "occurrence"));
    if (o != null) {
      n.put("seriesMasterId", Ids.graph(Ids.Kind.ITEM, mailbox.address, e.number));
      n.put("originalStart", e.instant(o.originalStart()).toString());
    }
    n.put("isOnlineMeeting", e.onlineMeetingUrl != null);
    if (e.onlineMeetingUrl != null) {
      n.putObject("onlineMeeting").put("joinUrl", e.onlineMeetingUrl);
    } else {
      n.putNull("onlineMeeting");
    }
    ObjectNode bodyNode = n.putObject("body");
    bodyNode.put("contentType", "text");
    bodyNode.put("content", body);
    LocalDateTime start = o == null ? e.start : o.start();
    LocalDateTime end = o == null ? e.end : o.end();
    n.set("start", dateTime(e, start, out));
    n.set("end", dateTime(e, end, o == null ? e.instant(e.end) : o.endAt(), out));
    ObjectNode location = n.putObject("location");
    location.put("displayName", x != null && x.location != null ? x.location : e.location);
    location.put("locationType", "default");
    if (e.recurring() && o == null) {
      n.set("recurrence", recurrence(e));
    } else {
      n.putNull("recurrence");
    }
    ArrayNode attendees = n.putArray("attendees");
    for (SimEvent.SimAttendee a : e.attendees) {
      ObjectNode an = attendees.addObject();
      an.put("type", a.type());
      ObjectNode status = an.putObject("status");
      status.put("response", a.response());
      status.put("time", "0001-01-01T00:00:00Z");
      ObjectNode email = an.putObject("emailAddress");
      email.put("name", a.name());
      email.put("address", a.email());
    }
    ObjectNode organizer = n.putObject("organizer").putObject("emailAddress");
    organizer.put("name", e.organizerName);
    organizer.put("address", e.organizerEmail);
    return n;
  }

  private static final String[] INDEX = {"last", "", "first", "second", "third", "fourth"};

  /** Graph's patternedRecurrence: the unused members keep the defaults Graph itself returns. */
  private static ObjectNode recurrence(SimEvent e) {
    SimEvent.SimRecurrence r = e.recurrence;
    ObjectNode rec = SimJson.JSON.createObjectNode();
    ObjectNode p = rec.putObject("pattern");
    p.put("type", r.type());
    p.put("interval", r.interval());
    p.put("month", r.month());
    p.put("dayOfMonth", r.dayOfMonth());
    ArrayNode days = p.putArray("daysOfWeek");
    r.daysOfWeek().stream().sorted().forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
    p.put("firstDayOfWeek", r.firstDayOfWeek().name().toLowerCase(Locale.ROOT));
    p.put("index", INDEX[r.index() + 1]);
    ObjectNode range = rec.putObject("range");
    range.put("type", r.count() != null ? "numbered" : r.endDate() != null ? "endDate" : "noEnd");
    range.put("startDate", e.start.toLocalDate().toString());
    range.put("endDate", r.endDate() != null ? r.endDate().toString() : "0001-01-01");
    range.put("recurrenceTimeZone", Zones.graphName(e.zone));
    range.put("numberOfOccurrences", r.count() != null ? r.count() : 0);
    return rec;
  }
}
