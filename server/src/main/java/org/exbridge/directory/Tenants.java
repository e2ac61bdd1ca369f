package org.exbridge.directory;

import java.time.Clock;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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

  public Optional<Tenant> find(String tenantKey) {
    return jdbc.sql("select tenant_key, name, created_at from tenant where tenant_key = ?")
        .param(tenantKey)
        .query(
            (rs, n) ->
                new Tenant(
                    rs.getString("tenant_key"),
                    rs.getString("name"),
                    Times.instant(rs, "created_at")))
        .optional();
  }
}
