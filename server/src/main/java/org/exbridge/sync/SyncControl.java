package org.exbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.exbridge.binding.Binding;
import org.exbridge.binding.BindingStatus;
import org.exbridge.binding.Bindings;
import org.exbridge.calendar.CalendarStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The operator's handles on a binding's sync: its progress, and a resync. */
@Service
public class SyncControl {
  private final Bindings bindings;
  private final SyncJobs jobs;
  private final CalendarStore store;
  private final Clock clock;

  SyncControl(Bindings bindings, SyncJobs jobs, CalendarStore store, Clock clock) {
    this.bindings = bindings;
    this.jobs = jobs;
    this.store = store;
    this.clock = clock;
  }

  /** Where a binding's sync stands. */
  public record Progress(
      Binding binding,
      String phase,
      int calendars,
      int events,
      Instant lastSuccessAt,
      Instant nextAttemptAt,
      int attempts,
      String lastErrorCode,
      String lastError) {}

  public Optional<Progress> progress(Binding binding) {
    return jobs.forBinding(binding.id())
        .map(
            job -> {
              CalendarStore.Counts counts = store.counts(binding.id());
              return new Progress(
                  binding,
                  job.phase(),
                  counts.calendars(),
                  counts.events(),
                  job.lastSuccessAt(),
                  job.phase().equals(SyncJobs.STOPPED) ? null : job.dueAt(),
                  job.attempts(),
                  job.lastErrorCode(),
                  job.lastError());
            });
  }

  /** Whether the binding's push channel is healthy (its rounds run at the safety interval). */
  public boolean pushHealthy(long bindingId) {
    return jobs.pushHealthy(bindingId);
  }

  /**
   * Starts again: a binding in {@code err} from the beginning (status back to doing); any other
   * reads everything again, keeping what it has until the read shows what is gone.
   */
  @Transactional
  public void resync(Binding binding) {
    if (binding.status() == BindingStatus.ERR) {
      bindings.reset(binding.id(), BindingStatus.DOING, clock.instant());
      jobs.restart(binding.id(), SyncJobs.CALENDARS, true);
    } else {
      store.restartFullRead(binding.id());
      jobs.restart(binding.id(), SyncJobs.ALL, true);
    }
  }
}
