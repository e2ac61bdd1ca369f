package org.exbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger("org.exbridge.binding.events");
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
      Integer eventsTotalEstimate,
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
                  phase(binding.status(), job.phase()),
                  counts.calendars(),
                  counts.events(),
                  store.itemEstimate(binding.id()),
                  job.lastSuccessAt(),
                  job.phase().equals(SyncJobs.STOPPED) ? null : job.dueAt(),
                  job.attempts(),
                  job.lastErrorCode(),
                  job.lastError());
            });
  }

  private static final List<String> PHASES =
      List.of(SyncJobs.CALENDARS, SyncJobs.WINDOW, SyncJobs.ALL, SyncJobs.INCREMENTAL);

  /**
   * The phase as the operator should read it beside the status: the job's phase is written when a
   * step ends, the status as soon as a phase ends, so the phase is moved on to the one the status
   * implies (a binding in err is stopped; a done binding reading everything again is resyncing).
   */
  static String phase(BindingStatus status, String jobPhase) {
    if (status == BindingStatus.ERR) {
      return SyncJobs.STOPPED;
    }
    String least =
        switch (status) {
          case DOING -> SyncJobs.CALENDARS;
          case CAL_DONE -> SyncJobs.WINDOW;
          case TIMESPAN_DONE, DONE -> SyncJobs.ALL;
          case ERR -> SyncJobs.STOPPED;
        };
    int at = PHASES.indexOf(jobPhase);
    if (at < 0) {
      return jobPhase;
    }
    return at < PHASES.indexOf(least) ? least : jobPhase;
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
    log.info(
        "binding {}: resync of {} in tenant {} requested (status was {})",
        binding.exchangeBindingId(),
        binding.exchangeAccount(),
        binding.tenantKey(),
        binding.status().wire());
    if (binding.status() == BindingStatus.ERR) {
      bindings.reset(binding.id(), BindingStatus.DOING, clock.instant());
      jobs.restart(binding.id(), SyncJobs.CALENDARS, true);
    } else {
      store.restartFullRead(binding.id());
      jobs.restart(binding.id(), SyncJobs.ALL, true);
    }
  }
}
