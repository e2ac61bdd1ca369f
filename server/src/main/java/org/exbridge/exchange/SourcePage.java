package org.exbridge.exchange;

import java.util.List;

/**
 * One page of a read: events created or changed, ids deleted (incremental reads only), and the
 * cursor to pass back for the next page, or, once {@code more} is false, for the next round; and
 * the items of the page that could not be read; and the ids of items the page holds that the store
 * already has as they are (not fetched again, only seen).
 */
public record SourcePage(
    List<SourceEvent> events,
    List<String> deletedIds,
    String cursor,
    boolean more,
    List<SourceProblem> problems,
    List<String> unchangedIds) {

  public SourcePage(
      List<SourceEvent> events, List<String> deletedIds, String cursor, boolean more) {
    this(events, deletedIds, cursor, more, List.of(), List.of());
  }

  public SourcePage(
      List<SourceEvent> events,
      List<String> deletedIds,
      String cursor,
      boolean more,
      List<SourceProblem> problems) {
    this(events, deletedIds, cursor, more, problems, List.of());
  }
}
