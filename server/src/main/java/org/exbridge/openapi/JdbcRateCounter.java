package org.exbridge.openapi;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counters in PostgreSQL, so that every instance on one database shares the same limits. One atomic
 * upsert per hit; the row lock orders concurrent hits on the same window.
 */
final class JdbcRateCounter implements RateCounter {
  private final JdbcClient jdbc;

  JdbcRateCounter(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public int hit(String bucket, long windowStart) {
    return jdbc.sql(
            "insert into rate_window (bucket, window_start, hits) values (?, ?, 1)"
                + " on conflict (bucket, window_start) do update set hits = rate_window.hits + 1"
                + " returning hits")
        .params(bucket, windowStart)
        .query(Integer.class)
        .single();
  }

  @Override
  public void purge(long before) {
    jdbc.sql("delete from rate_window where window_start < ?").param(before).update();
  }
}
