package org.exbridge.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class Apps {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Users users;

  Apps(JdbcClient jdbc, Clock clock, Users users) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.users = users;
  }

  /** An app and its secret, which is shown once and stored only as a hash. */
  public record Created(App app, String appSecret) {}

  /** Creates an app; every existing user of the tenant gets an open_id for it. */
  @Transactional
  public Created create(String tenantKey, String name, Collection<String> scopes) {
    String appId = Secrets.random("cli_", 16);
    String secret = Secrets.random("", 32);
    App app =
        new App(appId, tenantKey, name, Set.copyOf(new LinkedHashSet<>(scopes)), clock.instant());
    jdbc.sql(
            "insert into app (app_id, tenant_key, name, secret_hash, scopes, created_at) values (?, ?, ?, ?, ?, ?)")
        .params(
            appId,
            tenantKey,
            name,
            Secrets.hash(secret),
            String.join(" ", scopes),
            Times.sql(app.createdAt()))
        .update();
    users.assignOpenIds(tenantKey, appId);
    return new Created(app, secret);
  }

  public Optional<App> find(String appId) {
    return jdbc.sql("select app_id, tenant_key, name, scopes, created_at from app where app_id = ?")
        .param(appId)
        .query(Apps::map)
        .optional();
  }

  /** The app when the secret is its own. */
  public Optional<App> authenticate(String appId, String secret) {
    Optional<String> hash =
        jdbc.sql("select secret_hash from app where app_id = ?")
            .param(appId)
            .query(String.class)
            .optional();
    if (hash.isEmpty() || !Secrets.sameHash(hash.get(), Secrets.hash(secret))) {
      return Optional.empty();
    }
    return find(appId);
  }

  static App map(ResultSet rs, int row) throws SQLException {
    String scopes = rs.getString("scopes");
    Set<String> set =
        scopes.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(scopes.trim().split("\\s+")));
    return new App(
        rs.getString("app_id"),
        rs.getString("tenant_key"),
        rs.getString("name"),
        set,
        Times.instant(rs, "created_at"));
  }
}
