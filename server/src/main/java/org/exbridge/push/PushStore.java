package org.exbridge.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The push side's rows: one subscription per bound mailbox ({@code push_subscription}) and the
 * leases that give one instance the streaming connections of an admin account, or the Graph
 * subscription upkeep ({@code push_channel}).
 */
@Repository
public class PushStore {
  static final String ACTIVE = "active";
  static final String BROKEN = "broken";

  /** No push for this mailbox: over capacity, or the profile cannot stream. */
  static final String UNAVAILABLE = "unavailable";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate named;
  private final TransactionTemplate tx;
  private final Clock clock;

  PushStore(
      JdbcClient jdbc, NamedParameterJdbcTemplate named, TransactionTemplate tx, Clock clock) {
    this.jdbc = jdbc;
    this.named = named;
    this.tx = tx;
    this.clock = clock;
  }

  /** A binding that should be pushed: it reached its incremental rounds. */
  record Wanted(long bindingId, String adminAccount, String mailbox) {}

  /** Bindings in their incremental rounds whose admin account speaks {@code protocol}. */
  List<Wanted> wanted(String protocol) {
    return jdbc.sql(
            "select b.id, b.admin_account, b.exchange_account from exchange_binding b join sync_job j on"
                + " j.binding_id = b.id join exchange_admin_account a on a.admin_account = b.admin_account"
                + " where j.phase = 'incremental' and a.protocol = ? order by b.id")
        .param(protocol)
        .query((rs, n) -> new Wanted(rs.getLong(1), rs.getString(2), rs.getString(3)))
        .list();
  }

  /** The Exchange ids of a binding's calendar folders. */
  List<String> calendarFolders(long bindingId) {
    return jdbc.sql("select exchange_id from synced_calendar where binding_id = ? order by id")
        .param(bindingId)
        .query(String.class)
        .list();
  }

  /** A subscription row as stored. */
  public record Row(
      long bindingId,
      String protocol,
      String adminAccount,
      String mailbox,
      String subscriptionId,
      String clientStateHash,
      String channel,
      String state,
      Instant expiresAt,
      Instant activeSince,
      long notifications,
      Instant lastNotificationAt,
      String lastError) {}

  private static final String ROW_COLUMNS =
      "binding_id, protocol, admin_account, mailbox, subscription_id, client_state_hash, channel, state,"
          + " expires_at, active_since, notifications, last_notification_at, last_error";

  List<Row> rows(String protocol) {
    return jdbc.sql(
            "select "
                + ROW_COLUMNS
                + " from push_subscription where protocol = ? order by binding_id")
        .param(protocol)
        .query(PushStore::row)
        .list();
  }

  public Optional<Row> row(long bindingId) {
    return jdbc.sql("select " + ROW_COLUMNS + " from push_subscription where binding_id = ?")
        .param(bindingId)
        .query(PushStore::row)
        .optional();
  }

  Optional<Row> bySubscription(String subscriptionId) {
    return jdbc.sql("select " + ROW_COLUMNS + " from push_subscription where subscription_id = ?")
        .param(subscriptionId)
        .query(PushStore::row)
        .optional();
  }

  private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Row(
        rs.getLong("binding_id"),
        rs.getString("protocol"),
        rs.getString("admin_account"),
        rs.getString("mailbox"),
        rs.getString("subscription_id"),
        rs.getString("client_state_hash"),
        rs.getString("channel"),
        rs.getString("state"),
        Times.instant(rs, "expires_at"),
        Times.instant(rs, "active_since"),
        rs.getLong("notifications"),
        Times.instant(rs, "last_notification_at"),
        rs.getString("last_error"));
  }

  /** Records a subscription as active (inserted or replaced). */
  void active(
      long bindingId,
      String protocol,
      String adminAccount,
      String mailbox,
      String subscriptionId,
      String clientStateHash,
      String channel,
      Instant expiresAt) {
    Instant now = clock.instant();
    tx.executeWithoutResult(
        s -> {
          int updated =
              jdbc.sql(
                      "update push_subscription set protocol = ?, admin_account = ?, mailbox = ?,"
                          + " subscription_id = ?, client_state_hash = ?, channel = ?, state = 'active',"
                          + " expires_at = ?, active_since = case when state = 'active' then active_since"
                          + " else ? end, last_error = null, updated_at = ? where binding_id = ?")
                  .params(
                      protocol,
                      adminAccount,
                      mailbox,
                      subscriptionId,
                      clientStateHash,
                      channel,
                      Times.sql(expiresAt),
                      Times.sql(now),
                      Times.sql(now),
                      bindingId)
                  .update();
          if (updated == 0) {
            jdbc.sql(
                    "insert into push_subscription (binding_id, protocol, admin_account, mailbox,"
                        + " subscription_id, client_state_hash, channel, state, expires_at, active_since,"
                        + " updated_at) values (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)")
                .params(
                    bindingId,
                    protocol,
                    adminAccount,
                    mailbox,
                    subscriptionId,
                    clientStateHash,
                    channel,
                    Times.sql(expiresAt),
                    Times.sql(now),
                    Times.sql(now))
                .update();
          }
        });
  }

  /** Records that a binding has no working subscription, and why (state broken or unavailable). */
  void notActive(
      long bindingId,
      String protocol,
      String adminAccount,
      String mailbox,
      String state,
      String reason) {
    Instant now = clock.instant();
    String error = reason == null ? null : reason.substring(0, Math.min(1000, reason.length()));
    tx.executeWithoutResult(
        s -> {
          int updated =
              jdbc.sql(
                      "update push_subscription set state = ?, subscription_id = null, active_since = null,"
                          + " last_error = ?, updated_at = ? where binding_id = ?")
                  .params(state, error, Times.sql(now), bindingId)
                  .update();
          if (updated == 0) {
            jdbc.sql(
                    "insert into push_subscription (binding_id, protocol, admin_account, mailbox, state,"
                        + " last_error, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(bindingId, protocol, adminAccount, mailbox, state, error, Times.sql(now))
                .update();
          }
        });
  }

  /** Marks subscriptions broken without forgetting their ids (a connection dropped). */
  void broken(Collection<Long> bindingIds, String reason) {
    if (bindingIds.isEmpty()) {
      return;
    }
    named.update(
        "update push_subscription set state = 'broken', active_since = null, last_error = :reason,"
            + " updated_at = :now where binding_id in (:ids)",
        new MapSqlParameterSource()
            .addValue("reason", reason.substring(0, Math.min(1000, reason.length())))
            .addValue("now", Times.sql(clock.instant()))
            .addValue("ids", bindingIds));
  }

  /** Marks subscriptions active again on a connection re-established with their ids. */
  void reactivated(Collection<Long> bindingIds) {
    if (bindingIds.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    named.update(
        "update push_subscription set state = 'active', active_since = :now, last_error = null,"
            + " updated_at = :now where binding_id in (:ids) and subscription_id is not null",
        new MapSqlParameterSource().addValue("now", Times.sql(now)).addValue("ids", bindingIds));
  }

  /** Brings a subscription's renewal forward to the next upkeep (Graph asked to reauthorise). */
  void renewSoon(long bindingId, Duration renewBefore) {
    Instant soon = clock.instant().plus(renewBefore);
    jdbc.sql(
            "update push_subscription set expires_at = ?, updated_at = ? where binding_id = ? and"
                + " expires_at > ?")
        .params(Times.sql(soon), Times.sql(clock.instant()), bindingId, Times.sql(soon))
        .update();
  }

  void delete(long bindingId) {
    jdbc.sql("delete from push_subscription where binding_id = ?").param(bindingId).update();
  }

  /** Counts notifications for these bindings. */
  void notified(Collection<Long> bindingIds) {
    if (bindingIds.isEmpty()) {
      return;
    }
    named.update(
        "update push_subscription set notifications = notifications + 1, last_notification_at = :now"
            + " where binding_id in (:ids)",
        new MapSqlParameterSource()
            .addValue("now", Times.sql(clock.instant()))
            .addValue("ids", bindingIds));
  }

  // --- channels ----------------------------------------------------------------------------------

  /**
   * Takes or keeps the lease on {@code name} for {@code owner}; true when this owner holds it for
   * the next {@code lease}.
   */
  boolean lease(String name, String owner, Duration lease) {
    Instant now = clock.instant();
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              int taken =
                  jdbc.sql(
                          "update push_channel set owner = ?, lease_until = ?, updated_at = ? where name = ?"
                              + " and (owner = ? or lease_until is null or lease_until < ?)")
                      .params(
                          owner,
                          Times.sql(now.plus(lease)),
                          Times.sql(now),
                          name,
                          owner,
                          Times.sql(now))
                      .update();
              if (taken > 0) {
                return true;
              }
              boolean exists =
                  jdbc.sql("select count(*) from push_channel where name = ?")
                          .param(name)
                          .query(Integer.class)
                          .single()
                      > 0;
              if (exists) {
                return false;
              }
              try {
                jdbc.sql(
                        "insert into push_channel (name, owner, lease_until, updated_at) values (?, ?, ?, ?)")
                    .params(name, owner, Times.sql(now.plus(lease)), Times.sql(now))
                    .update();
                return true;
              } catch (org.springframework.dao.DuplicateKeyException e) {
                return false;
              }
            }));
  }

  /** Gives a lease up (this instance stops). */
  void release(String name, String owner) {
    jdbc.sql(
            "update push_channel set owner = null, lease_until = null, connections = 0 where name = ? and owner = ?")
        .params(name, owner)
        .update();
  }

  /** What the holder of a channel reports about it. */
  void report(
      String name,
      int connections,
      int subscriptions,
      long reconnects,
      Instant connectedSince,
      String lastError) {
    jdbc.sql(
            "update push_channel set connections = ?, subscriptions = ?, reconnects = ?, connected_since = ?,"
                + " last_error = ?, updated_at = ? where name = ?")
        .params(
            connections,
            subscriptions,
            reconnects,
            Times.sql(connectedSince),
            lastError == null ? null : lastError.substring(0, Math.min(1000, lastError.length())),
            Times.sql(clock.instant()),
            name)
        .update();
  }

  /** A channel as the operator sees it. */
  public record Channel(
      String name,
      String owner,
      Instant leaseUntil,
      int connections,
      int subscriptions,
      long reconnects,
      Instant connectedSince,
      String lastError) {
    public boolean alive(Instant now) {
      return leaseUntil != null && leaseUntil.isAfter(now);
    }
  }

  public List<Channel> channels() {
    return jdbc.sql(
            "select name, owner, lease_until, connections, subscriptions, reconnects, connected_since,"
                + " last_error from push_channel order by name")
        .query(
            (rs, n) ->
                new Channel(
                    rs.getString("name"),
                    rs.getString("owner"),
                    Times.instant(rs, "lease_until"),
                    rs.getInt("connections"),
                    rs.getInt("subscriptions"),
                    rs.getLong("reconnects"),
                    Times.instant(rs, "connected_since"),
                    rs.getString("last_error")))
        .list();
  }

  /** Subscriptions by protocol and state, for the gauges. */
  public record Count(String protocol, String state, long count) {}

  public List<Count> counts() {
    return jdbc.sql(
            "select protocol, state, count(*) from push_subscription group by protocol, state")
        .query((rs, n) -> new Count(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .list();
  }
}
