package org.exbridge.sync;

import java.time.Clock;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable queue of sync work: one job per binding, due at once when the binding is made. */
@Repository
public class SyncJobs {
  private final JdbcClient jdbc;
  private final Clock clock;

  SyncJobs(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Enqueues the first sync of a binding; call inside the transaction that creates it. */
  public void enqueueInitialSync(long bindingId) {
    jdbc.sql(
            "insert into sync_job (binding_id, phase, due_at, created_at) values (?, 'calendars', ?, ?)")
        .params(bindingId, Times.sql(clock.instant()), Times.sql(clock.instant()))
        .update();
  }

  public boolean hasJob(long bindingId) {
    return jdbc.sql("select count(*) from sync_job where binding_id = ?")
            .param(bindingId)
            .query(Integer.class)
            .single()
        > 0;
  }
}
