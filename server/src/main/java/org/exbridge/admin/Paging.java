package org.exbridge.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging for the operator API's lists: {@code limit} items and, when there may be more, an
 * opaque {@code next_cursor} to pass back as {@code cursor}.
 */
final class Paging {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private Paging() {}

  /** One page of a list. */
  record Page<T>(List<T> items, String nextCursor) {}

  static int limit(Integer limit) {
    int value = limit == null ? DEFAULT_LIMIT : limit;
    if (value < 1 || value > MAX_LIMIT) {
      throw Problems.badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    return value;
  }

  /** The key a cursor stands for; null for no cursor. */
  static String after(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problems.badRequest("cursor is not one this server gave out");
    }
  }

  /**
   * The page of {@code rows}, read with {@code limit + 1} so that a full page says there is more.
   */
  static <R, T> Page<T> page(
      List<R> rows, int limit, Function<R, String> key, Function<R, T> view) {
    boolean more = rows.size() > limit;
    List<R> shown = more ? rows.subList(0, limit) : rows;
    String next =
        more
            ? Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(key.apply(shown.getLast()).getBytes(StandardCharsets.UTF_8))
            : null;
    return new Page<>(shown.stream().map(view).toList(), next);
  }
}
