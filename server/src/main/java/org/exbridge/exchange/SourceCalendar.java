package org.exbridge.exchange;

/**
 * A calendar folder of a mailbox; {@code itemCount} is how many items Exchange says it holds (EWS
 * TotalCount: singles and series masters), null when the protocol does not say.
 */
public record SourceCalendar(
    String id, String name, String color, boolean isDefault, boolean writable, Integer itemCount) {
  public SourceCalendar(String id, String name, String color, boolean isDefault, boolean writable) {
    this(id, name, color, isDefault, writable, null);
  }
}
