package org.exbridge.push;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.exchange.ExchangeSources;
import org.springframework.context.SmartLifecycle;

/**
 * What keeps one kind of push channel alive: the parts it works with, and a tick that brings the
 * channels in line with the bindings (under a lease, so that one instance at a time holds them).
 */
abstract class PushKeeper implements SmartLifecycle {
  /** The parts a keeper works with. */
  record Parts(
      PushStore store,
      PushSignals signals,
      AdminAccounts accounts,
      ExchangeSources sources,
      PushSettings settings,
      Clock clock,
      String owner) {}

  protected final PushStore store;
  protected final PushSignals signals;
  protected final AdminAccounts accounts;
  protected final ExchangeSources sources;
  protected final PushSettings settings;
  protected final Clock clock;
  protected final String owner;
  private final String threadName;
  protected ScheduledExecutorService ticker;
  protected volatile boolean running;

  PushKeeper(Parts parts, String threadName) {
    this.store = parts.store();
    this.signals = parts.signals();
    this.accounts = parts.accounts();
    this.sources = parts.sources();
    this.settings = parts.settings();
    this.clock = parts.clock();
    this.owner = parts.owner();
    this.threadName = threadName;
  }

  /** Brings the channels in line with the bindings; runs every {@code exbridge.push.tick}. */
  abstract void tick();

  /** Lets go of what this instance holds (the web server and the engine stop after). */
  abstract void release();

  @Override
  public void start() {
    running = true;
    if (!settings.enabled()) {
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    long every = settings.tick().toMillis();
    ticker.scheduleWithFixedDelay(this::tick, every / 2, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        release();
      } catch (RuntimeException e) {
        // leases run out by themselves
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the sync engine (which stops late), after the web server. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 4096;
  }
}
