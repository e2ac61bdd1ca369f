package org.exbridge.calendar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What of a binding's items could not be read or stored whole, for the operator: one row per item
 * and kind, updated when seen again, removed when the item is next stored cleanly.
 */
@Repository
public class ItemProblems {
  /** Rows kept per binding; past it, known problems are updated and new ones only counted. */
  static final int MAX_PER_BINDING = 10_000;

  /** What went wrong with an item. */
  public enum Kind {
    /** Exchange sent it but it could not be read: skipped. */
    UNREADABLE,
    /** Stored, but something of it was cut, left out or shown differently (a zone in UTC). */
    PARTIAL,
    /** Read, but the database would not store it: skipped. */
    NOT_STORED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One problem of one item. */
  public record Problem(String itemId, String summary, Kind kind, String detail) {}

  /** A problem as the operator API shows it. */
  public record Seen(String itemId, String summary, String kind, String detail, Instant seenAt) {}

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;

  ItemProblems(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
    this.jdbc = jdbc;
    this.named = named;
  }

  /** Records the problems of a page; runs in the page's transaction. */
  void record(long bindingId, List<Problem> problems, Instant now) {
    for (Problem p : problems) {
      String item = key(p.itemId());
      String summary = clip(p.summary(), 300);
      String detail = clip(p.detail(), 2000);
      int updated =
          jdbc.sql(
                  "update sync_item_problem set summary = ?, detail = ?, seen_at = ?"
                      + " where binding_id = ? and item_id = ? and kind = ?")
              .params(summary, detail, Times.sql(now), bindingId, item, p.kind().wire())
              .update();
      if (updated == 0 && count(bindingId) < MAX_PER_BINDING) {
        jdbc.sql(
                "insert into sync_item_problem (binding_id, item_id, summary, kind, detail, seen_at)"
                    + " values (?, ?, ?, ?, ?, ?)")
            .params(bindingId, item, summary, p.kind().wire(), detail, Times.sql(now))
            .update();
      }
    }
  }

  /** Forgets the problems of items that were just stored without any. */
  void clear(long bindingId, List<String> itemIds) {
    if (itemIds.isEmpty() || count(bindingId) == 0) {
      return;
    }
    List<String> keys = itemIds.stream().map(ItemProblems::key).toList();
    for (int from = 0; from < keys.size(); from += 1000) {
      named.update(
          "delete from sync_item_problem where binding_id = :binding and item_id in (:ids)",
          new MapSqlParameterSource()
              .addValue("binding", bindingId)
              .addValue("ids", keys.subList(from, Math.min(keys.size(), from + 1000))));
    }
  }

  public int count(long bindingId) {
    return jdbc.sql("select count(*) from sync_item_problem where binding_id = ?")
        .param(bindingId)
        .query(Integer.class)
        .single();
  }

  /** The most recent problems of a binding. */
  public List<Seen> latest(long bindingId, int limit) {
    return jdbc.sql(
            "select item_id, summary, kind, detail, seen_at from sync_item_problem"
                + " where binding_id = ? order by seen_at desc, id desc limit ?")
        .params(bindingId, limit)
        .query(
            (rs, row) ->
                new Seen(
                    rs.getString("item_id"),
                    rs.getString("summary"),
                    rs.getString("kind"),
                    rs.getString("detail"),
                    Times.instant(rs, "seen_at")))
        .list();
  }

  /**
   * Ids up to 300 characters as they are; longer ones shortened with a digest that keeps them
   * apart.
   */
  static String key(String itemId) {
    if (itemId == null) {
      return "(no item id)";
    }
    if (itemId.length() <= 300) {
      return itemId;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(itemId.getBytes(StandardCharsets.UTF_8));
      return itemId.substring(0, 200) + "…" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
