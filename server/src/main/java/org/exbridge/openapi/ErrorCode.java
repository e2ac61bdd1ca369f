package org.exbridge.openapi;

/** The platform's error codes that this server returns, each with its HTTP status and message. */
public enum ErrorCode {
  INVALID_PARAMETERS(400, 190002, "invalid parameters in request"),
  INTERNAL_ERROR(500, 190003, "internal service error"),
  METHOD_RATE_LIMITED(429, 190004, "method rate limited"),
  APP_RATE_LIMITED(429, 190005, "app rate limited"),
  USER_NOT_IN_TENANT(404, 195100, "user is dismiss or not exist in the tenant"),
  NOT_SUPER_ADMIN(403, 195101, "user is not supper administrator"),
  BINDING_ID_INVALID(400, 195102, "exchange_binding_id invalid"),
  BINDING_NOT_FOUND(404, 195103, "exchange account binding is not found"),
  TENANT_MISMATCH(403, 195104, "current tenant not match"),
  ADMIN_ACCOUNT_BINDING_FAILED(403, 195105, "admin account binding failed"),
  ADMIN_ACCOUNT_NOT_FOUND(404, 195106, "admin account is not found"),
  CALENDAR_NOT_FOUND(404, 191000, "calendar not found"),
  NO_CALENDAR_ACCESS(403, 191002, "no calendar access_role"),
  EVENT_NOT_FOUND(404, 193001, "event not found"),
  TOKEN_MISSING(
      401,
      99991661,
      "Missing access token for authorization. Please make a request with token attached."),
  TOKEN_INVALID(
      401,
      99991663,
      "Invalid access token for authorization. Please make a request with token attached."),
  TOKEN_TYPE_NOT_SUPPORTED(
      401,
      99991668,
      "Invalid access token for authorization: token type not support, this API accepts user_access_token only."),
  TOKEN_EXPIRED(401, 99991677, "Authentication token expired."),
  SCOPE_MISSING(403, 99991672, "Access denied. One of the following scopes is required: %s."),
  APP_CREDENTIALS_INVALID(400, 10014, "app secret invalid"),
  APP_NOT_FOUND(400, 10003, "invalid param: app_id not found");

  private final int httpStatus;
  private final int code;
  private final String message;

  ErrorCode(int httpStatus, int code, String message) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.message = message;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int code() {
    return code;
  }

  public String message() {
    return message;
  }
}
