package org.exbridge.directory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/** Issues random access tokens and resolves them; only their hashes are stored. */
@Repository
public class AccessTokens {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration ttl;

  AccessTokens(JdbcClient jdbc, Clock clock, @Value("${exbridge.token-ttl}") Duration ttl) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * What a token stands for: the app it was issued to and, for user tokens only, the user ({@code
   * user} as the directory holds it now, if it still does).
   */
  public record Grant(
      TokenKind kind, App app, String tenantKey, String userId, Instant expiresAt, User user) {}

  public record Issued(String token, Duration expiresIn) {}

  public Issued issue(TokenKind kind, String appId, String tenantKey, String userId) {
    String token = kind.prefix() + Secrets.random("", 40);
    Instant expiresAt = clock.instant().plus(ttl);
    jdbc.sql(
            "insert into access_token (token_hash, kind, app_id, tenant_key, user_id, expires_at)"
                + " values (?, ?, ?, ?, ?, ?)")
        .params(Secrets.hash(token), kind.name(), appId, tenantKey, userId, Times.sql(expiresAt))
        .update();
    return new Issued(token, ttl);
  }

  /** The grant behind a token, expired or not; empty for a token never issued. */
  public Optional<Grant> find(String token) {
    return jdbc.sql(
            // The user comes in the same read: every call with a user token needs it.
            "select t.kind, t.tenant_key as token_tenant, t.user_id, t.expires_at, a.app_id, a.tenant_key, a.name,"
                + " a.scopes, a.created_at, u.tenant_key as u_tenant_key, u.user_id as u_user_id,"
                + " u.union_id as u_union_id, u.name as u_name, u.email as u_email,"
                + " u.super_admin as u_super_admin, u.status as u_status"
                + " from access_token t join app a on a.app_id = t.app_id"
                + " left join directory_user u on u.tenant_key = t.tenant_key and u.user_id = t.user_id"
                + " where t.token_hash = ?")
        .param(Secrets.hash(token))
        .query(
            (rs, n) ->
                new Grant(
                    TokenKind.valueOf(rs.getString("kind")),
                    Apps.map(rs, n),
                    rs.getString("token_tenant"),
                    rs.getString("user_id"),
                    Times.instant(rs, "expires_at"),
                    rs.getString("u_user_id") == null ? null : Users.map(rs, "u_")))
        .optional();
  }

  /** Forgets tokens that expired more than a day ago, so they stop taking space. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  public int purgeExpired() {
    return jdbc.sql("delete from access_token where expires_at < ?")
        .param(Times.sql(clock.instant().minus(Duration.ofDays(1))))
        .update();
  }
}
