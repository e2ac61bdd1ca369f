package org.exbridge.binding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.exbridge.directory.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class Bindings {
  private static final String COLUMNS =
      "id, tenant_key, admin_account, exchange_account, user_id, status, reason, created_at, updated_at";
  private final JdbcClient jdbc;

  Bindings(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts a new binding in {@code doing} and returns its row id; fails on a bound exchange
   * account.
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
    return byExchangeAccount(exchangeAccount).orElseThrow().id();
  }

  public Optional<Binding> byExchangeAccount(String exchangeAccount) {
    return jdbc.sql("select " + COLUMNS + " from exchange_binding where exchange_account = ?")
        .param(exchangeAccount)
        .query(Bindings::map)
        .optional();
  }

  boolean delete(long id) {
    return jdbc.sql("delete from exchange_binding where id = ?").param(id).update() > 0;
  }

  /** Bindings for the operator, optionally narrowed to one tenant and one status, oldest first. */
  public List<Binding> list(String tenantKey, BindingStatus status, int limit) {
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from exchange_binding where 1 = 1");
    JdbcClient.StatementSpec spec;
    if (tenantKey != null) {
      sql.append(" and tenant_key = :tenant");
    }
    if (status != null) {
      sql.append(" and status = :status");
    }
    sql.append(" order by id limit :limit");
    spec = jdbc.sql(sql.toString()).param("limit", limit);
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
