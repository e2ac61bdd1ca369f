package org.exbridge.openapi;

import jakarta.servlet.http.HttpServletRequest;
import org.exbridge.binding.Binding;
import org.exbridge.binding.ExchangeBindingService;
import org.exbridge.directory.UserIdType;
import org.exbridge.directory.Users;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /open-apis/calendar/v4/exchange_bindings}: create, get and delete, as the platform defines
 * them.
 */
@RestController
final class ExchangeBindingController {
  static final String PATH = "/open-apis/calendar/v4/exchange_bindings";
  private static final String EMAIL_SCOPE = "contact:user.email:readonly";
  private static final String EMPLOYEE_ID_SCOPE = "contact:user.employee_id:readonly";

  private final UserTokenAuthenticator authenticator;
  private final ExchangeBindingService service;
  private final Users users;

  ExchangeBindingController(
      UserTokenAuthenticator authenticator, ExchangeBindingService service, Users users) {
    this.authenticator = authenticator;
    this.service = service;
    this.users = users;
  }

  /** The binding as the platform returns it; fields the app may not see are left out. */
  record BindingView(
      String adminAccount,
      String exchangeAccount,
      String userId,
      String status,
      String exchangeBindingId) {}

  record CreateBody(String adminAccount, String exchangeAccount, String userId) {}

  @PostMapping(
      path = PATH,
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Envelope create(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(name = "user_id_type", required = false) String userIdType,
      @RequestBody CreateBody body) {
    Caller caller =
        authenticator.authenticateSuperAdmin(authorization, OpenApi.CREATE_EXCHANGE_BINDING);
    UserIdType type = userIdType(userIdType);
    if (body == null) {
      throw OpenApiException.invalid("request body is required");
    }
    Binding binding =
        service.create(
            caller.tenantKey(),
            caller.app().appId(),
            type,
            new ExchangeBindingService.CreateRequest(
                body.adminAccount(), body.exchangeAccount(), body.userId()));
    return Envelope.success(view(binding, caller, type));
  }

  @GetMapping(path = PATH + "/**", produces = MediaType.APPLICATION_JSON_VALUE)
  Envelope get(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(name = "user_id_type", required = false) String userIdType,
      HttpServletRequest request) {
    Caller caller =
        authenticator.authenticateSuperAdmin(authorization, OpenApi.GET_EXCHANGE_BINDING);
    UserIdType type = userIdType(userIdType);
    Binding binding = service.get(caller.tenantKey(), bindingId(request));
    return Envelope.success(view(binding, caller, type));
  }

  @DeleteMapping(path = PATH + "/**", produces = MediaType.APPLICATION_JSON_VALUE)
  Envelope delete(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      HttpServletRequest request) {
    Caller caller =
        authenticator.authenticateSuperAdmin(authorization, OpenApi.DELETE_EXCHANGE_BINDING);
    service.delete(caller.tenantKey(), bindingId(request));
    return Envelope.success(null);
  }

  private BindingView view(Binding binding, Caller caller, UserIdType type) {
    boolean emails = caller.app().hasScope(EMAIL_SCOPE);
    String userId = null;
    if (type != UserIdType.USER_ID || caller.app().hasScope(EMPLOYEE_ID_SCOPE)) {
      userId =
          users
              .idOf(binding.tenantKey(), binding.userId(), caller.app().appId(), type)
              .orElse(null);
    }
    return new BindingView(
        emails ? binding.adminAccount() : null,
        emails ? binding.exchangeAccount() : null,
        userId,
        binding.status().wire(),
        binding.exchangeBindingId());
  }

  private static UserIdType userIdType(String value) {
    return UserIdType.parse(value)
        .orElseThrow(
            () ->
                OpenApiException.invalid("user_id_type must be one of open_id, union_id, user_id"));
  }

  /**
   * The id as sent: everything after the collection path, because the SDKs do not encode the {@code
   * /} and {@code +} that base64 ids may hold. Percent-escapes are decoded; {@code +} stays.
   */
  static String bindingId(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String raw =
        uri.substring(
            Math.min(uri.length(), request.getContextPath().length() + PATH.length() + 1));
    return PercentDecoding.decode(raw);
  }
}
