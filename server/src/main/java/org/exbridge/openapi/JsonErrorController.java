package org.exbridge.openapi;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page (errors raised before Spring MVC runs, e.g. a malformed
 * request line): a JSON body in the same shape as every other response.
 */
@Controller
final class JsonErrorController implements ErrorController {
  private final EdgeErrors errors;

  JsonErrorController(EdgeErrors errors) {
    this.errors = errors;
  }

  @RequestMapping("/error")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code == null) {
      // Asked for directly, not forwarded by the container: there is no such API.
      errors.write(
          request,
          response,
          404,
          OpenApiException.invalid("no such API: " + request.getMethod() + " /error"));
      return;
    }
    int status = code instanceof Integer i ? i : 500;
    if (status < 400) {
      status = 500;
    }
    OpenApiException failure =
        status >= 500
            ? OpenApiException.of(ErrorCode.INTERNAL_ERROR)
            : OpenApiException.invalid("bad request");
    errors.write(request, response, status, failure);
  }
}
