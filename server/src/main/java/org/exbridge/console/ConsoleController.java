package org.exbridge.console;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator console: three plain files served from the jar at {@code /admin/}. They hold no data
 * and no secret, so they are the only operator paths served without the token; the console asks for
 * the token and sends it with each call to the operator API.
 */
@Hidden
@RestController
public final class ConsoleController {
  /** The exact request URIs of the console's files, as sent (no other spelling is one). */
  private static final Map<String, String> FILES =
      Map.of(
          "/admin/", "console/index.html",
          "/admin/console.js", "console/console.js",
          "/admin/console.css", "console/console.css");

  private static final Set<String> METHODS = Set.of("GET", "HEAD");

  /**
   * A strict policy: scripts, styles and calls only from this server, no inline script or style, no
   * framing.
   */
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** Whether the request is for one of the console's files (served without the operator token). */
  public static boolean isConsoleFile(HttpServletRequest request) {
    return METHODS.contains(request.getMethod())
        && request.getQueryString() == null
        && (FILES.containsKey(request.getRequestURI()) || "/admin".equals(request.getRequestURI()));
  }

  @GetMapping("/admin")
  ResponseEntity<Void> slash() {
    return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY)
        .header(HttpHeaders.LOCATION, "/admin/")
        .build();
  }

  @GetMapping({"/admin/", "/admin/console.js", "/admin/console.css"})
  ResponseEntity<Resource> file(HttpServletRequest request) {
    String name = FILES.get(request.getRequestURI());
    if (name == null) {
      return ResponseEntity.notFound().build();
    }
    MediaType type =
        name.endsWith(".js")
            ? MediaType.valueOf("text/javascript;charset=UTF-8")
            : name.endsWith(".css")
                ? MediaType.valueOf("text/css;charset=UTF-8")
                : MediaType.valueOf("text/html;charset=UTF-8");
    return ResponseEntity.ok()
        .contentType(type)
        .cacheControl(CacheControl.noCache())
        .header("Content-Security-Policy", POLICY)
        .header("Referrer-Policy", "no-referrer")
        .body(new ClassPathResource(name));
  }
}
