package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.exbridge.binding.Binding;
import org.exbridge.binding.BindingIdCodec;
import org.exbridge.binding.BindingStatus;
import org.exbridge.binding.Bindings;
import org.exbridge.binding.EmailAddress;
import org.exbridge.binding.ExchangeBindingService;
import org.exbridge.calendar.ItemProblems;
import org.exbridge.sync.SyncControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of every binding, with its status and, after a failure, the reason. */
@RestController
final class BindingsAdminController {
  private static final int MAX_LIMIT = 1000;
  private final Bindings bindings;
  private final SyncControl sync;
  private final ItemProblems problems;
  private final org.exbridge.calendar.CalendarEdits edits;
  private final org.exbridge.push.PushStore push;
  private final ExchangeBindingService service;

  BindingsAdminController(
      ExchangeBindingService service,
      Bindings bindings,
      SyncControl sync,
      ItemProblems problems,
      org.exbridge.calendar.CalendarEdits edits,
      org.exbridge.push.PushStore push) {
    this.service = service;
    this.edits = edits;
    this.push = push;
    this.bindings = bindings;
    this.sync = sync;
    this.problems = problems;
  }

  record BindingView(
      String exchangeBindingId,
      String tenantKey,
      String adminAccount,
      String exchangeAccount,
      String userId,
      String status,
      String reason,
      Instant createdAt,
      Instant updatedAt) {}

  record BindingList(List<BindingView> bindings, String nextCursor) {}

  record ProgressView(
      String exchangeBindingId,
      String tenantKey,
      String adminAccount,
      String exchangeAccount,
      String userId,
      String status,
      String reason,
      String phase,
      int calendarsSynced,
      int eventsSynced,
      Integer eventsTotalEstimate,
      int progressPercent,
      Instant lastSuccessfulRound,
      Instant nextAttemptAt,
      int attempts,
      String lastErrorCode,
      String lastErrorMessage,
      int itemProblemCount,
      List<ItemProblems.Seen> itemProblems,
      org.exbridge.calendar.CalendarEdits.Writes writes,
      PushView push) {}

  /**
   * The binding's push channel: {@code state} active, broken (being re-established; polled
   * meanwhile), unavailable (this mailbox cannot be pushed; polled) or none (not subscribed yet, or
   * push off); {@code healthy} decides whether rounds run at the safety interval.
   */
  record PushView(
      String protocol,
      String state,
      boolean healthy,
      Instant activeSince,
      long notifications,
      Instant lastNotificationAt,
      Instant expiresAt,
      String lastError) {}

  private PushView push(Binding b) {
    var row = push.row(b.id()).orElse(null);
    if (row == null) {
      return new PushView(null, "none", false, null, 0, null, null, null);
    }
    return new PushView(
        row.protocol(),
        row.state(),
        sync.pushHealthy(b.id()),
        row.activeSince(),
        row.notifications(),
        row.lastNotificationAt(),
        row.expiresAt(),
        row.lastError());
  }

  @GetMapping(path = "/admin/api/v1/bindings/**", produces = MediaType.APPLICATION_JSON_VALUE)
  ProgressView progress(HttpServletRequest request) {
    Binding b = binding(request, "/admin/api/v1/bindings/", "");
    var p = sync.progress(b).orElseThrow(() -> Problems.notFound("the binding has no sync job"));
    return new ProgressView(
        b.exchangeBindingId(),
        b.tenantKey(),
        b.adminAccount(),
        b.exchangeAccount(),
        b.userId(),
        b.status().wire(),
        b.reason(),
        p.phase(),
        p.calendars(),
        p.events(),
        p.eventsTotalEstimate(),
        percent(b.status(), p.events(), p.eventsTotalEstimate()),
        p.lastSuccessAt(),
        p.nextAttemptAt(),
        p.attempts(),
        p.lastErrorCode(),
        p.lastError(),
        problems.count(b.id()),
        problems.latest(b.id(), 50),
        edits.writes(b.id(), 50),
        push(b));
  }

  @PostMapping(path = "/admin/api/v1/bindings/**", produces = MediaType.APPLICATION_JSON_VALUE)
  ProgressView resync(HttpServletRequest request) {
    if (!request.getRequestURI().endsWith("/resync")) {
      throw Problems.notFound("no such operation");
    }
    Binding b = binding(request, "/admin/api/v1/bindings/", "/resync");
    sync.resync(b);
    return progress(
        new HttpServletRequestWrapper(request) {
          @Override
          public String getRequestURI() {
            return "/admin/api/v1/bindings/" + b.exchangeBindingId();
          }
        });
  }

  /**
   * How far the first sync has come: 100 at done; before it, the share of the estimated events
   * stored, at least what the status implies and at most 99 (the estimate counts series, the store
   * changed occurrences too); 0 in err.
   */
  static int percent(BindingStatus status, int events, Integer estimate) {
    int floor =
        switch (status) {
          case DONE -> 100;
          case ERR -> 0;
          case DOING -> 2;
          case CAL_DONE -> 10;
          case TIMESPAN_DONE -> 40;
        };
    if (floor == 100 || floor == 0 || estimate == null || estimate <= 0) {
      return floor;
    }
    return Math.min(99, Math.max(floor, (int) (100L * events / estimate)));
  }

  /**
   * The binding an operator path names; ids are base64 and may hold '/', so the rest of the path is
   * the id.
   */
  private Binding binding(HttpServletRequest request, String prefix, String suffix) {
    String uri = request.getRequestURI();
    // "/**" also matches the bare collection path: there is no id to read then.
    if (!uri.startsWith(prefix) || uri.length() <= prefix.length() + suffix.length()) {
      throw Problems.notFound(
          "name a binding: "
              + request.getMethod()
              + " "
              + prefix
              + "{exchange_binding_id}"
              + suffix);
    }
    String raw = uri.substring(prefix.length(), uri.length() - suffix.length());
    String id;
    try {
      id = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problems.badRequest("not an exchange_binding_id: a malformed %-escape");
    }
    var accounts =
        BindingIdCodec.decode(id)
            .orElseThrow(() -> Problems.badRequest("not an exchange_binding_id: " + id));
    return bindings
        .byAccounts(accounts.adminAccount(), accounts.exchangeAccount())
        .orElseThrow(() -> Problems.notFound("no such binding"));
  }

  /**
   * Bindings oldest first, narrowed by tenant, status, admin account or Exchange account; {@code
   * next_cursor}, when there may be more, is passed back as {@code cursor}.
   */
  @GetMapping(path = "/admin/api/v1/bindings", produces = MediaType.APPLICATION_JSON_VALUE)
  BindingList list(
      @RequestParam(name = "tenant_key", required = false) String tenantKey,
      @RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "admin_account", required = false) String adminAccount,
      @RequestParam(name = "exchange_account", required = false) String exchangeAccount,
      @RequestParam(name = "cursor", required = false) String cursor,
      @RequestParam(name = "limit", defaultValue = "1000") int limit) {
    BindingStatus wanted =
        status == null
            ? null
            : BindingStatus.parse(status)
                .orElseThrow(
                    () -> badRequest("status must be doing, cal_done, timespan_done, done or err"));
    if (limit < 1 || limit > MAX_LIMIT) {
      throw badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    long after;
    try {
      String key = Paging.after(cursor);
      after = key == null ? 0 : Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw badRequest("cursor is not one this server gave out");
    }
    var filter =
        new Bindings.Filter(
            tenantKey,
            wanted,
            adminAccount == null ? null : EmailAddress.normalise(adminAccount.trim()),
            exchangeAccount == null ? null : EmailAddress.normalise(exchangeAccount.trim()));
    Paging.Page<BindingView> page =
        Paging.page(
            bindings.list(filter, after, limit + 1),
            limit,
            b -> Long.toString(b.id()),
            BindingsAdminController::view);
    return new BindingList(page.items(), page.nextCursor());
  }

  /** Unbinds, as the platform's delete does: the binding, its job and its calendars go. */
  @DeleteMapping(path = "/admin/api/v1/bindings/**", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void unbind(HttpServletRequest request) {
    Binding b = binding(request, "/admin/api/v1/bindings/", "");
    service.delete(b.tenantKey(), b.exchangeBindingId());
  }

  private static BindingView view(Binding b) {
    return new BindingView(
        b.exchangeBindingId(),
        b.tenantKey(),
        b.adminAccount(),
        b.exchangeAccount(),
        b.userId(),
        b.status().wire(),
        b.reason(),
        b.createdAt(),
        b.updatedAt());
  }
}
