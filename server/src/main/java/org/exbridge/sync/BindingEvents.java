package org.exbridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.exbridge.binding.Binding;
import org.exbridge.binding.BindingStatus;
import org.exbridge.calendar.CalendarStore;
import org.exbridge.exchange.ExchangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's story of each binding: one INFO line per status reached (with counts and the seconds
 * since it was bound), one WARN line when it ends in err, and WARN lines for transient Exchange
 * faults with the backoff chosen, at most one a binding per {@link #QUIET} (a flapping server
 * cannot flood the log; the next line says how many were held back). Lines name the binding id, the
 * tenant and the Exchange account; Exchange's messages carry no secret.
 */
final class BindingEvents {
  private static final Logger log = LoggerFactory.getLogger("org.exbridge.binding.events");
  static final Duration QUIET = Duration.ofMinutes(5);
  private static final int MAX_TRACKED = 100_000;

  private final CalendarStore store;
  private final Clock clock;
  private final Map<Long, Held> held = new ConcurrentHashMap<>();

  private record Held(Instant lastLogged, AtomicInteger suppressed) {}

  BindingEvents(CalendarStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void reached(Binding binding, BindingStatus status) {
    counted(
        binding,
        status.wire()
            + " for {} in tenant {}: {} calendar(s), {} event(s), "
            + seconds(binding)
            + " s after it was bound");
  }

  /** A binding already done has read everything again (a resync, or a lost cursor). */
  void readAgain(Binding binding) {
    counted(binding, "read again in full for {} in tenant {}: {} calendar(s), {} event(s)");
  }

  /** An INFO line about the binding with what it has stored; {@code what} has four holes. */
  private void counted(Binding binding, String what) {
    if (!log.isInfoEnabled()) {
      return;
    }
    CalendarStore.Counts counts = store.counts(binding.id());
    log.info(
        "binding {}: " + what,
        binding.exchangeBindingId(),
        binding.exchangeAccount(),
        binding.tenantKey(),
        counts.calendars(),
        counts.events());
  }

  void failed(Binding binding, String reason) {
    held.remove(binding.id());
    log.warn(
        "binding {}: err for {} in tenant {}: {}",
        binding.exchangeBindingId(),
        binding.exchangeAccount(),
        binding.tenantKey(),
        reason);
  }

  void retrying(Binding binding, ExchangeException e, int attempt, Duration delay) {
    Instant now = clock.instant();
    if (held.size() > MAX_TRACKED) {
      held.clear();
    }
    Held before = held.get(binding.id());
    if (before != null && before.lastLogged().plus(QUIET).isAfter(now)) {
      before.suppressed().incrementAndGet();
      return;
    }
    held.put(binding.id(), new Held(now, new AtomicInteger()));
    int quiet = before == null ? 0 : before.suppressed().get();
    log.warn(
        "binding {}: {} for {} in tenant {}: {}: {}; attempt {}, next in {} s{}",
        binding.exchangeBindingId(),
        e.kind() == ExchangeException.Kind.THROTTLED ? "Exchange throttles" : "Exchange failed",
        binding.exchangeAccount(),
        binding.tenantKey(),
        e.code(),
        e.getMessage(),
        attempt,
        Math.max(1, delay.toSeconds()),
        quiet > 0 ? " (" + quiet + " similar line(s) held back since the last)" : "");
  }

  /** A step that succeeded ends the binding's quiet period. */
  void recovered(long bindingId) {
    held.remove(bindingId);
  }

  private long seconds(Binding binding) {
    return Math.max(0, Duration.between(binding.createdAt(), clock.instant()).toSeconds());
  }
}
