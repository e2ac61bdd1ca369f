package org.exbridge.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes every mailbox once per period, spread evenly over it, as users editing their calendars
 * would: one event's subject of each mailbox gets the time of the change. For measuring how far
 * behind Exchange a sync stays.
 */
final class Churn implements AutoCloseable {
  private final Simulator sim;
  private final Duration period;
  private final Thread thread;
  private final AtomicLong changes = new AtomicLong();
  private volatile boolean running = true;

  Churn(Simulator sim, Duration period) {
    this.sim = sim;
    this.period = period;
    this.thread = new Thread(this::run, "sim-churn");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      List<SimMailbox> all = new ArrayList<>(sim.mailboxes().values());
      if (all.isEmpty()) {
        pause(period.toMillis());
        continue;
      }
      long spacingNanos = period.toNanos() / all.size();
      long next = System.nanoTime();
      for (SimMailbox mailbox : all) {
        if (!running) {
          return;
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          pause(wait / 1_000_000);
        }
        next += spacingNanos;
        change(mailbox);
      }
    }
  }

  private void change(SimMailbox mailbox) {
    mailbox.write(
        () -> {
          SimMailbox.SimCalendar calendar = mailbox.defaultCalendar();
          SimEvent first =
              calendar.events.values().stream()
                  .min(java.util.Comparator.comparingLong(e -> e.number))
                  .orElse(null);
          if (first != null) {
            SimEvent changed = first.copyAs(first.number);
            String base = changed.subject.replaceAll(" \\(changed at .*\\)$", "");
            changed.subject = base + " (changed at " + sim.clock().instant() + ")";
            mailbox.put(calendar, changed, sim.clock());
            changes.incrementAndGet();
          }
          return null;
        });
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  ObjectNode json() {
    ObjectNode n = SimJson.JSON.createObjectNode();
    n.put("running", running);
    n.put("period_seconds", period.toSeconds());
    n.put("changes", changes.get());
    return n;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
