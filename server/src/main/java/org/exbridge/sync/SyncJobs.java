package org.exbridge.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.exbridge.app.DatabaseKind;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable queue of sync work: one job per binding. Any instance claims due jobs with a lease
 * (SELECT ... FOR UPDATE SKIP LOCKED, then UPDATE, in one transaction), keeps the lease alive while
 * it works, and hands the job back with its next phase and due time. A job whose lease ran out (its
 * instance died) is claimed again by whoever comes next.
 */
@Repository
public class SyncJobs {
  public static final String CALENDARS = "calendars";
  public static final String WINDOW = "window";
  public static final String ALL = "all";
  public static final String INCREMENTAL = "incremental";
  public static final String STOPPED = "stopped";
  static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");
  private static final String COLUMNS =
      "id, binding_id, phase, attempts, generation, due_at, last_error_code, last_error, last_success_at,"
          + " push_seq, push_seen";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final DatabaseKind database;

  SyncJobs(
      JdbcClient jdbc,
      NamedParameterJdbcTemplate named,
      TransactionTemplate tx,
      Clock clock,
      DatabaseKind database) {
    this.database = database;
    this.jdbc = jdbc;
    this.named = named;
    this.tx = tx;
    this.clock = clock;
  }

  /** A job as claimed or read. */
  public record Job(
      long id,
      long bindingId,
      String phase,
      int attempts,
      int generation,
      Instant dueAt,
      String lastErrorCode,
      String lastError,
      Instant lastSuccessAt,
      long pushSeq,
      long pushSeen) {
    /** Exchange said the mailbox changed since the last round handed the job back. */
    public boolean pushed() {
      return pushSeq != pushSeen;
    }
  }

  /** Enqueues the first sync of a binding; call inside the transaction that creates it. */
  public void enqueueInitialSync(long bindingId) {
    Instant now = clock.instant();
    jdbc.sql(
            "insert into sync_job (binding_id, phase, due_at, created_at, generation) values (?, ?, ?, ?, 1)")
        .params(bindingId, CALENDARS, Times.sql(now), Times.sql(now))
        .update();
  }

  public boolean hasJob(long bindingId) {
    return jdbc.sql("select count(*) from sync_job where binding_id = ?")
            .param(bindingId)
            .query(Integer.class)
            .single()
        > 0;
  }

  public Optional<Job> forBinding(long bindingId) {
    return jdbc.sql("select " + COLUMNS + " from sync_job where binding_id = ?")
        .param(bindingId)
        .query(SyncJobs::job)
        .optional();
  }

  /** Claims up to {@code limit} due jobs for {@code owner} until {@code lease} from now. */
  public List<Job> claim(String owner, int limit, Duration lease) {
    return tx.execute(
        status -> {
          Instant now = clock.instant();
          // Ordered by due_at alone, so both databases walk the due_at index and stop at the
          // limit. On PostgreSQL instances compete, hence FOR UPDATE SKIP LOCKED; an H2 file is
          // open in one process only, whose single claiming thread needs no row locks (H2 would
          // lock every due row before applying the limit: 100 ms a claim at 10,000 bindings).
          List<Long> ids =
              jdbc.sql(
                      "select id from sync_job where due_at <= ? and (lease_until is null or lease_until < ?)"
                          + " order by due_at limit ?"
                          + (database == DatabaseKind.POSTGRESQL ? " for update skip locked" : ""))
                  .params(Times.sql(now), Times.sql(now), limit)
                  .query(Long.class)
                  .list();
          if (ids.isEmpty()) {
            return List.of();
          }
          MapSqlParameterSource params =
              new MapSqlParameterSource()
                  .addValue("owner", owner)
                  .addValue("until", Times.sql(now.plus(lease)))
                  .addValue("ids", ids);
          named.update(
              "update sync_job set locked_by = :owner, lease_until = :until where id in (:ids)",
              params);
          return named.query(
              "select " + COLUMNS + " from sync_job where id in (:ids) order by due_at, id",
              params,
              (rs, n) -> job(rs, n));
        });
  }

  /** Extends the leases {@code owner} holds on these jobs. */
  public void heartbeat(String owner, Collection<Long> ids, Duration lease) {
    if (ids.isEmpty()) {
      return;
    }
    named.update(
        "update sync_job set lease_until = :until where locked_by = :owner and id in (:ids)",
        new MapSqlParameterSource()
            .addValue("until", Times.sql(clock.instant().plus(lease)))
            .addValue("owner", owner)
            .addValue("ids", ids));
  }

  /** What a step leaves behind: the next phase and when to run it, and how the step went. */
  public record Outcome(
      String phase,
      Instant dueAt,
      int attempts,
      int generation,
      String errorCode,
      String error,
      boolean succeeded) {}

  /** Hands the job back; does nothing when the lease was lost to another instance meanwhile. */
  public boolean release(Job job, String owner, Outcome o) {
    Instant now = clock.instant();
    // A write made through the calendar API, or a notification from Exchange, while the step ran
    // made the job due then; the step's own next time must not hide it (unless the job is waiting
    // out a fault: the write and the notification wait too).
    return jdbc.sql(
                "update sync_job set phase = ?, due_at = case when ? = 0 and ? < ? and (exists (select 1 from"
                    + " outbound_write w where w.binding_id = sync_job.binding_id and w.state = 'pending')"
                    + " or (push_seq <> ? and ? = 'incremental'))"
                    + " then ? else ? end, push_seen = ?, attempts = ?, generation = ?, last_error_code = ?,"
                    + " last_error = ?, last_success_at = case when ? then ? else last_success_at end, locked_by = null,"
                    + " lease_until = null where id = ? and locked_by = ?")
            .params(
                o.phase(),
                o.attempts(),
                Times.sql(now),
                Times.sql(o.dueAt()),
                job.pushSeq(),
                o.phase(),
                Times.sql(now),
                Times.sql(o.dueAt()),
                job.pushSeq(),
                o.attempts(),
                o.generation(),
                o.errorCode() == null
                    ? null
                    : o.errorCode().substring(0, Math.min(200, o.errorCode().length())),
                o.error() == null
                    ? null
                    : o.error().substring(0, Math.min(2000, o.error().length())),
                o.succeeded(),
                Times.sql(now),
                job.id(),
                owner)
            .update()
        > 0;
  }

  /**
   * Makes the binding's job due now in {@code phase}, a fresh generation when {@code
   * newGeneration}.
   */
  public void restart(long bindingId, String phase, boolean newGeneration) {
    jdbc.sql(
            "update sync_job set phase = ?, due_at = ?, attempts = 0, last_error_code = null, last_error = null,"
                + " generation = generation + ? where binding_id = ?")
        .params(phase, Times.sql(clock.instant()), newGeneration ? 1 : 0, bindingId)
        .update();
  }

  /**
   * Exchange said these bindings' mailboxes changed: a job waiting for its next round runs it at
   * {@code at} (or sooner if it was due sooner); a job that is running, or waiting out a fault,
   * only counts the notification, and its round follows when it is handed back.
   */
  public int pushed(Collection<Long> bindingIds, Instant at) {
    if (bindingIds.isEmpty()) {
      return 0;
    }
    return named.update(
        "update sync_job set push_seq = push_seq + 1, due_at = case when phase = :incremental and"
            + " attempts = 0 and due_at > :at then :at else due_at end where binding_id in (:ids)",
        new MapSqlParameterSource()
            .addValue("incremental", INCREMENTAL)
            .addValue("at", Times.sql(at))
            .addValue("ids", bindingIds));
  }

  /**
   * Whether the binding's push channel is healthy: an active subscription, on an EWS connection
   * whose holder is alive, or a Graph subscription not yet expired.
   */
  public boolean pushHealthy(long bindingId) {
    Instant now = clock.instant();
    return jdbc.sql(
                "select count(*) from push_subscription s where s.binding_id = ? and s.state = 'active'"
                    + " and (s.expires_at is null or s.expires_at > ?) and (s.protocol = 'graph' or exists"
                    + " (select 1 from push_channel c where c.name = s.channel and c.lease_until > ?))")
            .params(bindingId, Times.sql(now), Times.sql(now))
            .query(Integer.class)
            .single()
        > 0;
  }

  private static Job job(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getLong("id"),
        rs.getLong("binding_id"),
        rs.getString("phase"),
        rs.getInt("attempts"),
        rs.getInt("generation"),
        Times.instant(rs, "due_at"),
        rs.getString("last_error_code"),
        rs.getString("last_error"),
        Times.instant(rs, "last_success_at"),
        rs.getLong("push_seq"),
        rs.getLong("push_seen"));
  }
}
