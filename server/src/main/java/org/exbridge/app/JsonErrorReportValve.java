package org.exbridge.app;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.exbridge.openapi.EdgeErrors;
import org.exbridge.openapi.LogIds;

/**
 * Tomcat's own error page, for requests it refuses before any filter runs (a malformed
 * percent-escape in the path, say): the platform's JSON body instead of an HTML page.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    if (status == 501) {
      // Tomcat's answer to a Transfer-Encoding it does not implement: the request is malformed
      // as far as this API is concerned.
      response.setStatus(400);
      status = 400;
    }
    String body;
    if (status >= 500) {
      body = "{\"code\":190003,\"msg\":\"internal service error\",\"data\":{}}";
    } else if (String.valueOf(request.getRequestURI()).startsWith(EdgeErrors.BINDING_ID_PATH)) {
      // the only free-form text in an API path is the binding id
      body = "{\"code\":195102,\"msg\":\"exchange_binding_id invalid\",\"data\":{}}";
    } else {
      body =
          "{\"code\":190002,\"msg\":\"invalid parameters in request: malformed request\",\"data\":{}}";
    }
    try {
      if (response.getHeader(LogIds.HEADER) == null) {
        response.setHeader(LogIds.HEADER, LogIds.next());
      }
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone; nothing more to tell it
    }
  }
}
