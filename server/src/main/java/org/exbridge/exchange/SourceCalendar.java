package org.exbridge.exchange;

/** A calendar folder of a mailbox. */
public record SourceCalendar(
    String id, String name, String color, boolean isDefault, boolean writable) {}
