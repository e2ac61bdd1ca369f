package org.exbridge.app;

import java.time.Clock;
import org.exbridge.directory.Times;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Health is DOWN while the database cannot take a write: a full disk leaves an H2 file readable (so
 * a validation query passes) while every write fails. One row is updated and committed.
 */
@Component("databaseWritable")
final class DatabaseWritableHealth extends AbstractHealthIndicator {
  private final JdbcClient jdbc;
  private final Clock clock;

  DatabaseWritableHealth(JdbcClient jdbc, Clock clock) {
    super("the database cannot take a write");
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    jdbc.sql("update health_probe set checked_at = ? where id = 1")
        .param(Times.sql(clock.instant()))
        .update();
    builder.up();
  }
}
