package org.exbridge.exchange.ews;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.StringJoiner;

/**
 * The windows still to read in a CalendarView walk, as text: {@code from/to,from/to,...} in epoch
 * seconds.
 */
final class ViewCursor {
  private ViewCursor() {}

  static String encode(Deque<Instant[]> ranges) {
    StringJoiner out = new StringJoiner(",");
    for (Instant[] r : ranges) {
      out.add(r[0].getEpochSecond() + "/" + r[1].getEpochSecond());
    }
    return out.toString();
  }

  static Deque<Instant[]> decode(String cursor) {
    Deque<Instant[]> ranges = new ArrayDeque<>();
    for (String part : cursor.split(",")) {
      String[] ends = part.split("/");
      ranges.add(
          new Instant[] {
            Instant.ofEpochSecond(Long.parseLong(ends[0])),
            Instant.ofEpochSecond(Long.parseLong(ends[1]))
          });
    }
    return ranges;
  }
}
