package org.exbridge.binding;

import java.time.Clock;
import java.util.Optional;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.BindingRefused.Reason;
import org.exbridge.directory.User;
import org.exbridge.directory.UserIdType;
import org.exbridge.directory.Users;
import org.exbridge.sync.SyncJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rules of the Exchange binding resource: who may bind what, idempotent creation, one user per
 * Exchange account, and the first sync job enqueued with the binding.
 */
@Service
public class ExchangeBindingService {
  private static final Logger log = LoggerFactory.getLogger("org.exbridge.binding.events");
  private final Bindings bindings;
  private final AdminAccounts adminAccounts;
  private final Users users;
  private final SyncJobs jobs;
  private final TransactionTemplate tx;
  private final Clock clock;

  ExchangeBindingService(
      Bindings bindings,
      AdminAccounts adminAccounts,
      Users users,
      SyncJobs jobs,
      TransactionTemplate tx,
      Clock clock) {
    this.bindings = bindings;
    this.adminAccounts = adminAccounts;
    this.users = users;
    this.jobs = jobs;
    this.tx = tx;
    this.clock = clock;
  }

  /** What the caller asks to bind; {@code userId} is read as the request's user_id_type. */
  public record CreateRequest(String adminAccount, String exchangeAccount, String userId) {}

  /**
   * Binds the Exchange account to the user, or returns the existing binding of the same triple.
   *
   * @param tenantKey the caller's tenant
   * @param appId the calling app, through which open_ids are read
   */
  public Binding create(String tenantKey, String appId, UserIdType idType, CreateRequest request) {
    String admin = account("admin_account", request.adminAccount());
    String exchange = account("exchange_account", request.exchangeAccount());
    if (request.userId() == null || request.userId().isBlank()) {
      throw new BindingRefused(Reason.INVALID_PARAMETERS, "user_id is required");
    }
    if (request.userId().length() > 500) {
      throw new BindingRefused(Reason.INVALID_PARAMETERS, "user_id must be at most 500 characters");
    }
    AdminAccount profile =
        adminAccounts
            .find(admin)
            .orElseThrow(
                () ->
                    new BindingRefused(
                        Reason.ADMIN_ACCOUNT_NOT_FOUND, "admin account is not found: " + admin));
    if (!profile.tenantKey().equals(tenantKey)) {
      throw new BindingRefused(
          Reason.ADMIN_ACCOUNT_OF_OTHER_TENANT,
          "admin account " + admin + " is not bound to the current tenant");
    }
    if (profile.status() == AdminAccount.VerificationStatus.FAILED) {
      throw new BindingRefused(
          Reason.ADMIN_ACCOUNT_FAILED,
          "admin account "
              + admin
              + " failed its last connection check; the operator fixes it in the exbridge console"
              + " (/admin/) or with PUT /admin/api/v1/tenants/"
              + tenantKey
              + "/exchange_admin_accounts/"
              + admin
              + ", then checks it again");
    }
    User user =
        users
            .resolve(tenantKey, appId, idType, request.userId())
            .filter(User::active)
            .orElseThrow(
                () ->
                    new BindingRefused(
                        Reason.USER_NOT_IN_TENANT,
                        "user "
                            + request.userId()
                            + " ("
                            + idType.wire()
                            + ") is dismissed or not in the tenant"));

    // A create racing another create or a delete of the same account: look again, a few times.
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<Binding> existing = bindings.inTenant(tenantKey, exchange);
      if (existing.isEmpty()) {
        Binding bound;
        try {
          bound =
              tx.execute(
                  status -> {
                    long id =
                        bindings.insert(tenantKey, admin, exchange, user.userId(), clock.instant());
                    jobs.enqueueInitialSync(id);
                    return bindings.inTenant(tenantKey, exchange).orElseThrow();
                  });
        } catch (DuplicateKeyException raced) {
          continue;
        }
        log.info(
            "binding {}: bound {} to user {} in tenant {} through {}",
            bound.exchangeBindingId(),
            exchange,
            user.userId(),
            tenantKey,
            admin);
        return bound;
      }
      Binding found = existing.get();
      if (found.adminAccount().equals(admin) && found.userId().equals(user.userId())) {
        return found;
      }
      throw new BindingRefused(
          Reason.INVALID_PARAMETERS,
          "exchange_account "
              + exchange
              + " is already bound to another user; delete that binding first");
    }
    throw new BindingRefused(
        Reason.INVALID_PARAMETERS,
        "exchange_account " + exchange + " was bound and unbound while this call ran; try again");
  }

  /** The caller's tenant's binding that the id names. */
  public Binding get(String tenantKey, String exchangeBindingId) {
    BindingIdCodec.Accounts accounts =
        BindingIdCodec.decode(exchangeBindingId)
            .orElseThrow(
                () -> new BindingRefused(Reason.BINDING_ID_INVALID, "exchange_binding_id invalid"));
    return bindings
        .byAccounts(accounts.adminAccount(), accounts.exchangeAccount())
        .filter(b -> b.tenantKey().equals(tenantKey))
        .orElseThrow(
            () ->
                new BindingRefused(
                    Reason.BINDING_NOT_FOUND, "exchange account binding is not found"));
  }

  /** Unbinds: the binding and its sync job go, and the Exchange account is free to bind again. */
  public void delete(String tenantKey, String exchangeBindingId) {
    Binding binding = get(tenantKey, exchangeBindingId);
    if (!bindings.delete(binding.id())) {
      throw new BindingRefused(Reason.BINDING_NOT_FOUND, "exchange account binding is not found");
    }
    log.info(
        "binding {}: unbound {} from user {} in tenant {} (status was {})",
        binding.exchangeBindingId(),
        binding.exchangeAccount(),
        binding.userId(),
        tenantKey,
        binding.status().wire());
  }

  private static String account(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new BindingRefused(Reason.INVALID_PARAMETERS, field + " is required");
    }
    if (value.length() > EmailAddress.MAX_LENGTH) {
      throw new BindingRefused(
          Reason.INVALID_PARAMETERS,
          field + " must be at most " + EmailAddress.MAX_LENGTH + " characters");
    }
    String trimmed = value.trim();
    if (!EmailAddress.isValid(trimmed)) {
      throw new BindingRefused(Reason.INVALID_PARAMETERS, field + " must be an e-mail address");
    }
    return EmailAddress.normalise(trimmed);
  }
}
