package org.exbridge.sync;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.Bindings;
import org.exbridge.calendar.CalendarStore;
import org.exbridge.exchange.ExchangeSources;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SyncConfiguration {
  @Bean
  SyncSettings syncSettings(
      @Value("${exbridge.sync.enabled}") boolean enabled,
      @Value("${exbridge.sync.workers}") int workers,
      @Value("${exbridge.sync.poll-interval}") Duration pollInterval,
      @Value("${exbridge.sync.lease}") Duration lease,
      @Value("${exbridge.sync.window-past}") Duration windowPast,
      @Value("${exbridge.sync.window-future}") Duration windowFuture,
      @Value("${exbridge.sync.interval}") Duration interval,
      @Value("${exbridge.push.safety-interval:15m}") Duration pushInterval,
      @Value("${exbridge.sync.pages-per-step}") int pagesPerStep,
      @Value("${exbridge.sync.max-attempts}") int maxAttempts,
      @Value("${exbridge.sync.backoff-base}") Duration backoffBase,
      @Value("${exbridge.sync.backoff-max}") Duration backoffMax) {
    return new SyncSettings(
        enabled,
        workers,
        pollInterval,
        lease,
        windowPast,
        windowFuture,
        interval,
        pushInterval,
        pagesPerStep,
        maxAttempts,
        backoffBase,
        backoffMax);
  }

  @Bean
  SyncMetrics syncMetrics(MeterRegistry registry) {
    return new SyncMetrics(registry);
  }

  @Bean
  BindingSync bindingSync(
      Bindings bindings,
      AdminAccounts accounts,
      ExchangeSources sources,
      CalendarStore store,
      org.exbridge.calendar.CalendarReads reads,
      org.springframework.jdbc.core.simple.JdbcClient jdbc,
      SyncJobs jobs,
      SyncSettings settings,
      SyncMetrics metrics,
      Clock clock) {
    return new BindingSync(
        bindings,
        accounts,
        sources,
        store,
        new OutboundDelivery(jdbc, store, reads, metrics, clock),
        jobs,
        settings,
        metrics,
        clock);
  }

  @Bean
  @ConditionalOnProperty(
      name = "exbridge.sync.enabled",
      havingValue = "true",
      matchIfMissing = true)
  SyncEngine syncEngine(SyncJobs jobs, BindingSync sync, SyncSettings settings) {
    return new SyncEngine(jobs, sync, settings);
  }
}
