package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;
import static org.exbridge.admin.Problems.notFound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.binding.EmailAddress;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.ExchangeSources;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Diagnoses an admin account before anyone is bound through it: verify the mailbox, list its
 * calendars, read a window of events, and record whether the account works.
 */
@RestController
final class ConnectionCheckController {
  static final int MAX_EVENTS = 5000;
  private static final Set<String> MAILBOX_CODES =
      Set.of(
          "ErrorNonExistentMailbox",
          "ErrorInvalidUser",
          "MailboxNotEnabledForRESTAPI",
          "Request_ResourceNotFound",
          "ErrorMailboxNotFound",
          "ErrorInvalidSmtpAddress");
  private final AdminAccounts accounts;
  private final ExchangeSources sources;
  private final Clock clock;

  ConnectionCheckController(AdminAccounts accounts, ExchangeSources sources, Clock clock) {
    this.accounts = accounts;
    this.sources = sources;
    this.clock = clock;
  }

  record CheckBody(String mailbox, String from, String to) {}

  @PostMapping(
      path = "/admin/api/v1/tenants/{tenantKey}/exchange_admin_accounts/{adminAccount}/check",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> check(
      @PathVariable String tenantKey,
      @PathVariable String adminAccount,
      @RequestBody CheckBody body) {
    AdminAccount account =
        accounts
            .find(adminAccount)
            .filter(a -> a.tenantKey().equals(tenantKey))
            .orElseThrow(
                () ->
                    notFound(
                        "admin account " + adminAccount + " is not bound in tenant " + tenantKey));
    if (body.mailbox() == null || !EmailAddress.isValid(body.mailbox().trim())) {
      throw badRequest("mailbox must be an e-mail address");
    }
    Instant now = clock.instant();
    Instant from = time("from", body.from(), now.minus(Duration.ofDays(30)));
    Instant to = time("to", body.to(), now.plus(Duration.ofDays(90)));
    if (!to.isAfter(from)) {
      throw badRequest("to must be after from");
    }
    String mailbox = body.mailbox().trim().toLowerCase(Locale.ROOT);
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      ExchangeSource source =
          sources.forAccount(
              account.adminAccount(), accounts.connection(account.adminAccount()).orElseThrow());
      source.verify(mailbox);
      List<SourceCalendar> calendars = source.calendars(mailbox);
      List<SourceEvent> events = new ArrayList<>();
      for (SourceCalendar calendar : calendars) {
        String cursor = null;
        do {
          SourcePage page = source.window(mailbox, calendar.id(), from, to, cursor);
          events.addAll(page.events());
          cursor = page.more() ? page.cursor() : null;
        } while (cursor != null && events.size() < MAX_EVENTS);
      }
      accounts.recordCheck(account.adminAccount(), true, null);
      result.put("ok", true);
      result.put("calendars", calendars);
      result.put("events", events);
    } catch (ExchangeException e) {
      // A mailbox that does not exist says nothing about the account; a refused login does.
      if (e.kind() == ExchangeException.Kind.PERMANENT && !MAILBOX_CODES.contains(e.code())) {
        accounts.recordCheck(account.adminAccount(), false, e.code() + ": " + e.getMessage());
      }
      Map<String, Object> error = new LinkedHashMap<>();
      error.put(
          "kind",
          switch (e.kind()) {
            case PERMANENT, CALENDAR_GONE, ITEM_GONE -> "permanent";
            case CONFLICT -> "retryable";
            case THROTTLED -> "throttled";
            case RETRYABLE, CURSOR_LOST -> "retryable";
          });
      error.put("code", e.code());
      error.put("message", e.getMessage());
      if (e.retryAfter() != null) {
        error.put("retry_after_ms", e.retryAfter().toMillis());
      }
      result.put("ok", false);
      result.put("error", error);
    }
    return result;
  }

  private static Instant time(String field, String value, Instant otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw badRequest(field + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    }
  }
}
