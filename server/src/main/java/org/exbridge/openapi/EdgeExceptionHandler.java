package org.exbridge.openapi;

import jakarta.servlet.http.HttpServletRequest;
import org.exbridge.binding.BindingRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure a controller can meet into a JSON body: the platform envelope on the open
 * API, problem details on the operator API. Nothing reaches the caller as a stack trace.
 */
@RestControllerAdvice
final class EdgeExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(EdgeExceptionHandler.class);

  @ExceptionHandler(OpenApiException.class)
  ResponseEntity<Object> openApi(OpenApiException e, HttpServletRequest request) {
    return respond(request, e.error().httpStatus(), e);
  }

  @ExceptionHandler(BindingRefused.class)
  ResponseEntity<Object> bindingRefused(BindingRefused e, HttpServletRequest request) {
    ErrorCode code =
        switch (e.reason()) {
          case INVALID_PARAMETERS -> ErrorCode.INVALID_PARAMETERS;
          case USER_NOT_IN_TENANT -> ErrorCode.USER_NOT_IN_TENANT;
          case BINDING_ID_INVALID -> ErrorCode.BINDING_ID_INVALID;
          case BINDING_NOT_FOUND -> ErrorCode.BINDING_NOT_FOUND;
          case ADMIN_ACCOUNT_OF_OTHER_TENANT -> ErrorCode.TENANT_MISMATCH;
          case ADMIN_ACCOUNT_FAILED -> ErrorCode.ADMIN_ACCOUNT_BINDING_FAILED;
          case ADMIN_ACCOUNT_NOT_FOUND -> ErrorCode.ADMIN_ACCOUNT_NOT_FOUND;
        };
    String message =
        e.getMessage().equals(code.message())
            ? code.message()
            : code.message() + ": " + e.getMessage();
    return respond(request, code.httpStatus(), new OpenApiException(code, message));
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<Object> status(ResponseStatusException e, HttpServletRequest request) {
    int status = e.getStatusCode().value();
    String reason = e.getReason() != null ? e.getReason() : String.valueOf(e.getStatusCode());
    ErrorCode code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_PARAMETERS;
    return respond(request, status, new OpenApiException(code, reason));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
        return respond(request, 413, OpenApiException.invalid(tooLarge.getMessage()));
      }
    }
    return respond(
        request,
        400,
        OpenApiException.invalid("request body is not valid JSON of the expected shape"));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Object> mediaType(
      HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    return respond(request, 415, OpenApiException.invalid("Content-Type must be application/json"));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Object> notAcceptable(
      HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
    return respond(request, 406, OpenApiException.invalid("responses are application/json"));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Object> method(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    ResponseEntity<Object> response =
        respond(
            request,
            405,
            OpenApiException.invalid("method " + e.getMethod() + " is not allowed here"));
    if (e.getSupportedHttpMethods() != null) {
      return ResponseEntity.status(405)
          .headers(response.getHeaders())
          .allow(e.getSupportedHttpMethods().toArray(new org.springframework.http.HttpMethod[0]))
          .body(response.getBody());
    }
    return response;
  }

  @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
  ResponseEntity<Object> noRoute(Exception e, HttpServletRequest request) {
    return respond(
        request,
        404,
        OpenApiException.invalid(
            "no such API: " + request.getMethod() + " " + request.getRequestURI()));
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<Object> badParameter(Exception e, HttpServletRequest request) {
    return respond(request, 400, OpenApiException.invalid(e.getMessage()));
  }

  /** The database cannot be used just now (down, full, restarting): say so, and when to retry. */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    RecoverableDataAccessException.class
  })
  ResponseEntity<Object> databaseUnavailable(Exception e, HttpServletRequest request) {
    log.warn(
        "database unavailable on {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        e.getMessage());
    return respond(
        request,
        503,
        new OpenApiException(
            ErrorCode.INTERNAL_ERROR,
            "service temporarily unavailable: the database cannot be used; try again shortly",
            5));
  }

  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<Object> rejected(RequestRejectedException e, HttpServletRequest request) {
    return respond(
        request,
        400,
        OpenApiException.invalid("the request holds characters that are not allowed"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
    return respond(request, 500, OpenApiException.of(ErrorCode.INTERNAL_ERROR));
  }

  private static ResponseEntity<Object> respond(
      HttpServletRequest request, int status, OpenApiException e) {
    ResponseEntity.BodyBuilder builder = ResponseEntity.status(HttpStatus.valueOf(status));
    if (e.retryAfterSeconds() > 0) {
      builder.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    if (EdgeErrors.isAdmin(request)) {
      return builder
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(EdgeErrors.problem(status, e.detail(), request));
    }
    return builder.contentType(MediaType.APPLICATION_JSON).body(EdgeErrors.envelope(e, request));
  }
}
