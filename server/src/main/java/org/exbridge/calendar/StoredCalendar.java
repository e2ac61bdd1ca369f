package org.exbridge.calendar;

/** A calendar copied from a bound mailbox, with where each of its reads has got to. */
public record StoredCalendar(
    long id,
    String calendarId,
    long bindingId,
    String exchangeId,
    String summary,
    String color,
    boolean isDefault,
    boolean writable,
    String windowCursor,
    boolean windowDone,
    String fullCursor,
    boolean fullDone) {}
