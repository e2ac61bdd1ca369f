package org.exbridge.push;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where Microsoft Graph delivers: the validation handshake (echo {@code validationToken} as
 * text/plain), change notifications and lifecycle notifications. A notification is believed only if
 * its subscription is one of ours and its clientState hashes to the stored hash; it then makes the
 * binding's job due, and nothing else. The answer is 202 at once: the round runs later.
 */
@RestController
class GraphNotificationController {
  private static final Logger log = LoggerFactory.getLogger(GraphNotificationController.class);

  /** Graph sends at most a few hundred notifications a request; this is far above. */
  static final int MAX_BODY = 1 << 20;

  static final int MAX_TOKEN = 4096;

  private final PushStore store;
  private final PushSignals signals;
  private final GraphPush graph;
  private final JsonMapper json;

  GraphNotificationController(
      PushStore store, PushSignals signals, GraphPush graph, JsonMapper json) {
    this.store = store;
    this.signals = signals;
    this.graph = graph;
    this.json = json;
  }

  @PostMapping(GraphPush.NOTIFICATIONS_PATH)
  ResponseEntity<String> notifications(
      @RequestParam(name = "validationToken", required = false) String validationToken,
      HttpServletRequest request)
      throws IOException {
    return receive(
        validationToken, request, (row, n) -> signals.changed(row.bindingId(), GraphPush.PROTOCOL));
  }

  @PostMapping(GraphPush.LIFECYCLE_PATH)
  ResponseEntity<String> lifecycle(
      @RequestParam(name = "validationToken", required = false) String validationToken,
      HttpServletRequest request)
      throws IOException {
    return receive(
        validationToken,
        request,
        (row, n) -> {
          String event = n.path("lifecycleEvent").asString("");
          if (!event.isEmpty()) {
            log.info(
                "Graph lifecycle notification {} for the subscription of binding {}",
                event,
                row.bindingId());
            graph.lifecycle(row, event);
          }
        });
  }

  /** The handshake, or each notification whose clientState proves it ours; 202 at once. */
  private ResponseEntity<String> receive(
      String validationToken,
      HttpServletRequest request,
      java.util.function.BiConsumer<PushStore.Row, JsonNode> believed)
      throws IOException {
    if (validationToken != null) {
      return echo(validationToken);
    }
    for (JsonNode n : notificationsOf(request)) {
      PushStore.Row row = believed(n);
      if (row != null) {
        believed.accept(row, n);
      }
    }
    return ResponseEntity.accepted().build();
  }

  /** The handshake: the decoded token back, as plain text, and nothing a browser would run. */
  private static ResponseEntity<String> echo(String token) {
    if (token.length() > MAX_TOKEN) {
      return ResponseEntity.badRequest()
          .contentType(MediaType.TEXT_PLAIN)
          .body("validationToken is too long");
    }
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(token);
  }

  private Iterable<JsonNode> notificationsOf(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      signals.dropped(GraphPush.PROTOCOL, "too_large");
      return java.util.List.of();
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (RuntimeException e) {
      signals.dropped(GraphPush.PROTOCOL, "malformed");
      return java.util.List.of();
    }
    JsonNode value = root == null ? null : root.path("value");
    if (value == null || !value.isArray()) {
      signals.dropped(GraphPush.PROTOCOL, "malformed");
      return java.util.List.of();
    }
    return value;
  }

  /** The subscription row a notification belongs to, if its clientState proves it; else null. */
  private PushStore.Row believed(JsonNode n) {
    String id = n.path("subscriptionId").asString(null);
    String clientState = n.path("clientState").asString(null);
    if (id == null || id.length() > 600) {
      signals.dropped(GraphPush.PROTOCOL, "unknown");
      return null;
    }
    PushStore.Row row = store.bySubscription(id).orElse(null);
    if (row == null || row.clientStateHash() == null) {
      signals.dropped(GraphPush.PROTOCOL, "unknown");
      return null;
    }
    if (clientState == null
        || !MessageDigest.isEqual(
            GraphPush.hash(clientState).getBytes(StandardCharsets.US_ASCII),
            row.clientStateHash().getBytes(StandardCharsets.US_ASCII))) {
      signals.dropped(GraphPush.PROTOCOL, "client_state");
      log.warn(
          "a Graph notification for the subscription of binding {} carried a wrong clientState;"
              + " dropped",
          row.bindingId());
      return null;
    }
    return row;
  }
}
