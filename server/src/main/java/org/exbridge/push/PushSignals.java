package org.exbridge.push;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.exbridge.sync.SyncEngine;
import org.exbridge.sync.SyncJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Turns "this mailbox changed" into due jobs. Notifications are gathered for a short moment
 * (debounce) and made due in the database in one statement, so that several in a row give one
 * round, and whichever instance holds the job runs it. Nothing of a notification but the binding it
 * names is used: the round reads the change from its saved cursor.
 */
public final class PushSignals implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(PushSignals.class);

  private final SyncJobs jobs;
  private final PushStore store;
  private final ObjectProvider<SyncEngine> engine;
  private final Duration debounce;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService flusher;

  PushSignals(
      SyncJobs jobs,
      PushStore store,
      ObjectProvider<SyncEngine> engine,
      Duration debounce,
      Clock clock,
      MeterRegistry registry) {
    this.jobs = jobs;
    this.store = store;
    this.engine = engine;
    this.debounce = debounce;
    this.clock = clock;
    this.registry = registry;
  }

  /** Exchange said this binding's mailbox changed ({@code protocol}: ews or graph). */
  public void changed(long bindingId, String protocol) {
    registry
        .counter("exbridge.push.notifications", "protocol", protocol, "outcome", "accepted")
        .increment();
    waiting.add(bindingId);
  }

  /** A notification that was not ours, or failed its check, was dropped. */
  void dropped(String protocol, String why) {
    registry
        .counter("exbridge.push.notifications", "protocol", protocol, "outcome", why)
        .increment();
  }

  /**
   * A channel broke or came back: read these mailboxes now, since what changed meanwhile was not
   * told.
   */
  public void catchUp(List<Long> bindingIds) {
    waiting.addAll(bindingIds);
  }

  void flush() {
    if (waiting.isEmpty()) {
      return;
    }
    List<Long> batch = new ArrayList<>(waiting);
    waiting.removeAll(batch);
    try {
      for (int i = 0; i < batch.size(); i += 1000) {
        List<Long> part = batch.subList(i, Math.min(batch.size(), i + 1000));
        jobs.pushed(part, clock.instant());
        store.notified(part);
      }
      SyncEngine e = engine.getIfAvailable();
      if (e != null) {
        e.nudge();
      }
    } catch (RuntimeException | AssertionError | LinkageError e) {
      // The database is away: keep them for the next flush.
      waiting.addAll(batch);
      log.warn("could not make {} pushed bindings due; trying again", batch.size(), e);
    }
  }

  @Override
  public void start() {
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "push-signals");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(10, debounce.toMillis());
    flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (flusher != null) {
      flusher.shutdownNow();
      flush();
    }
  }

  @Override
  public boolean isRunning() {
    return flusher != null && !flusher.isShutdown();
  }
}
