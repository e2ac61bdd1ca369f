package org.exbridge.binding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class Bindings {
  private static final String COLUMNS =
      "id, tenant_key, admin_account, exchange_account, user_id, status, reason, created_at, updated_at";
  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  Bindings(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  /**
   * Inserts a new binding in {@code doing} and returns its row id; fails on an exchange account
   * already bound in the tenant.
   */
  long insert(
      String tenantKey, String adminAccount, String exchangeAccount, String userId, Instant now) {
    jdbc.sql(
            "insert into exchange_binding (tenant_key, admin_account, exchange_account, user_id, status,"
                + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            tenantKey,
            adminAccount,
            exchangeAccount,
            userId,
            BindingStatus.DOING.wire(),
            Times.sql(now),
            Times.sql(now))
        .update();
    return inTenant(tenantKey, exchangeAccount).orElseThrow().id();
  }

  /**
   * The tenant's binding of an Exchange account. Tenants are separate Exchange organisations: the
   * same address may be bound once in each.
   */
  public Optional<Binding> inTenant(String tenantKey, String exchangeAccount) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from exchange_binding where tenant_key = ? and exchange_account = ?")
        .params(tenantKey, exchangeAccount)
        .query(Bindings::map)
        .optional();
  }

  /** The binding a binding id names: an admin account belongs to one tenant. */
  public Optional<Binding> byAccounts(String adminAccount, String exchangeAccount) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from exchange_binding where admin_account = ? and exchange_account = ?")
        .params(adminAccount, exchangeAccount)
        .query(Bindings::map)
        .optional();
  }

  public Optional<Binding> byId(long id) {
    return jdbc.sql("select " + COLUMNS + " from exchange_binding where id = ?")
        .param(id)
        .query(Bindings::map)
        .optional();
  }

  /**
   * Moves the status forward to {@code status}; a binding already there or further, or in err,
   * stays.
   */
  public boolean advance(long id, BindingStatus status, Instant now) {
    List<String> below = new ArrayList<>();
    for (BindingStatus s : BindingStatus.values()) {
      if (s.ordinal() < status.ordinal()) {
        below.add(s.wire());
      }
    }
    below.remove(BindingStatus.ERR.wire());
    NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(template);
    return named.update(
            "update exchange_binding set status = :status, reason = null, updated_at = :now where id = :id"
                + " and status in (:below)",
            new MapSqlParameterSource()
                .addValue("status", status.wire())
                .addValue("now", Times.sql(now))
                .addValue("id", id)
                .addValue("below", below))
        > 0;
  }

  /** Puts the binding in {@code err} with the reason. */
  public void fail(long id, String reason, Instant now) {
    jdbc.sql("update exchange_binding set status = ?, reason = ?, updated_at = ? where id = ?")
        .params(
            BindingStatus.ERR.wire(),
            reason.substring(0, Math.min(2000, reason.length())),
            Times.sql(now),
            id)
        .update();
  }

  /** Sets the status outright (a resync after err starts again from doing). */
  public void reset(long id, BindingStatus status, Instant now) {
    jdbc.sql("update exchange_binding set status = ?, reason = null, updated_at = ? where id = ?")
        .params(status.wire(), Times.sql(now), id)
        .update();
  }

  boolean delete(long id) {
    return jdbc.sql("delete from exchange_binding where id = ?").param(id).update() > 0;
  }

  /** Bindings for the operator, optionally narrowed to one tenant and one status, oldest first. */
  public List<Binding> list(String tenantKey, BindingStatus status, int limit) {
    return list(new Filter(tenantKey, status, null, null), 0, limit);
  }

  /** What the operator narrows a list of bindings to; null parts do not narrow. */
  public record Filter(
      String tenantKey, BindingStatus status, String adminAccount, String exchangeAccount) {}

  /** Bindings after the row id {@code afterId}, oldest first. */
  public List<Binding> list(Filter filter, long afterId, int limit) {
    String tenantKey = filter.tenantKey();
    BindingStatus status = filter.status();
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from exchange_binding where id > :after");
    JdbcClient.StatementSpec spec;
    if (tenantKey != null) {
      sql.append(" and tenant_key = :tenant");
    }
    if (status != null) {
      sql.append(" and status = :status");
    }
    if (filter.adminAccount() != null) {
      sql.append(" and admin_account = :admin");
    }
    if (filter.exchangeAccount() != null) {
      sql.append(" and exchange_account = :exchange");
    }
    sql.append(" order by id limit :limit");
    spec = jdbc.sql(sql.toString()).param("limit", limit).param("after", afterId);
    if (filter.adminAccount() != null) {
      spec = spec.param("admin", filter.adminAccount());
    }
    if (filter.exchangeAccount() != null) {
      spec = spec.param("exchange", filter.exchangeAccount());
    }
    if (tenantKey != null) {
      spec = spec.param("tenant", tenantKey);
    }
    if (status != null) {
      spec = spec.param("status", status.wire());
    }
    return spec.query(Bindings::map).list();
  }

  private static Binding map(ResultSet rs, int row) throws SQLException {
    return new Binding(
        rs.getLong("id"),
        rs.getString("tenant_key"),
        rs.getString("admin_account"),
        rs.getString("exchange_account"),
        rs.getString("user_id"),
        BindingStatus.parse(rs.getString("status")).orElse(BindingStatus.ERR),
        rs.getString("reason"),
        Times.instant(rs, "created_at"),
        Times.instant(rs, "updated_at"));
  }
}
