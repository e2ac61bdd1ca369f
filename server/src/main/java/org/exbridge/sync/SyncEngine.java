package org.exbridge.sync;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Claims due jobs and runs their steps on virtual threads, at most {@code workers} at once, while
 * keeping their leases alive. Every instance on one database runs one; they share the work.
 */
public final class SyncEngine implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  private final SyncJobs jobs;
  private final BindingSync sync;
  private final SyncSettings settings;
  private final String owner;
  private final Semaphore permits;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;
  private volatile boolean stopping;
  private final AtomicBoolean wakeup = new AtomicBoolean();

  SyncEngine(SyncJobs jobs, BindingSync sync, SyncSettings settings) {
    this.jobs = jobs;
    this.sync = sync;
    this.settings = settings;
    this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.permits = new Semaphore(settings.workers());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "exbridge";
    }
  }

  @Override
  public void start() {
    stopping = false;
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sync-engine");
              t.setDaemon(true);
              return t;
            });
    long poll = settings.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    long beat = Math.max(1000, settings.lease().toMillis() / 3);
    scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    log.info("sync engine {} started with {} workers", owner, settings.workers());
  }

  /**
   * A worker came free: claim again now rather than at the next poll, so that the workers stay busy
   * when many jobs are due. Wake-ups while one is pending fold into it.
   */
  /** Work was made due in this instance (a write through the calendar API): claim it now. */
  public void nudge() {
    wake();
  }

  private void wake() {
    if (!stopping && wakeup.compareAndSet(false, true)) {
      try {
        scheduler.execute(
            () -> {
              wakeup.set(false);
              poll();
            });
      } catch (RejectedExecutionException e) {
        wakeup.set(false);
      }
    }
  }

  /**
   * Claims as many due jobs as there are free workers. One claim at a time: the timer, a worker
   * coming free and a write through the API all ask for one, and two claims at once on H2 (which
   * takes no row locks here) would hand one job to two workers.
   */
  private synchronized void poll() {
    try {
      int free;
      while (!stopping && (free = permits.availablePermits()) > 0) {
        var claimed = jobs.claim(owner, Math.min(free, 64), settings.lease());
        for (SyncJobs.Job job : claimed) {
          permits.acquireUninterruptibly();
          running.add(job.id());
          Thread.ofVirtual().name("sync-" + job.bindingId()).start(() -> run(job));
        }
        if (claimed.size() < Math.min(free, 64)) {
          return;
        }
      }
    } catch (RuntimeException | AssertionError | LinkageError e) {
      log.warn("claiming sync jobs failed; trying again", e);
    }
  }

  private void run(SyncJobs.Job job) {
    try {
      SyncJobs.Outcome outcome = sync.step(job, () -> stopping);
      if (outcome != null) {
        jobs.release(job, owner, outcome);
      }
    } catch (RuntimeException | AssertionError | LinkageError e) {
      // An error thrown deep in a library (H2 asserts its own state when a full disk fails a
      // write) ends this step, not the worker: the lease runs out and the job is claimed again.
      log.warn(
          "sync step of binding {} could not be recorded; its lease will run out",
          job.bindingId(),
          e);
    } finally {
      running.remove(job.id());
      permits.release();
      wake();
    }
  }

  private void heartbeat() {
    try {
      jobs.heartbeat(owner, Set.copyOf(running), settings.lease());
    } catch (RuntimeException | AssertionError | LinkageError e) {
      log.warn("extending sync leases failed", e);
    }
  }

  @Override
  public void stop() {
    stopping = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    try {
      if (!permits.tryAcquire(settings.workers(), 15, TimeUnit.SECONDS)) {
        log.warn(
            "stopping with {} sync steps still running; their leases will run out", running.size());
      } else {
        permits.release(settings.workers());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null && !scheduler.isShutdown();
  }

  /** Stops after the web server, so a shutting-down instance finishes its steps. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }

  String owner() {
    return owner;
  }

  static Clock clock(Clock c) {
    return c;
  }
}
