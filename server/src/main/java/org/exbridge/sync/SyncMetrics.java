package org.exbridge.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.exbridge.calendar.ItemProblems;
import org.exbridge.exchange.ExchangeException;

/** What operators watch: pages and rounds done, failures by kind, time spent throttled. */
final class SyncMetrics {
  private final MeterRegistry registry;
  private final Counter pages;
  private final Counter events;
  private final Timer throttled;

  SyncMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.pages =
        Counter.builder("exbridge.sync.pages")
            .description("pages read from Exchange and stored")
            .register(registry);
    this.events =
        Counter.builder("exbridge.sync.events")
            .description("events and deletions stored")
            .register(registry);
    this.throttled =
        Timer.builder("exbridge.sync.throttled")
            .description("delay Exchange asked for")
            .register(registry);
  }

  void page(int items) {
    pages.increment();
    events.increment(items);
  }

  /**
   * A full read or incremental round completed: {@code trigger} is full (the first read or a
   * resync), push (Exchange said the mailbox changed) or timer.
   */
  void round(String trigger) {
    Counter.builder("exbridge.sync.rounds")
        .description("full reads and incremental rounds completed, by what started them")
        .tag("trigger", trigger)
        .register(registry)
        .increment();
  }

  void failure(ExchangeException.Kind kind) {
    registry
        .counter("exbridge.sync.failures", "kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .increment();
  }

  /** Items of a page that could not be read or stored whole, by kind. */
  void problems(List<ItemProblems.Problem> problems) {
    for (ItemProblems.Problem p : problems) {
      registry.counter("exbridge.sync.item.problems", "kind", p.kind().wire()).increment();
    }
  }

  /** A write delivered, failed or retried: {@code outcome} says which. */
  void write(String outcome) {
    registry.counter("exbridge.writes", "outcome", outcome).increment();
  }

  /** A field changed in both places: Exchange's value was kept. */
  void conflict(String field) {
    registry.counter("exbridge.writes.conflicts", "field", field).increment();
  }

  void throttled(Duration delay) {
    throttled.record(delay);
  }
}
