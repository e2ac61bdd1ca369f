package org.exbridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.Binding;
import org.exbridge.binding.BindingStatus;
import org.exbridge.binding.Bindings;
import org.exbridge.calendar.CalendarStore;
import org.exbridge.calendar.StoredCalendar;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.ExchangeSources;
import org.exbridge.exchange.SourcePage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * One step of one binding's sync: as many pages as the step's budget allows, phase after phase
 * (calendars, the recent window, everything, then incremental rounds), each page stored with its
 * cursor so that the next step, on any instance, continues where this one stopped.
 */
final class BindingSync {
  private static final Logger log = LoggerFactory.getLogger(BindingSync.class);

  private final Bindings bindings;
  private final AdminAccounts accounts;
  private final ExchangeSources sources;
  private final CalendarStore store;
  private final OutboundDelivery delivery;
  private final SyncJobs jobs;
  private final SyncSettings settings;
  private final SyncMetrics metrics;
  private final Clock clock;
  private final BindingEvents events;

  BindingSync(
      Bindings bindings,
      AdminAccounts accounts,
      ExchangeSources sources,
      CalendarStore store,
      OutboundDelivery delivery,
      SyncJobs jobs,
      SyncSettings settings,
      SyncMetrics metrics,
      Clock clock) {
    this.delivery = delivery;
    this.jobs = jobs;
    this.bindings = bindings;
    this.accounts = accounts;
    this.sources = sources;
    this.store = store;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.events = new BindingEvents(store, clock);
  }

  /** Runs one step and says what is next; null when the binding is gone. */
  SyncJobs.Outcome step(SyncJobs.Job job, java.util.function.BooleanSupplier stopping) {
    Binding binding = bindings.byId(job.bindingId()).orElse(null);
    if (binding == null) {
      return null;
    }
    String phase = job.phase();
    StoredCalendar current = null;
    try {
      var connection =
          accounts
              .connection(binding.adminAccount())
              .orElseThrow(
                  () ->
                      new ExchangeException(
                          ExchangeException.Kind.PERMANENT,
                          "ErrorAdminAccountNotFound",
                          "admin account " + binding.adminAccount() + " is no longer configured"));
      ExchangeSource source = sources.forAccount(binding.adminAccount(), connection);
      String mailbox = binding.exchangeAccount();
      long id = binding.id();
      if (!phase.equals(SyncJobs.CALENDARS)) {
        // Writes made through the calendar API go first: a round never reads an item before the
        // write that changed it is recorded.
        int written = delivery.deliver(binding, source.writer(), job.generation());
        Instant roundDue =
            job.lastSuccessAt() == null ? null : job.lastSuccessAt().plus(settings.interval());
        if (written > 0
            && !job.pushed()
            && phase.equals(SyncJobs.INCREMENTAL)
            && roundDue != null
            && roundDue.isAfter(clock.instant())) {
          // The job came for the writes alone: each is read back already, the round keeps its time.
          return new SyncJobs.Outcome(
              SyncJobs.INCREMENTAL, roundDue, 0, job.generation(), null, null, false);
        }
      }
      int budget = settings.pagesPerStep();
      ReadAhead ahead = new ReadAhead();
      while (budget > 0 && !stopping.getAsBoolean()) {
        switch (phase) {
          case SyncJobs.CALENDARS -> {
            store.syncCalendars(id, source.calendars(mailbox));
            advance(binding, BindingStatus.CAL_DONE);
            phase = SyncJobs.WINDOW;
          }
          case SyncJobs.WINDOW -> {
            current =
                store.calendars(id).stream().filter(c -> !c.windowDone()).findFirst().orElse(null);
            if (current == null) {
              advance(binding, BindingStatus.TIMESPAN_DONE);
              phase = SyncJobs.ALL;
              continue;
            }
            Instant now = clock.instant();
            Instant from = now.minus(settings.windowPast());
            Instant to = now.plus(settings.windowFuture());
            String calendarId = current.exchangeId();
            SourcePage page =
                ahead.read(
                    current,
                    current.windowCursor(),
                    c -> source.window(mailbox, calendarId, from, to, c),
                    budget > 1);
            metrics.problems(
                store.applyPage(current, CalendarStore.Read.WINDOW, page, job.generation()));
            metrics.page(page.events().size());
            budget--;
          }
          case SyncJobs.ALL -> {
            current =
                store.calendars(id).stream().filter(c -> !c.fullDone()).findFirst().orElse(null);
            if (current == null) {
              advance(binding, BindingStatus.DONE);
              metrics.round("full");
              return success(SyncJobs.INCREMENTAL, nextRound(id), job);
            }
            String calendarId = current.exchangeId();
            var stored = store.versions(current);
            SourcePage page =
                ahead.read(
                    current,
                    current.fullCursor(),
                    c -> source.all(mailbox, calendarId, c, stored),
                    budget > 1);
            metrics.problems(
                store.applyPage(current, CalendarStore.Read.FULL, page, job.generation()));
            metrics.page(page.events().size());
            if (!page.more()) {
              store.sweep(current.id(), job.generation());
            }
            budget--;
          }
          case SyncJobs.INCREMENTAL -> {
            // A round Exchange asked for reads the items of the calendars known; the folder list
            // (a calendar added or removed) is read by the timer's rounds, which continue.
            List<StoredCalendar> known = job.pushed() ? store.calendars(id) : List.of();
            List<StoredCalendar> calendars =
                !known.isEmpty() ? known : store.syncCalendars(id, source.calendars(mailbox));
            for (StoredCalendar calendar : calendars) {
              current = calendar;
              if (!calendar.fullDone()) {
                return success(SyncJobs.ALL, clock.instant(), job);
              }
              String cursor = calendar.fullCursor();
              SourcePage page;
              do {
                page =
                    source.changes(
                        mailbox, calendar.exchangeId(), cursor, store.versions(calendar));
                metrics.problems(
                    store.applyPage(calendar, CalendarStore.Read.CHANGES, page, job.generation()));
                metrics.page(page.events().size() + page.deletedIds().size());
                cursor = page.cursor();
              } while (page.more() && !stopping.getAsBoolean());
            }
            metrics.round(job.pushed() ? "push" : "timer");
            return success(SyncJobs.INCREMENTAL, nextRound(id), job);
          }
          default -> {
            return new SyncJobs.Outcome(
                SyncJobs.STOPPED,
                SyncJobs.NEVER,
                job.attempts(),
                job.generation(),
                job.lastErrorCode(),
                job.lastError(),
                false);
          }
        }
      }
      return success(phase, clock.instant(), job);
    } catch (ExchangeException e) {
      return failed(job, binding, phase, current, e);
    } catch (CalendarStore.CalendarGone | DataIntegrityViolationException e) {
      if (bindings.byId(job.bindingId()).isEmpty()) {
        return null;
      }
      if (e instanceof DataIntegrityViolationException) {
        log.warn("sync step of binding {} could not store a page", job.bindingId(), e);
      }
      return failed(
          job,
          binding,
          phase,
          current,
          new ExchangeException(
              ExchangeException.Kind.RETRYABLE,
              "store",
              e instanceof CalendarStore.CalendarGone
                  ? "the calendar was removed while a page was being stored"
                  : "the database refused to store a page; the server log has the detail"));
    } catch (RuntimeException e) {
      log.warn("sync step of binding {} failed", job.bindingId(), e);
      return failed(
          job,
          binding,
          phase,
          current,
          e instanceof org.springframework.dao.DataAccessException
              ? new ExchangeException(
                  ExchangeException.Kind.RETRYABLE,
                  "database",
                  "the database could not be used; the step will be tried again")
              : new ExchangeException(
                  ExchangeException.Kind.RETRYABLE,
                  "internal",
                  "an unexpected failure ("
                      + e.getClass().getSimpleName()
                      + "); the server log has the detail"));
    }
  }

  /**
   * Reads pages one after another, requesting the next while the caller writes the current one, so
   * that Exchange's latency and the database's writes overlap. A page read ahead is used only if it
   * is the one asked for next; the fault it met is thrown then, as if it were read at that moment.
   */
  private static final class ReadAhead {
    private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private long calendarPk;
    private String cursor;
    private CompletableFuture<SourcePage> next;

    /** The page at {@code wanted}; the next one is requested at once if {@code more} may follow. */
    SourcePage read(
        StoredCalendar calendar, String wanted, Function<String, SourcePage> read, boolean more) {
      SourcePage page =
          next != null && calendar.id() == calendarPk && Objects.equals(cursor, wanted)
              ? join(next)
              : read.apply(wanted);
      next = null;
      if (page.more() && more) {
        calendarPk = calendar.id();
        cursor = page.cursor();
        String from = cursor;
        next = CompletableFuture.supplyAsync(() -> read.apply(from), VIRTUAL);
      }
      return page;
    }

    private static SourcePage join(CompletableFuture<SourcePage> page) {
      try {
        return page.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
  }

  /**
   * When the next round is due: the safety interval while Exchange pushes this mailbox's changes,
   * the ordinary one otherwise.
   */
  private Instant nextRound(long bindingId) {
    Duration interval = settings.interval();
    if (settings.pushInterval().compareTo(interval) > 0 && jobs.pushHealthy(bindingId)) {
      // Spread by a tenth either way, so that mailboxes subscribed together do not all poll at
      // one moment a quarter of an hour later.
      long millis = settings.pushInterval().toMillis();
      interval =
          Duration.ofMillis(
              millis - millis / 10 + ThreadLocalRandom.current().nextLong(millis / 5 + 1));
    }
    return clock.instant().plus(interval);
  }

  private void advance(Binding binding, BindingStatus status) {
    if (bindings.advance(binding.id(), status, clock.instant())) {
      events.reached(binding, status);
    } else if (status == BindingStatus.DONE) {
      events.readAgain(binding);
    }
  }

  private SyncJobs.Outcome success(String phase, Instant due, SyncJobs.Job job) {
    if (job.attempts() > 0) {
      events.recovered(job.bindingId());
    }
    return new SyncJobs.Outcome(phase, due, 0, job.generation(), null, null, true);
  }

  private SyncJobs.Outcome failed(
      SyncJobs.Job job,
      Binding binding,
      String phase,
      StoredCalendar current,
      ExchangeException e) {
    Instant now = clock.instant();
    metrics.failure(e.kind());
    switch (e.kind()) {
      case CURSOR_LOST -> {
        // Read everything again; upserts by id mean nothing is duplicated, the sweep removes what
        // is gone.
        store.restartFullRead(binding.id());
        return new SyncJobs.Outcome(
            SyncJobs.ALL, now, 0, job.generation() + 1, e.code(), e.getMessage(), false);
      }
      case CALENDAR_GONE -> {
        if (current != null) {
          store.deleteCalendar(current.id());
        }
        return new SyncJobs.Outcome(
            phase, now, job.attempts(), job.generation(), e.code(), e.getMessage(), false);
      }
      case PERMANENT -> {
        bindings.fail(binding.id(), e.code() + ": " + e.getMessage(), now);
        events.failed(binding, e.code() + ": " + e.getMessage());
        return new SyncJobs.Outcome(
            SyncJobs.STOPPED,
            SyncJobs.NEVER,
            job.attempts(),
            job.generation(),
            e.code(),
            e.getMessage(),
            false);
      }
      default -> {
        int attempts = job.attempts() + 1;
        int limit =
            e.kind() == ExchangeException.Kind.THROTTLED
                ? settings.maxAttempts() * 3
                : settings.maxAttempts();
        if (attempts > limit) {
          String reason =
              "retries exhausted after "
                  + (attempts - 1)
                  + " attempts; last: "
                  + e.code()
                  + ": "
                  + e.getMessage();
          bindings.fail(binding.id(), reason, now);
          events.failed(binding, reason);
          return new SyncJobs.Outcome(
              SyncJobs.STOPPED,
              SyncJobs.NEVER,
              attempts,
              job.generation(),
              e.code(),
              e.getMessage(),
              false);
        }
        Duration delay = e.retryAfter() != null ? e.retryAfter() : backoff(attempts);
        if (e.kind() == ExchangeException.Kind.THROTTLED) {
          metrics.throttled(delay);
        }
        events.retrying(binding, e, attempts, delay);
        return new SyncJobs.Outcome(
            phase, now.plus(delay), attempts, job.generation(), e.code(), e.getMessage(), false);
      }
    }
  }

  /** Exponential with full jitter between half and all of it, bounded. */
  private Duration backoff(int attempts) {
    long base = settings.backoffBase().toMillis();
    long max = settings.backoffMax().toMillis();
    long exp = Math.min(max, base << Math.min(20, attempts - 1));
    return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
  }
}
