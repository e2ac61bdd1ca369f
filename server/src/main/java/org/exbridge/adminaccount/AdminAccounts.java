package org.exbridge.adminaccount;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.exbridge.directory.Times;
import org.exbridge.exchange.ExchangeConnection;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admin-account profiles; their secrets are encrypted with {@link SecretCipher} before they are
 * stored.
 */
@Repository
public class AdminAccounts {
  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final Clock clock;

  AdminAccounts(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** Admin accounts are e-mail addresses; they are kept lower-case. */
  public static String normalise(String adminAccount) {
    return adminAccount.trim().toLowerCase(Locale.ROOT);
  }

  /** The result of a put: the saved profile, or the tenant that already owns the account. */
  public sealed interface PutResult {
    record Saved(AdminAccount account) implements PutResult {}

    record OwnedByOtherTenant(String tenantKey) implements PutResult {}
  }

  /** Creates or replaces the profile; a changed profile is unverified again. */
  @Transactional
  public PutResult put(AdminAccount profile, String secret) {
    String id = profile.adminAccount();
    Optional<String> owner =
        jdbc.sql("select tenant_key from exchange_admin_account where admin_account = ? for update")
            .param(id)
            .query(String.class)
            .optional();
    if (owner.isPresent() && !owner.get().equals(profile.tenantKey())) {
      return new PutResult.OwnedByOtherTenant(owner.get());
    }
    Instant now = clock.instant();
    String ciphertext = cipher.encrypt(secret, id);
    Object[] values = {
      profile.tenantKey(),
      profile.protocol().name(),
      profile.ewsUrl(),
      profile.username(),
      profile.auth() == null ? null : profile.auth().name(),
      profile.graphUrl(),
      profile.tokenUrl(),
      profile.clientId(),
      ciphertext,
      AdminAccount.VerificationStatus.UNVERIFIED.name(),
      null,
      null,
      Times.sql(now),
      id
    };
    if (owner.isPresent()) {
      jdbc.sql(
              "update exchange_admin_account set tenant_key = ?, protocol = ?, ews_url = ?, username = ?, auth = ?,"
                  + " graph_url = ?, token_url = ?, client_id = ?, secret_ciphertext = ?, status = ?,"
                  + " last_error = ?, checked_at = ?, updated_at = ? where admin_account = ?")
          .params(values)
          .update();
    } else {
      try {
        jdbc.sql(
                "insert into exchange_admin_account (tenant_key, protocol, ews_url, username, auth, graph_url,"
                    + " token_url, client_id, secret_ciphertext, status, last_error, checked_at, updated_at,"
                    + " admin_account) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(values)
            .update();
      } catch (DuplicateKeyException e) {
        return find(id)
            .<PutResult>map(other -> new PutResult.OwnedByOtherTenant(other.tenantKey()))
            .orElseThrow(() -> e);
      }
    }
    return new PutResult.Saved(find(id).orElseThrow());
  }

  /** The tenant's admin accounts in order after {@code after} (null: from the first). */
  public List<AdminAccount> list(String tenantKey, String after, int limit) {
    return jdbc.sql(
            "select admin_account, tenant_key, protocol, ews_url, username, auth, graph_url, token_url, client_id,"
                + " status, last_error, checked_at, updated_at from exchange_admin_account"
                + " where tenant_key = ? and admin_account > ? order by admin_account limit ?")
        .params(tenantKey, after == null ? "" : after, limit)
        .query(AdminAccounts::map)
        .list();
  }

  /** How many bindings go through the admin account. */
  public long bindingCount(String adminAccount) {
    return jdbc.sql("select count(*) from exchange_binding where admin_account = ?")
        .param(normalise(adminAccount))
        .query(Long.class)
        .single();
  }

  /**
   * Deletes the admin account and its secret; false while bindings go through it, or when absent.
   */
  @Transactional
  public boolean delete(String adminAccount) {
    String id = normalise(adminAccount);
    if (bindingCount(id) > 0) {
      return false;
    }
    return jdbc.sql("delete from exchange_admin_account where admin_account = ?").param(id).update()
        > 0;
  }

  public Optional<AdminAccount> find(String adminAccount) {
    return jdbc.sql(
            "select admin_account, tenant_key, protocol, ews_url, username, auth, graph_url, token_url, client_id,"
                + " status, last_error, checked_at, updated_at from exchange_admin_account where admin_account = ?")
        .param(normalise(adminAccount))
        .query(AdminAccounts::map)
        .optional();
  }

  /** The decrypted secret, for the Exchange clients only. */
  public Optional<String> secret(String adminAccount) {
    String id = normalise(adminAccount);
    return jdbc.sql("select secret_ciphertext from exchange_admin_account where admin_account = ?")
        .param(id)
        .query(String.class)
        .optional()
        .map(ciphertext -> cipher.decrypt(ciphertext, id));
  }

  /**
   * How to reach Exchange through this admin account, secret included; for the Exchange clients
   * only.
   */
  public Optional<ExchangeConnection> connection(String adminAccount) {
    return find(adminAccount)
        .map(
            a -> {
              String secret = secret(a.adminAccount()).orElseThrow();
              return switch (a.protocol()) {
                case EWS ->
                    a.auth() == AdminAccount.EwsAuth.OAUTH
                        ? new ExchangeConnection(
                            ExchangeConnection.Protocol.EWS_OAUTH,
                            a.ewsUrl(),
                            null,
                            null,
                            null,
                            a.tokenUrl(),
                            a.clientId(),
                            secret)
                        : new ExchangeConnection(
                            a.auth() == AdminAccount.EwsAuth.NTLM
                                ? ExchangeConnection.Protocol.EWS_NTLM
                                : ExchangeConnection.Protocol.EWS_BASIC,
                            a.ewsUrl(),
                            a.username(),
                            secret,
                            null,
                            null,
                            null,
                            null);
                case GRAPH ->
                    new ExchangeConnection(
                        ExchangeConnection.Protocol.GRAPH,
                        null,
                        null,
                        null,
                        a.graphUrl(),
                        a.tokenUrl(),
                        a.clientId(),
                        secret);
              };
            });
  }

  /** Records the outcome of a connection check. */
  public void recordCheck(String adminAccount, boolean ok, String error) {
    jdbc.sql(
            "update exchange_admin_account set status = ?, last_error = ?, checked_at = ? where admin_account = ?")
        .params(
            ok
                ? AdminAccount.VerificationStatus.OK.name()
                : AdminAccount.VerificationStatus.FAILED.name(),
            ok ? null : error,
            Times.sql(clock.instant()),
            normalise(adminAccount))
        .update();
  }

  private static AdminAccount map(ResultSet rs, int row) throws SQLException {
    String auth = rs.getString("auth");
    return new AdminAccount(
        rs.getString("admin_account"),
        rs.getString("tenant_key"),
        AdminAccount.Protocol.valueOf(rs.getString("protocol")),
        rs.getString("ews_url"),
        rs.getString("username"),
        auth == null ? null : AdminAccount.EwsAuth.valueOf(auth),
        rs.getString("graph_url"),
        rs.getString("token_url"),
        rs.getString("client_id"),
        AdminAccount.VerificationStatus.valueOf(rs.getString("status")),
        rs.getString("last_error"),
        Times.instant(rs, "checked_at"),
        Times.instant(rs, "updated_at"));
  }
}
