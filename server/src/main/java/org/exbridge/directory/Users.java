package org.exbridge.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

@Repository
public class Users {
  private static final String COLUMNS =
      "u.tenant_key, u.user_id, u.union_id, u.name, u.email, u.super_admin, u.status";
  private final JdbcClient jdbc;
  private final Clock clock;
  private final TransactionTemplate tx;

  Users(JdbcClient jdbc, Clock clock, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.tx = tx;
  }

  public record Changes(String name, String email, boolean superAdmin, UserStatus status) {}

  /**
   * Creates or updates the user; a new user gets a union_id and an open_id for each app of the
   * tenant.
   */
  public User put(String tenantKey, String userId, Changes changes) {
    for (int attempt = 0; ; attempt++) {
      try {
        return tx.execute(status -> putOnce(tenantKey, userId, changes));
      } catch (DuplicateKeyException e) {
        if (attempt > 0) {
          throw e;
        }
        // a concurrent PUT created the same user first: apply ours as an update
      }
    }
  }

  private User putOnce(String tenantKey, String userId, Changes c) {
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                "update directory_user set name = ?, email = ?, super_admin = ?, status = ?, updated_at = ?"
                    + " where tenant_key = ? and user_id = ?")
            .params(
                c.name(),
                c.email(),
                c.superAdmin(),
                c.status().wire(),
                Times.sql(now),
                tenantKey,
                userId)
            .update();
    if (updated == 0) {
      jdbc.sql(
              "insert into directory_user (tenant_key, user_id, union_id, name, email, super_admin, status,"
                  + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              tenantKey,
              userId,
              Secrets.random("on_", 32),
              c.name(),
              c.email(),
              c.superAdmin(),
              c.status().wire(),
              Times.sql(now),
              Times.sql(now))
          .update();
      List<String> apps =
          jdbc.sql("select app_id from app where tenant_key = ?")
              .param(tenantKey)
              .query(String.class)
              .list();
      for (String appId : apps) {
        insertOpenId(appId, tenantKey, userId);
      }
    }
    return find(tenantKey, userId).orElseThrow();
  }

  /** Gives every user of the tenant an open_id for a new app. */
  void assignOpenIds(String tenantKey, String appId) {
    List<String> ids =
        jdbc.sql("select user_id from directory_user where tenant_key = ?")
            .param(tenantKey)
            .query(String.class)
            .list();
    for (String userId : ids) {
      insertOpenId(appId, tenantKey, userId);
    }
  }

  private void insertOpenId(String appId, String tenantKey, String userId) {
    jdbc.sql("insert into user_open_id (open_id, app_id, tenant_key, user_id) values (?, ?, ?, ?)")
        .params(Secrets.random("ou_", 32), appId, tenantKey, userId)
        .update();
  }

  /**
   * The tenant's users in id order after {@code after} (null: from the first); {@code query}, when
   * given, keeps those whose id, name or e-mail holds it (case ignored).
   */
  public List<User> list(String tenantKey, String query, String after, int limit) {
    String like =
        query == null || query.isBlank()
            ? null
            : "%"
                + query
                    .trim()
                    .toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\")
                    .replace("%", "\\%")
                    .replace("_", "\\_")
                + "%";
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from directory_user u where u.tenant_key = :tenant and u.user_id > :after"
                + (like == null
                    ? ""
                    : " and (lower(u.user_id) like :like escape '\\' or lower(u.name) like :like"
                        + " escape '\\' or lower(u.email) like :like escape '\\')")
                + " order by u.user_id limit :limit")
        .param("tenant", tenantKey)
        .param("after", after == null ? "" : after)
        .param("like", like == null ? "" : like)
        .param("limit", limit)
        .query(Users::map)
        .list();
  }

  /** The tenant's user an open_id of one of its apps names. */
  public Optional<User> byOpenId(String tenantKey, String openId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from user_open_id o join directory_user u"
                + " on u.tenant_key = o.tenant_key and u.user_id = o.user_id"
                + " where o.open_id = ? and o.tenant_key = ?")
        .params(openId, tenantKey)
        .query(Users::map)
        .optional();
  }

  /** Every user of the tenant, for matching a spreadsheet of accounts by e-mail. */
  public List<User> all(String tenantKey) {
    return jdbc.sql("select " + COLUMNS + " from directory_user u where u.tenant_key = ?")
        .param(tenantKey)
        .query(Users::map)
        .list();
  }

  /** Why a user cannot be deleted, or that it was. */
  public enum Deletion {
    DELETED,
    NOT_FOUND,
    HAS_BINDINGS
  }

  /**
   * Deletes the user with its open_ids and tokens; refused while an Exchange account is bound to
   * it.
   */
  public Deletion delete(String tenantKey, String userId) {
    return tx.execute(
        status -> {
          long bound =
              jdbc.sql("select count(*) from exchange_binding where tenant_key = ? and user_id = ?")
                  .params(tenantKey, userId)
                  .query(Long.class)
                  .single();
          if (bound > 0) {
            return Deletion.HAS_BINDINGS;
          }
          jdbc.sql("delete from access_token where tenant_key = ? and user_id = ?")
              .params(tenantKey, userId)
              .update();
          jdbc.sql("delete from user_open_id where tenant_key = ? and user_id = ?")
              .params(tenantKey, userId)
              .update();
          return jdbc.sql("delete from directory_user where tenant_key = ? and user_id = ?")
                      .params(tenantKey, userId)
                      .update()
                  > 0
              ? Deletion.DELETED
              : Deletion.NOT_FOUND;
        });
  }

  public Optional<User> find(String tenantKey, String userId) {
    return jdbc.sql(
            "select " + COLUMNS + " from directory_user u where u.tenant_key = ? and u.user_id = ?")
        .params(tenantKey, userId)
        .query(Users::map)
        .optional();
  }

  /**
   * The user of the tenant that {@code id} names, read as {@code type} from the point of view of
   * {@code appId}.
   */
  public Optional<User> resolve(String tenantKey, String appId, UserIdType type, String id) {
    return switch (type) {
      case USER_ID -> find(tenantKey, id);
      case UNION_ID ->
          jdbc.sql(
                  "select "
                      + COLUMNS
                      + " from directory_user u where u.tenant_key = ? and u.union_id = ?")
              .params(tenantKey, id)
              .query(Users::map)
              .optional();
      case OPEN_ID ->
          jdbc.sql(
                  "select "
                      + COLUMNS
                      + " from user_open_id o join directory_user u"
                      + " on u.tenant_key = o.tenant_key and u.user_id = o.user_id"
                      + " where o.open_id = ? and o.app_id = ? and o.tenant_key = ?")
              .params(id, appId, tenantKey)
              .query(Users::map)
              .optional();
    };
  }

  /** The id of the given type, as {@code appId} sees it, of the tenant's user {@code userId}. */
  public Optional<String> idOf(String tenantKey, String userId, String appId, UserIdType type) {
    return switch (type) {
      case USER_ID -> Optional.of(userId);
      case UNION_ID ->
          jdbc.sql("select union_id from directory_user where tenant_key = ? and user_id = ?")
              .params(tenantKey, userId)
              .query(String.class)
              .optional();
      case OPEN_ID ->
          jdbc.sql(
                  "select open_id from user_open_id where app_id = ? and tenant_key = ? and user_id = ?")
              .params(appId, tenantKey, userId)
              .query(String.class)
              .optional();
    };
  }

  /** open_id per app_id. */
  public Map<String, String> openIds(String tenantKey, String userId) {
    Map<String, String> result = new LinkedHashMap<>();
    jdbc.sql(
            "select app_id, open_id from user_open_id where tenant_key = ? and user_id = ? order by app_id")
        .params(tenantKey, userId)
        .query(
            rs -> {
              result.put(rs.getString("app_id"), rs.getString("open_id"));
            });
    return result;
  }

  private static User map(ResultSet rs, int row) throws SQLException {
    return map(rs, "");
  }

  /** A user from columns named as {@link #COLUMNS} names them, each with {@code prefix} before. */
  static User map(ResultSet rs, String prefix) throws SQLException {
    return new User(
        rs.getString(prefix + "tenant_key"),
        rs.getString(prefix + "user_id"),
        rs.getString(prefix + "union_id"),
        rs.getString(prefix + "name"),
        rs.getString(prefix + "email"),
        rs.getBoolean(prefix + "super_admin"),
        UserStatus.parse(rs.getString(prefix + "status")).orElse(UserStatus.DISMISSED));
  }
}
