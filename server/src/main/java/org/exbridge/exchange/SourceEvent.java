package org.exbridge.exchange;

import java.time.Instant;
import java.util.List;

/**
 * One event as Exchange holds it, free of protocol shapes: a single, a recurring master (with its
 * exceptions and deleted occurrences inside), or, inside a master, an exception. {@code warnings}
 * say what of it could not be read as Exchange meant it (an unknown time zone shown in UTC).
 */
public record SourceEvent(
    String id,
    String changeKey,
    Kind kind,
    String subject,
    String body,
    String location,
    EventTime start,
    EventTime end,
    ShowAs showAs,
    boolean isPrivate,
    boolean cancelled,
    Person organizer,
    List<Attendee> attendees,
    Integer reminderMinutes,
    String onlineMeetingUrl,
    SourceRecurrence recurrence,
    EventTime originalStart,
    List<SourceEvent> exceptions,
    List<EventTime> deletedOccurrences,
    Instant lastModified,
    List<String> warnings) {

  public enum Kind {
    SINGLE,
    MASTER,
    EXCEPTION
  }

  public enum ShowAs {
    FREE,
    TENTATIVE,
    BUSY,
    OUT_OF_OFFICE,
    WORKING_ELSEWHERE,
    UNKNOWN
  }

  public record Person(String name, String email) {}

  public record Attendee(String name, String email, Response response, Type type) {
    public enum Response {
      NONE,
      ORGANIZER,
      ACCEPTED,
      TENTATIVE,
      DECLINED,
      NOT_RESPONDED
    }

    public enum Type {
      REQUIRED,
      OPTIONAL,
      RESOURCE
    }
  }

  public SourceEvent withExceptions(List<SourceEvent> exceptions, List<EventTime> deleted) {
    return copy(changeKey, exceptions, deleted);
  }

  /**
   * This master with only part of its exceptions and deleted occurrences (those of a window): no
   * change key, so that the store replaces it when the whole series is read.
   */
  public SourceEvent partial(List<SourceEvent> exceptions, List<EventTime> deleted) {
    return copy(null, exceptions, deleted);
  }

  private SourceEvent copy(
      String changeKey, List<SourceEvent> exceptions, List<EventTime> deleted) {
    return new SourceEvent(
        id,
        changeKey,
        kind,
        subject,
        body,
        location,
        start,
        end,
        showAs,
        isPrivate,
        cancelled,
        organizer,
        attendees,
        reminderMinutes,
        onlineMeetingUrl,
        recurrence,
        originalStart,
        List.copyOf(exceptions),
        List.copyOf(deleted),
        lastModified,
        warnings);
  }
}
