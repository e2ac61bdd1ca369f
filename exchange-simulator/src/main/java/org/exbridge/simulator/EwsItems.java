package org.exbridge.simulator;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes calendar items as EWS {@code t:CalendarItem} elements, in schema order. */
final class EwsItems {
  private EwsItems() {}

  static String utc(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  static String uid(SimMailbox mailbox, SimEvent e) {
    return "040000008200E00074C5B7101A82E008"
        + HexFormat.of()
            .withUpperCase()
            .formatHex((mailbox.address + "/" + e.number).getBytes(StandardCharsets.UTF_8));
  }

  static String changeKey(long version) {
    return "DwAAABYAAA" + Long.toString(version, 36);
  }

  static String legacyFreeBusy(String showAs) {
    return switch (showAs) {
      case "free" -> "Free";
      case "tentative" -> "Tentative";
      case "oof" -> "OOF";
      case "workingElsewhere" -> "WorkingElsewhere";
      case "unknown" -> "NoData";
      default -> "Busy";
    };
  }

  static String responseType(String response) {
    return switch (response) {
      case "accepted" -> "Accept";
      case "declined" -> "Decline";
      case "tentativelyAccepted" -> "Tentative";
      case "notResponded" -> "NoResponseReceived";
      case "organizer" -> "Organizer";
      default -> "Unknown";
    };
  }

  /**
   * What to write: a whole series or single, or one occurrence of a series (maybe an exception).
   */
  record Target(
      SimMailbox mailbox,
      SimMailbox.SimCalendar calendar,
      SimEvent event,
      LocalDateTime originalStart) {
    boolean occurrence() {
      return originalStart != null;
    }

    SimEvent.SimOverride override() {
      return originalStart == null ? null : event.exceptions.get(originalStart);
    }

    String ewsId() {
      return occurrence()
          ? Ids.ewsOccurrence(mailbox.address, event.number, originalStart.toString())
          : Ids.ews(Ids.Kind.ITEM, mailbox.address, event.number);
    }

    LocalDateTime start() {
      SimEvent.SimOverride o = override();
      return o != null ? o.start : occurrence() ? originalStart : event.start;
    }

    LocalDateTime end() {
      SimEvent.SimOverride o = override();
      return o != null
          ? o.end
          : occurrence() ? originalStart.plus(Occurrences.length(event)) : event.end;
    }

    Instant startAt() {
      return event.instant(start());
    }

    /** The instant it ends: an unmodified occurrence lasts its series' duration, DST or not. */
    Instant endAt() {
      SimEvent.SimOverride o = override();
      if (o == null && occurrence()) {
        return Occurrences.endAt(event, originalStart);
      }
      return event.instant(end());
    }

    String type() {
      if (occurrence()) {
        return override() != null ? "Exception" : "Occurrence";
      }
      return event.recurring() ? "RecurringMaster" : "Single";
    }
  }

  /** A full item, as GetItem returns it. */
  static void full(Xml x, Target t) {
    SimEvent e = t.event();
    SimEvent.SimOverride o = t.override();
    x.open("t:CalendarItem");
    x.empty("t:ItemId", "Id", t.ewsId(), "ChangeKey", changeKey(e.version));
    x.empty(
        "t:ParentFolderId",
        "Id",
        Ids.ews(Ids.Kind.FOLDER, t.mailbox().address, t.calendar().number),
        "ChangeKey",
        "AQAAAA==");
    x.text("t:ItemClass", "IPM.Appointment");
    x.text("t:Subject", o != null && o.subject != null ? o.subject : e.subject);
    x.text("t:Sensitivity", e.isPrivate ? "Private" : "Normal");
    x.open("t:Body", "BodyType", "Text", "IsTruncated", "false")
        .raw(Xml.escape(o != null && o.body != null ? o.body : e.body))
        .close("t:Body");
    x.text(
        "t:DateTimeCreated",
        utc(e.lastModified == null ? Instant.EPOCH : e.lastModified.minusSeconds(3600)));
    x.text("t:ReminderIsSet", e.reminderMinutes != null);
    x.text("t:ReminderMinutesBeforeStart", e.reminderMinutes == null ? 15 : e.reminderMinutes);
    x.text("t:LastModifiedTime", utc(e.lastModified == null ? Instant.EPOCH : e.lastModified));
    x.text("t:UID", uid(t.mailbox(), e));
    x.text("t:Start", utc(t.startAt()));
    x.text("t:End", utc(t.endAt()));
    if (t.occurrence()) {
      x.text("t:OriginalStart", utc(e.instant(t.originalStart())));
    }
    x.text("t:IsAllDayEvent", e.allDay);
    x.text("t:LegacyFreeBusyStatus", legacyFreeBusy(e.showAs));
    x.text("t:Location", o != null && o.location != null ? o.location : e.location);
    x.text("t:IsMeeting", !e.attendees.isEmpty());
    x.text("t:IsCancelled", e.cancelled);
    x.text("t:IsRecurring", e.recurring() && t.occurrence());
    x.text("t:CalendarItemType", t.type());
    x.open("t:Organizer")
        .open("t:Mailbox")
        .text("t:Name", e.organizerName)
        .text("t:EmailAddress", e.organizerEmail)
        .text("t:RoutingType", "SMTP")
        .close("t:Mailbox")
        .close("t:Organizer");
    attendees(x, "t:RequiredAttendees", e.attendees, "required");
    attendees(x, "t:OptionalAttendees", e.attendees, "optional");
    attendees(x, "t:Resources", e.attendees, "resource");
    if (e.recurring() && !t.occurrence()) {
      recurrence(x, e);
      // Like Exchange, a series without an end has a first occurrence but no last one.
      boolean bounded = e.recurrence.count() != null || e.recurrence.endDate() != null;
      List<Occurrences.Occurrence> live =
          Occurrences.live(e, bounded ? e.start.plusYears(100) : e.start.plusYears(2));
      if (!live.isEmpty()) {
        occurrence(x, "t:FirstOccurrence", t, live.get(0));
        if (bounded) {
          occurrence(x, "t:LastOccurrence", t, live.get(live.size() - 1));
        }
      }
      if (!e.exceptions.isEmpty()) {
        x.open("t:ModifiedOccurrences");
        for (Map.Entry<LocalDateTime, SimEvent.SimOverride> m : e.exceptions.entrySet()) {
          occurrence(
              x,
              "t:Occurrence",
              t,
              new Occurrences.Occurrence(
                  m.getKey(),
                  m.getValue().start,
                  m.getValue().end,
                  m.getValue(),
                  e.instant(m.getValue().start),
                  e.instant(m.getValue().end)));
        }
        x.close("t:ModifiedOccurrences");
      }
      if (!e.deleted.isEmpty()) {
        x.open("t:DeletedOccurrences");
        for (LocalDateTime d : e.deleted) {
          x.open("t:DeletedOccurrence")
              .text("t:Start", utc(e.instant(d)))
              .close("t:DeletedOccurrence");
        }
        x.close("t:DeletedOccurrences");
      }
    }
    Zones.writeDefinition(x, "t:StartTimeZone", e.zone);
    Zones.writeDefinition(x, "t:EndTimeZone", e.zone);
    x.text("t:IsOnlineMeeting", e.onlineMeetingUrl != null);
    x.text("t:JoinOnlineMeetingUrl", e.onlineMeetingUrl);
    x.close("t:CalendarItem");
  }

  private static void occurrence(Xml x, String element, Target t, Occurrences.Occurrence o) {
    SimEvent e = t.event();
    x.open(element);
    x.empty(
        "t:ItemId",
        "Id",
        Ids.ewsOccurrence(t.mailbox().address, e.number, o.originalStart().toString()),
        "ChangeKey",
        changeKey(e.version));
    x.text("t:Start", utc(o.startAt()));
    x.text("t:End", utc(o.endAt()));
    x.text("t:OriginalStart", utc(e.instant(o.originalStart())));
    x.close(element);
  }

  private static void attendees(
      Xml x, String element, List<SimEvent.SimAttendee> all, String type) {
    List<SimEvent.SimAttendee> some = all.stream().filter(a -> a.type().equals(type)).toList();
    if (some.isEmpty()) {
      return;
    }
    x.open(element);
    for (SimEvent.SimAttendee a : some) {
      x.open("t:Attendee")
          .open("t:Mailbox")
          .text("t:Name", a.name())
          .text("t:EmailAddress", a.email())
          .text("t:RoutingType", "SMTP")
          .close("t:Mailbox")
          .text("t:ResponseType", responseType(a.response()))
          .close("t:Attendee");
    }
    x.close(element);
  }

  private static void recurrence(Xml x, SimEvent e) {
    SimEvent.SimRecurrence r = e.recurrence;
    x.open("t:Recurrence");
    switch (r.type()) {
      case "daily" ->
          x.open("t:DailyRecurrence").text("t:Interval", r.interval()).close("t:DailyRecurrence");
      case "weekly" ->
          x.open("t:WeeklyRecurrence")
              .text("t:Interval", r.interval())
              .text(
                  "t:DaysOfWeek",
                  String.join(
                      " ", r.daysOfWeek().stream().sorted().map(EwsItems::dayName).toList()))
              .text("t:FirstDayOfWeek", dayName(r.firstDayOfWeek()))
              .close("t:WeeklyRecurrence");
      case "absoluteMonthly" ->
          x.open("t:AbsoluteMonthlyRecurrence")
              .text("t:Interval", r.interval())
              .text("t:DayOfMonth", r.dayOfMonth())
              .close("t:AbsoluteMonthlyRecurrence");
      case "relativeMonthly" ->
          x.open("t:RelativeMonthlyRecurrence")
              .text("t:Interval", r.interval())
              .text("t:DaysOfWeek", ewsDays(r.daysOfWeek()))
              .text("t:DayOfWeekIndex", ewsIndex(r.index()))
              .close("t:RelativeMonthlyRecurrence");
      case "absoluteYearly" ->
          x.open("t:AbsoluteYearlyRecurrence")
              .text("t:DayOfMonth", r.dayOfMonth())
              .text("t:Month", monthName(r.month()))
              .close("t:AbsoluteYearlyRecurrence");
      case "relativeYearly" ->
          x.open("t:RelativeYearlyRecurrence")
              .text("t:DaysOfWeek", ewsDays(r.daysOfWeek()))
              .text("t:DayOfWeekIndex", ewsIndex(r.index()))
              .text("t:Month", monthName(r.month()))
              .close("t:RelativeYearlyRecurrence");
      default -> throw new IllegalStateException("unsupported recurrence " + r.type());
    }
    ZoneOffset offset = e.zone.getRules().getOffset(e.start);
    String startDate =
        e.start.toLocalDate() + (offset.getTotalSeconds() == 0 ? "Z" : offset.getId());
    if (r.count() != null) {
      x.open("t:NumberedRecurrence")
          .text("t:StartDate", startDate)
          .text("t:NumberOfOccurrences", r.count())
          .close("t:NumberedRecurrence");
    } else if (r.endDate() != null) {
      String endDate = r.endDate() + (offset.getTotalSeconds() == 0 ? "Z" : offset.getId());
      x.open("t:EndDateRecurrence")
          .text("t:StartDate", startDate)
          .text("t:EndDate", endDate)
          .close("t:EndDateRecurrence");
    } else {
      x.open("t:NoEndRecurrence").text("t:StartDate", startDate).close("t:NoEndRecurrence");
    }
    x.close("t:Recurrence");
  }

  /**
   * A relative pattern's one DayOfWeekType: a day, or Exchange's pseudo-days for every day, the
   * weekdays, the weekend days.
   */
  static String ewsDays(java.util.Set<DayOfWeek> days) {
    if (days.size() == 7) {
      return "Day";
    }
    if (days.equals(java.util.EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY))) {
      return "Weekday";
    }
    if (days.equals(java.util.EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY))) {
      return "WeekendDay";
    }
    return dayName(days.iterator().next());
  }

  static String ewsIndex(int index) {
    return switch (index) {
      case 1 -> "First";
      case 2 -> "Second";
      case 3 -> "Third";
      case 4 -> "Fourth";
      default -> "Last";
    };
  }

  static String monthName(int month) {
    return java.time.Month.of(month)
        .getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
  }

  static String dayName(DayOfWeek d) {
    String n = d.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
