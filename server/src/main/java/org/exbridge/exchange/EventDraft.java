package org.exbridge.exchange;

import java.time.ZoneId;
import java.util.List;

/**
 * An event as exbridge writes it to Exchange, free of protocol shapes: the whole of a single or a
 * series, or of one occurrence. Timed events have instants and are written in {@code zone}; all-day
 * events have dates, and are written as whole days in {@code zone}.
 */
public record EventDraft(
    String subject,
    String body,
    String location,
    EventTime start,
    EventTime end,
    ZoneId zone,
    boolean free,
    boolean isPrivate,
    Integer reminderMinutes,
    RecurrencePattern recurrence,
    List<SourceEvent.Attendee> attendees) {

  /** The fields a write may change; an update sends only those it names. */
  public enum Field {
    SUMMARY,
    DESCRIPTION,
    LOCATION,
    TIME,
    FREE_BUSY,
    VISIBILITY,
    REMINDER,
    RECURRENCE,
    ATTENDEES
  }

  public boolean allDay() {
    return start.allDay();
  }
}
