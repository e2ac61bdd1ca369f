package org.exbridge.openapi;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes error bodies where no controller runs (filters, the servlet error page): the platform's
 * {@code {code,msg,data}} on the open API, RFC 9457 problem details on the operator API.
 */
@Component
public final class EdgeErrors {
  /** Where a path's free text is a binding id: a malformed one there is 195102. */
  public static final String BINDING_ID_PATH = "/open-apis/calendar/v4/exchange_bindings/";

  private final JsonMapper json;

  EdgeErrors(JsonMapper json) {
    this.json = json;
  }

  public static boolean isAdmin(HttpServletRequest request) {
    return OperatorPaths.isOperator(request);
  }

  public void write(
      HttpServletRequest request, HttpServletResponse response, OpenApiException failure)
      throws IOException {
    write(request, response, failure.error().httpStatus(), failure);
  }

  public void write(
      HttpServletRequest request,
      HttpServletResponse response,
      int httpStatus,
      OpenApiException failure)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(httpStatus);
    response.setCharacterEncoding("UTF-8");
    if (failure.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(failure.retryAfterSeconds()));
    }
    Object body;
    if (isAdmin(request)) {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      body = problem(httpStatus, failure.detail(), request);
    } else {
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      body = envelope(failure, request);
    }
    json.writeValue(response.getOutputStream(), body);
  }

  /** A problem-details body for the operator API. */
  public void writeProblem(
      HttpServletRequest request, HttpServletResponse response, int status, String detail)
      throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setCharacterEncoding("UTF-8");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem(status, detail, request));
  }

  public static Envelope envelope(OpenApiException failure, HttpServletRequest request) {
    return Envelope.failure(
        failure.error().code(),
        failure.getMessage(),
        (String) request.getAttribute(LogIds.ATTRIBUTE));
  }

  public static Map<String, Object> problem(int status, String detail, HttpServletRequest request) {
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", known == null ? "Error" : known.getReasonPhrase());
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    Object logId = request.getAttribute(LogIds.ATTRIBUTE);
    if (logId != null) {
      problem.put("log_id", logId);
    }
    return problem;
  }
}
