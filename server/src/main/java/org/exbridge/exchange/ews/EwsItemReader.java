package org.exbridge.exchange.ews;

import static org.exbridge.exchange.ews.XmlNode.T;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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

/** Reads a {@code t:CalendarItem} into a {@link SourceEvent}. */
final class EwsItemReader {
  private EwsItemReader() {}

  static SourceEvent read(XmlNode item) {
    XmlNode itemId = item.child(T, "ItemId");
    String type = item.childText(T, "CalendarItemType");
    SourceEvent.Kind kind =
        type == null || type.equals("Single")
            ? SourceEvent.Kind.SINGLE
            : type.equals("RecurringMaster") ? SourceEvent.Kind.MASTER : SourceEvent.Kind.EXCEPTION;
    ZoneId zone = zone(item);
    List<String> warnings = new ArrayList<>();
    String unknownZone = unknownZone(item);
    if (unknownZone != null) {
      warnings.add(ZoneWarning.of(unknownZone));
    }
    boolean allDay = "true".equals(item.childText(T, "IsAllDayEvent"));
    EventTime start = time(item.childText(T, "Start"), zone, allDay);
    EventTime end = time(item.childText(T, "End"), zone, allDay);
    String sensitivity = item.childText(T, "Sensitivity");
    boolean reminder = "true".equals(item.childText(T, "ReminderIsSet"));
    String minutes = item.childText(T, "ReminderMinutesBeforeStart");
    List<EventTime> deleted = new ArrayList<>();
    XmlNode deletedNode = item.child(T, "DeletedOccurrences");
    if (deletedNode != null) {
      for (XmlNode d : deletedNode.all(T, "DeletedOccurrence")) {
        deleted.add(time(d.childText(T, "Start"), zone, allDay));
      }
    }
    String original = item.childText(T, "OriginalStart");
    String lastModified = item.childText(T, "LastModifiedTime");
    return new SourceEvent(
        itemId.attr("Id"),
        itemId.attr("ChangeKey"),
        kind,
        nz(item.childText(T, "Subject")),
        body(item),
        nz(item.childText(T, "Location")),
        start,
        end,
        showAs(item.childText(T, "LegacyFreeBusyStatus")),
        "Private".equals(sensitivity) || "Confidential".equals(sensitivity),
        "true".equals(item.childText(T, "IsCancelled")),
        organizer(item),
        attendees(item),
        reminder && minutes != null ? Integer.valueOf(minutes) : null,
        blankToNull(item.childText(T, "JoinOnlineMeetingUrl")),
        kind == SourceEvent.Kind.MASTER
            ? recurrence(item.child(T, "Recurrence"), zone, allDay)
            : null,
        kind == SourceEvent.Kind.EXCEPTION && original != null
            ? time(original, zone, allDay)
            : null,
        List.of(),
        List.copyOf(deleted),
        lastModified == null ? null : instant(lastModified),
        List.copyOf(warnings));
  }

  /** Ids of a master's modified occurrences, whose own fields need a GetItem of their own. */
  static List<String> modifiedOccurrenceIds(XmlNode item) {
    List<String> ids = new ArrayList<>();
    XmlNode modified = item.child(T, "ModifiedOccurrences");
    if (modified != null) {
      for (XmlNode o : modified.all(T, "Occurrence")) {
        XmlNode id = o.child(T, "ItemId");
        if (id != null && id.attr("Id") != null) {
          ids.add(id.attr("Id"));
        }
      }
    }
    return ids;
  }

  /** A zone from the item's own definition; a malformed one is no zone. */
  private static java.util.Optional<ZoneId> definition(XmlNode tz) {
    try {
      return EwsZoneDefinition.zone(tz);
    } catch (RuntimeException malformed) {
      return java.util.Optional.empty();
    }
  }

  /** The zone name the item gave when none of it is known, else null. */
  static String unknownZone(XmlNode item) {
    XmlNode tz = item.child(T, "StartTimeZone");
    String id = tz == null ? null : tz.attr("Id");
    String legacy = item.childText(T, "TimeZone");
    if (id == null && legacy == null) {
      return null;
    }
    boolean known =
        (id != null && (WindowsZones.zone(id).isPresent() || definition(tz).isPresent()))
            || (legacy != null
                && (WindowsZones.zone(legacy).isPresent()
                    || WindowsZones.legacy(legacy).isPresent()));
    return known ? null : id != null ? id : legacy;
  }

  static ZoneId zone(XmlNode item) {
    XmlNode tz = item.child(T, "StartTimeZone");
    if (tz != null) {
      var zone = WindowsZones.zone(tz.attr("Id")).or(() -> definition(tz));
      if (zone.isPresent()) {
        return zone.get();
      }
    }
    // Exchange 2007: a Windows zone name, or a display string with its offset.
    String legacy = item.childText(T, "TimeZone");
    return WindowsZones.zone(legacy).or(() -> WindowsZones.legacy(legacy)).orElse(WindowsZones.UTC);
  }

  static Instant instant(String text) {
    return OffsetDateTime.parse(text.trim()).toInstant();
  }

  private static EventTime time(String text, ZoneId zone, boolean allDay) {
    if (text == null) {
      return null;
    }
    Instant instant = instant(text);
    return allDay
        ? EventTime.onDate(LocalDate.ofInstant(instant, zone))
        : EventTime.at(instant, zone);
  }

  private static String body(XmlNode item) {
    XmlNode body = item.child(T, "Body");
    if (body == null) {
      return "";
    }
    String text = body.text();
    if ("HTML".equalsIgnoreCase(body.attr("BodyType"))) {
      text = text.replaceAll("(?s)<[^>]*>", " ").replaceAll("[ \\t]+", " ").trim();
    }
    return text;
  }

  private static SourceEvent.ShowAs showAs(String value) {
    if (value == null) {
      return SourceEvent.ShowAs.BUSY;
    }
    return switch (value) {
      case "Free" -> SourceEvent.ShowAs.FREE;
      case "Tentative" -> SourceEvent.ShowAs.TENTATIVE;
      case "OOF" -> SourceEvent.ShowAs.OUT_OF_OFFICE;
      case "WorkingElsewhere" -> SourceEvent.ShowAs.WORKING_ELSEWHERE;
      case "NoData" -> SourceEvent.ShowAs.UNKNOWN;
      default -> SourceEvent.ShowAs.BUSY;
    };
  }

  private static SourceEvent.Person organizer(XmlNode item) {
    XmlNode organizer = item.child(T, "Organizer");
    XmlNode mailbox = organizer == null ? null : organizer.child(T, "Mailbox");
    return mailbox == null
        ? null
        : new SourceEvent.Person(
            nz(mailbox.childText(T, "Name")), nz(mailbox.childText(T, "EmailAddress")));
  }

  private static List<Attendee> attendees(XmlNode item) {
    List<Attendee> out = new ArrayList<>();
    addAttendees(out, item.child(T, "RequiredAttendees"), Attendee.Type.REQUIRED);
    addAttendees(out, item.child(T, "OptionalAttendees"), Attendee.Type.OPTIONAL);
    addAttendees(out, item.child(T, "Resources"), Attendee.Type.RESOURCE);
    return List.copyOf(out);
  }

  private static void addAttendees(List<Attendee> out, XmlNode list, Attendee.Type type) {
    if (list == null) {
      return;
    }
    for (XmlNode a : list.all(T, "Attendee")) {
      XmlNode mailbox = a.child(T, "Mailbox");
      out.add(
          new Attendee(
              nz(mailbox == null ? null : mailbox.childText(T, "Name")),
              nz(mailbox == null ? null : mailbox.childText(T, "EmailAddress")),
              response(a.childText(T, "ResponseType")),
              type));
    }
  }

  private static Attendee.Response response(String value) {
    if (value == null) {
      return Attendee.Response.NONE;
    }
    return switch (value) {
      case "Organizer" -> Attendee.Response.ORGANIZER;
      case "Accept" -> Attendee.Response.ACCEPTED;
      case "Tentative" -> Attendee.Response.TENTATIVE;
      case "Decline" -> Attendee.Response.DECLINED;
      case "NoResponseReceived" -> Attendee.Response.NOT_RESPONDED;
      default -> Attendee.Response.NONE;
    };
  }

  /** The pattern and range of a {@code t:Recurrence}, as an RRULE in the event's zone. */
  static SourceRecurrence recurrence(XmlNode recurrence, ZoneId zone, boolean allDay) {
    if (recurrence == null) {
      return null;
    }
    RecurrencePattern.Type type = null;
    int interval = 1;
    List<DayOfWeek> days = List.of();
    int dayOfMonth = 0;
    int month = 0;
    int index = 0;
    DayOfWeek weekStart = DayOfWeek.SUNDAY;
    RecurrencePattern.Range range = RecurrencePattern.Range.NO_END;
    LocalDate endDate = null;
    int count = 0;
    for (XmlNode part : recurrence.children) {
      String interval0 = part.childText(T, "Interval");
      switch (part.name) {
        case "DailyRecurrence" -> type = RecurrencePattern.Type.DAILY;
        case "WeeklyRecurrence" -> type = RecurrencePattern.Type.WEEKLY;
        case "AbsoluteMonthlyRecurrence" -> type = RecurrencePattern.Type.ABSOLUTE_MONTHLY;
        case "RelativeMonthlyRecurrence" -> type = RecurrencePattern.Type.RELATIVE_MONTHLY;
        case "AbsoluteYearlyRecurrence" -> type = RecurrencePattern.Type.ABSOLUTE_YEARLY;
        case "RelativeYearlyRecurrence" -> type = RecurrencePattern.Type.RELATIVE_YEARLY;
        case "NoEndRecurrence" -> range = RecurrencePattern.Range.NO_END;
        case "EndDateRecurrence" -> {
          range = RecurrencePattern.Range.END_DATE;
          endDate = date(part.childText(T, "EndDate"));
        }
        case "NumberedRecurrence" -> {
          range = RecurrencePattern.Range.NUMBERED;
          count = Integer.parseInt(part.childText(T, "NumberOfOccurrences"));
        }
        default -> {}
      }
      if (part.name.endsWith("Recurrence")
          && !part.name.equals("NoEndRecurrence")
          && !part.name.equals("EndDateRecurrence")
          && !part.name.equals("NumberedRecurrence")) {
        if (interval0 != null) {
          interval = Integer.parseInt(interval0);
        }
        String daysText = part.childText(T, "DaysOfWeek");
        if (daysText != null) {
          List<DayOfWeek> list = new ArrayList<>();
          for (String d : daysText.trim().split("\\s+")) {
            list.addAll(RecurrencePattern.days(d));
          }
          days = list;
        }
        String dom = part.childText(T, "DayOfMonth");
        dayOfMonth = dom == null ? 0 : Integer.parseInt(dom);
        String m = part.childText(T, "Month");
        month = m == null ? 0 : java.time.Month.valueOf(m.toUpperCase(Locale.ROOT)).getValue();
        String idx = part.childText(T, "DayOfWeekIndex");
        index = idx == null ? 0 : RecurrencePattern.index(idx);
        String firstDay = part.childText(T, "FirstDayOfWeek");
        if (firstDay != null) {
          weekStart = DayOfWeek.valueOf(firstDay.toUpperCase(Locale.ROOT));
        }
      }
    }
    if (type == null) {
      return null;
    }
    RecurrencePattern pattern =
        new RecurrencePattern(
            type, interval, days, dayOfMonth, month, index, range, endDate, count, weekStart);
    return new SourceRecurrence(pattern.rrule(allDay, zone), zone);
  }

  /** An xs:date, possibly with an offset ({@code 2014-03-08-08:00}, {@code 2014-03-08Z}). */
  static LocalDate date(String text) {
    return LocalDate.parse(text.trim().substring(0, 10));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
