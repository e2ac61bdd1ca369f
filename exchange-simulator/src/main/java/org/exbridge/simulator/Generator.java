package org.exbridge.simulator;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic mailboxes for tests, the demo and benchmarks: {@code user1@exchange.test} … with
 * singles, all-day events, daily, weekly and monthly series with exceptions and deleted
 * occurrences, in several zones, spread around the generation date.
 */
final class Generator {
  static final List<String> GENERATED_ZONES =
      List.of(
          "UTC",
          "Europe/Berlin",
          "Europe/London",
          "America/New_York",
          "America/Los_Angeles",
          "Asia/Shanghai",
          "Asia/Kolkata",
          "Australia/Sydney");
  private static final String[] SUBJECTS = {
    "Weekly sync",
    "Design review",
    "1:1",
    "Customer call",
    "Planning",
    "Lunch",
    "Standup",
    "Retrospective",
    "Interview",
    "Budget review",
    "Offsite",
    "Training",
    "Release go/no-go",
    "Coffee chat"
  };
  private static final String[] PLACES = {
    "Room 101", "Room 2.14", "Teams", "Cafeteria", "", "Building B", "Online"
  };
  private static final String[] SHOW_AS = {
    "busy", "busy", "busy", "tentative", "free", "oof", "workingElsewhere"
  };
  private static final String[] RESPONSES = {
    "accepted", "declined", "tentativelyAccepted", "notResponded", "none"
  };
  private static final String[] TYPES = {"required", "required", "optional", "resource"};

  private Generator() {}

  static List<SimMailbox> generate(int mailboxes, int eventsPerMailbox, long seed, Clock clock) {
    List<SimMailbox> out = new ArrayList<>();
    LocalDate base = LocalDate.now(clock).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    for (int m = 1; m <= mailboxes; m++) {
      Random random = new Random(seed * 1_000_003L + m);
      SimMailbox mailbox = new SimMailbox("user" + m + "@exchange.test", "User " + m);
      SimMailbox.SimCalendar main =
          new SimMailbox.SimCalendar(mailbox.nextNumber(), "Calendar", "#1e88e5", true, true);
      SimMailbox.SimCalendar team =
          new SimMailbox.SimCalendar(mailbox.nextNumber(), "Team", "#43a047", false, false);
      mailbox.calendars.add(main);
      mailbox.calendars.add(team);
      for (int i = 0; i < eventsPerMailbox; i++) {
        SimEvent event = event(mailbox, random, base, i);
        mailbox.put(random.nextInt(5) == 0 ? team : main, event, clock);
      }
      out.add(mailbox);
    }
    return out;
  }

  private static SimEvent event(SimMailbox mailbox, Random random, LocalDate base, int i) {
    SimEvent e = new SimEvent(mailbox.nextNumber());
    // The generated mailboxes keep to eight everyday zones (their content stays the same for a
    // seed); the awkward ones are for scenarios that ask for them by name.
    List<String> zones = GENERATED_ZONES;
    e.zone = ZoneId.of(zones.get(random.nextInt(zones.size())));
    e.subject = SUBJECTS[random.nextInt(SUBJECTS.length)] + " #" + i;
    e.body =
        random.nextInt(3) == 0
            ? ""
            : "Agenda for " + e.subject + "\nBring notes & questions <please>.";
    e.location = PLACES[random.nextInt(PLACES.length)];
    e.showAs = SHOW_AS[random.nextInt(SHOW_AS.length)];
    e.isPrivate = random.nextInt(10) == 0;
    e.cancelled = random.nextInt(25) == 0;
    e.organizerName =
        random.nextBoolean() ? mailbox.displayName : "Colleague " + random.nextInt(50);
    e.organizerEmail =
        e.organizerName.equals(mailbox.displayName)
            ? mailbox.address
            : "colleague" + e.organizerName.substring(10) + "@exchange.test";
    int attendees = random.nextInt(4);
    for (int a = 0; a < attendees; a++) {
      int who = random.nextInt(200);
      e.attendees.add(
          new SimEvent.SimAttendee(
              "Person " + who,
              "person" + who + "@exchange.test",
              TYPES[random.nextInt(TYPES.length)],
              RESPONSES[random.nextInt(RESPONSES.length)]));
    }
    e.reminderMinutes =
        random.nextInt(4) == 0 ? null : new int[] {0, 5, 10, 15, 30, 60, 1440}[random.nextInt(7)];
    e.onlineMeetingUrl =
        random.nextInt(3) == 0 ? "https://meet.exchange.test/j/" + mailbox.nextNumber() : null;
    LocalDate day = base.plusDays(random.nextInt(540) - 180);
    int kind = random.nextInt(10);
    if (kind == 0) {
      e.allDay = true;
      e.start = day.atStartOfDay();
      e.end = day.plusDays(1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0)).atStartOfDay();
      e.reminderMinutes = e.reminderMinutes == null ? null : 1080;
      return e;
    }
    LocalTime time = LocalTime.of(7 + random.nextInt(11), random.nextInt(4) * 15);
    e.start = day.atTime(time);
    e.end = e.start.plusMinutes(30L * (1 + random.nextInt(4)));
    if (kind >= 8) {
      recurring(e, random, mailbox);
    }
    return e;
  }

  private static void recurring(SimEvent e, Random random, SimMailbox mailbox) {
    int pattern = random.nextInt(3);
    Integer count = random.nextBoolean() ? 5 + random.nextInt(30) : null;
    LocalDate endDate =
        count == null && random.nextInt(3) > 0
            ? e.startDate().plusDays(30 + random.nextInt(300))
            : null;
    switch (pattern) {
      case 0 ->
          e.recurrence =
              new SimEvent.SimRecurrence(
                  "daily", 1 + random.nextInt(3), Set.of(), 0, endDate, count);
      case 1 -> {
        Set<DayOfWeek> days = EnumSet.of(e.start.getDayOfWeek());
        if (random.nextBoolean()) {
          days.add(DayOfWeek.of(1 + random.nextInt(5)));
        }
        e.recurrence =
            new SimEvent.SimRecurrence("weekly", 1 + random.nextInt(2), days, 0, endDate, count);
      }
      default ->
          e.recurrence =
              new SimEvent.SimRecurrence(
                  "absoluteMonthly",
                  1,
                  Set.of(),
                  Math.min(28, e.start.getDayOfMonth()),
                  endDate,
                  count);
    }
    if (e.recurrence.type().equals("absoluteMonthly")) {
      e.start = e.start.withDayOfMonth(e.recurrence.dayOfMonth());
      e.end = e.start.plusMinutes(60);
    }
    List<LocalDateTime> starts = Occurrences.originalStarts(e, e.start.plusYears(3));
    if (starts.size() > 3) {
      LocalDateTime moved = starts.get(1 + random.nextInt(Math.min(10, starts.size() - 2)));
      SimEvent.SimOverride o = new SimEvent.SimOverride();
      o.start = moved.plusHours(1);
      o.end = o.start.plus(Occurrences.length(e));
      o.subject = e.subject + " (moved)";
      o.location = "Room 999";
      o.body = e.body;
      o.number = mailbox.nextNumber();
      e.exceptions.put(moved, o);
      // People delete occurrences near the start of a series, not years out.
      LocalDateTime gone = starts.get(1 + random.nextInt(Math.min(12, starts.size() - 2)));
      if (!gone.equals(moved)) {
        e.deleted.add(gone);
      }
    }
  }
}
