package org.exbridge.push;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.exchange.ExchangeSources;
import org.exbridge.sync.SyncEngine;
import org.exbridge.sync.SyncJobs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PushConfiguration {
  @Bean
  PushSettings pushSettings(
      @Value("${exbridge.push.enabled:true}") boolean enabled,
      org.springframework.core.env.Environment environment,
      @Value("${exbridge.push.tick:2s}") Duration tick,
      @Value("${exbridge.push.lease:30s}") Duration lease,
      @Value("${exbridge.push.debounce:200ms}") Duration debounce,
      @Value("${exbridge.push.ews.connections-per-account:3}") int connections,
      @Value("${exbridge.push.ews.subscriptions-per-connection:200}") int perConnection,
      @Value("${exbridge.push.ews.connection-timeout:10m}") Duration connectionTimeout,
      @Value("${exbridge.push.graph.lifetime:3d}") Duration lifetime,
      @Value("${exbridge.push.graph.renew-before:1d}") Duration renewBefore) {
    if (connectionTimeout.toMinutes() < 1 || connectionTimeout.toMinutes() > 30) {
      throw new IllegalArgumentException(
          "exbridge.push.ews.connection-timeout must be between 1 and 30 minutes");
    }
    if (lifetime.toMinutes() > 10_070 || lifetime.toMinutes() < 45) {
      throw new IllegalArgumentException(
          "exbridge.push.graph.lifetime must be between 45 minutes and 10,070 minutes (7 days)");
    }
    if (renewBefore.compareTo(lifetime) >= 0) {
      throw new IllegalArgumentException(
          "exbridge.push.graph.renew-before must be shorter than exbridge.push.graph.lifetime");
    }
    return new PushSettings(
        enabled,
        () -> environment.getProperty("exbridge.push.public-url", ""),
        tick,
        lease,
        debounce,
        Math.max(1, connections),
        Math.max(1, Math.min(200, perConnection)),
        connectionTimeout,
        lifetime,
        renewBefore);
  }

  @Bean
  PushSignals pushSignals(
      SyncJobs jobs,
      PushStore store,
      ObjectProvider<SyncEngine> engine,
      PushSettings settings,
      Clock clock,
      MeterRegistry registry) {
    return new PushSignals(jobs, store, engine, settings.debounce(), clock, registry);
  }

  /** What both keepers work with, under one name for this instance on the push leases. */
  @Bean
  PushKeeper.Parts pushParts(
      PushStore store,
      PushSignals signals,
      AdminAccounts accounts,
      ExchangeSources sources,
      PushSettings settings,
      Clock clock) {
    return new PushKeeper.Parts(store, signals, accounts, sources, settings, clock, owner());
  }

  private static String owner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "exbridge";
    }
    return host + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Bean
  EwsPush ewsPush(PushKeeper.Parts parts) {
    return new EwsPush(parts);
  }

  @Bean
  GraphPush graphPush(PushKeeper.Parts parts) {
    return new GraphPush(parts);
  }

  /** Subscriptions by protocol and state, read from the database every scrape (cheap: grouped). */
  @Bean
  PushGauges pushGauges(PushStore store, MeterRegistry registry) {
    return new PushGauges(store, registry);
  }

  static final class PushGauges {
    PushGauges(PushStore store, MeterRegistry registry) {
      for (String protocol : new String[] {"ews", "graph"}) {
        for (String state : new String[] {"active", "broken", "unavailable"}) {
          Gauge.builder(
                  "exbridge.push.subscriptions",
                  store,
                  s ->
                      s.counts().stream()
                          .filter(c -> c.protocol().equals(protocol) && c.state().equals(state))
                          .mapToLong(PushStore.Count::count)
                          .sum())
              .description("push subscriptions by protocol and state")
              .tag("protocol", protocol)
              .tag("state", state)
              .register(registry);
        }
      }
      Gauge.builder(
              "exbridge.push.reconnects",
              store,
              s -> s.channels().stream().mapToLong(PushStore.Channel::reconnects).sum())
          .description("EWS streaming connections re-established after a drop (all instances)")
          .register(registry);
    }
  }
}
