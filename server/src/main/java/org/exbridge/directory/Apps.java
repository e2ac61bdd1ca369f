package org.exbridge.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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

  /** The tenant's apps in id order after {@code after} (null: from the first). */
  public List<App> list(String tenantKey, String after, int limit) {
    return jdbc.sql(
            "select app_id, tenant_key, name, scopes, created_at from app where tenant_key = ?"
                + " and app_id > ? order by app_id limit ?")
        .params(tenantKey, after == null ? "" : after, limit)
        .query(Apps::map)
        .list();
  }

  /**
   * A new secret for the app, shown once; the old one stops working at once, and so do the tenant
   * and app access tokens obtained with it (user tokens, which the operator issued, stay).
   */
  @Transactional
  public Optional<String> rotateSecret(String appId) {
    String secret = Secrets.random("", 32);
    int updated =
        jdbc.sql("update app set secret_hash = ? where app_id = ?")
            .params(Secrets.hash(secret), appId)
            .update();
    if (updated == 0) {
      return Optional.empty();
    }
    jdbc.sql("delete from access_token where app_id = ? and kind <> ?")
        .params(appId, TokenKind.USER.name())
        .update();
    return Optional.of(secret);
  }

  /** Deletes the app, its users' open_ids for it and its tokens. */
  @Transactional
  public boolean delete(String appId) {
    jdbc.sql("delete from access_token where app_id = ?").param(appId).update();
    jdbc.sql("delete from user_open_id where app_id = ?").param(appId).update();
    return jdbc.sql("delete from app where app_id = ?").param(appId).update() > 0;
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
