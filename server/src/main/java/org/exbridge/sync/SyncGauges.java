package org.exbridge.sync;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.exbridge.binding.BindingStatus;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the database every few seconds: bindings by status, and the sync lag (how long
 * ago the stalest binding in incremental rounds last completed one).
 */
@Component
final class SyncGauges {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Map<BindingStatus, AtomicLong> byStatus = new ConcurrentHashMap<>();
  private final AtomicLong lagSeconds = new AtomicLong();

  SyncGauges(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.clock = clock;
    for (BindingStatus status : BindingStatus.values()) {
      AtomicLong value = new AtomicLong();
      byStatus.put(status, value);
      Gauge.builder("exbridge.bindings", value, AtomicLong::get)
          .tag("status", status.wire())
          .description("bindings by sync status")
          .register(registry);
    }
    Gauge.builder("exbridge.sync.lag", lagSeconds, AtomicLong::get)
        .baseUnit("seconds")
        .description("age of the oldest completed round among bindings in incremental sync")
        .register(registry);
  }

  @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT1S")
  void refresh() {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    jdbc.sql("select status, count(*) as n from exchange_binding group by status")
        .query(
            rs -> {
              counts.put(rs.getString("status"), rs.getLong("n"));
            });
    byStatus.forEach((status, value) -> value.set(counts.getOrDefault(status.wire(), 0L)));
    Instant oldest =
        jdbc.sql("select min(last_success_at) as oldest from sync_job where phase = ?")
            .param(SyncJobs.INCREMENTAL)
            .query((rs, n) -> Times.instant(rs, "oldest"))
            .optional()
            .orElse(null);
    lagSeconds.set(
        oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds()));
  }
}
