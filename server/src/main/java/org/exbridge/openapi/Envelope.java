package org.exbridge.openapi;

import java.util.Map;

/**
 * The platform's response body: {@code {"code","msg","data"}}, plus {@code error.log_id} on
 * failures.
 */
public record Envelope(int code, String msg, Object data, ErrorDetail error) {
  private static final Map<String, Object> EMPTY = Map.of();

  public record ErrorDetail(String logId) {}

  public static Envelope success(Object data) {
    return new Envelope(0, "success", data == null ? EMPTY : data, null);
  }

  public static Envelope failure(int code, String msg, String logId) {
    return new Envelope(code, msg, EMPTY, logId == null ? null : new ErrorDetail(logId));
  }
}
