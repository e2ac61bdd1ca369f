package org.exbridge.directory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class Tenants {
  private final JdbcClient jdbc;
  private final Clock clock;

  Tenants(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Creates the tenant; empty when the key is taken. */
  public Optional<Tenant> create(String tenantKey, String name) {
    Tenant tenant = new Tenant(tenantKey, name, clock.instant());
    try {
      jdbc.sql("insert into tenant (tenant_key, name, created_at) values (?, ?, ?)")
          .params(tenantKey, name, Times.sql(tenant.createdAt()))
          .update();
      return Optional.of(tenant);
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  /** Tenants in key order after {@code after} (null: from the first). */
  public List<Tenant> list(String after, int limit) {
    return jdbc.sql(
            "select tenant_key, name, created_at from tenant where tenant_key > ? order by tenant_key"
                + " limit ?")
        .params(after == null ? "" : after, limit)
        .query(Tenants::map)
        .list();
  }

  /** Why a tenant cannot be deleted, or that it was. */
  public enum Deletion {
    DELETED,
    NOT_FOUND,
    HAS_ADMIN_ACCOUNTS
  }

  /**
   * Deletes the tenant with its apps, users, tokens and imports; refused while it has Exchange
   * admin accounts (and so bindings), which must be deleted first.
   */
  @Transactional
  public Deletion delete(String tenantKey) {
    if (find(tenantKey).isEmpty()) {
      return Deletion.NOT_FOUND;
    }
    long accounts =
        jdbc.sql("select count(*) from exchange_admin_account where tenant_key = ?")
            .param(tenantKey)
            .query(Long.class)
            .single();
    if (accounts > 0) {
      return Deletion.HAS_ADMIN_ACCOUNTS;
    }
    for (String table :
        List.of("access_token", "user_open_id", "binding_import", "directory_user", "app")) {
      jdbc.sql("delete from " + table + " where tenant_key = ?").param(tenantKey).update();
    }
    jdbc.sql("delete from tenant where tenant_key = ?").param(tenantKey).update();
    return Deletion.DELETED;
  }

  public Optional<Tenant> find(String tenantKey) {
    return jdbc.sql("select tenant_key, name, created_at from tenant where tenant_key = ?")
        .param(tenantKey)
        .query(Tenants::map)
        .optional();
  }

  private static Tenant map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Tenant(
        rs.getString("tenant_key"), rs.getString("name"), Times.instant(rs, "created_at"));
  }
}
