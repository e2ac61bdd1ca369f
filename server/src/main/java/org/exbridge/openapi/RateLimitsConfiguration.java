package org.exbridge.openapi;

import java.time.Clock;
import org.exbridge.app.DatabaseKind;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Chooses where the rate-limit counters live: in the database on PostgreSQL, where several
 * instances share the limits, and in memory on the embedded H2, which serves one instance.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitsConfiguration {

  @Bean
  RateLimits rateLimits(
      JdbcClient jdbc,
      Clock clock,
      DatabaseKind database,
      @Value("${exbridge.rate-limit.store}") String store,
      @Value("${exbridge.rate-limit.method-per-second}") int methodPerSecond,
      @Value("${exbridge.rate-limit.method-per-minute}") int methodPerMinute,
      @Value("${exbridge.rate-limit.app-per-second}") int appPerSecond) {
    RateCounter counter =
        switch (store) {
          case "local" -> new LocalRateCounter();
          case "database" -> {
            if (database != DatabaseKind.POSTGRESQL) {
              throw new IllegalStateException(
                  "exbridge.rate-limit.store=database needs PostgreSQL");
            }
            yield new JdbcRateCounter(jdbc);
          }
          case "auto" ->
              database == DatabaseKind.POSTGRESQL
                  ? new JdbcRateCounter(jdbc)
                  : new LocalRateCounter();
          default ->
              throw new IllegalStateException(
                  "exbridge.rate-limit.store must be auto, local or database");
        };
    return new RateLimits(
        counter, clock, new RateLimits.Settings(methodPerSecond, methodPerMinute, appPerSecond));
  }

  @Bean
  RateWindowPurge rateWindowPurge(RateLimits limits) {
    return new RateWindowPurge(limits);
  }

  static final class RateWindowPurge {
    private final RateLimits limits;

    RateWindowPurge(RateLimits limits) {
      this.limits = limits;
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void purge() {
      limits.purge();
    }
  }
}
