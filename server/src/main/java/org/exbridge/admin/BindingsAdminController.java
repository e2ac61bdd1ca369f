package org.exbridge.admin;

import static org.exbridge.admin.Problems.badRequest;

import java.time.Instant;
import java.util.List;
import org.exbridge.binding.Binding;
import org.exbridge.binding.BindingStatus;
import org.exbridge.binding.Bindings;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of every binding, with its status and, after a failure, the reason. */
@RestController
final class BindingsAdminController {
  private static final int MAX_LIMIT = 1000;
  private final Bindings bindings;

  BindingsAdminController(Bindings bindings) {
    this.bindings = bindings;
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

  record BindingList(List<BindingView> bindings) {}

  @GetMapping(path = "/admin/api/v1/bindings", produces = MediaType.APPLICATION_JSON_VALUE)
  BindingList list(
      @RequestParam(name = "tenant_key", required = false) String tenantKey,
      @RequestParam(name = "status", required = false) String status,
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
    return new BindingList(
        bindings.list(tenantKey, wanted, limit).stream()
            .map(BindingsAdminController::view)
            .toList());
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
