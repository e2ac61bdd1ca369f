package org.exbridge.admin;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Operator API failures; the edge renders them as RFC 9457 problem details. */
final class Problems {
  private Problems() {}

  static ResponseStatusException badRequest(String detail) {
    return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
  }

  static ResponseStatusException notFound(String detail) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, detail);
  }

  static ResponseStatusException conflict(String detail) {
    return new ResponseStatusException(HttpStatus.CONFLICT, detail);
  }

  static String required(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw badRequest(field + " is required");
    }
    if (value.length() > maxLength) {
      throw badRequest(field + " must be at most " + maxLength + " characters");
    }
    return value.trim();
  }
}
