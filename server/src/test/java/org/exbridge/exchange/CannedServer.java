package org.exbridge.exchange;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/**
 * A loopback HTTP server that answers with queued canned replies, and remembers what it was sent.
 */
public final class CannedServer implements AutoCloseable {
  public record Canned(
      Predicate<String> matches, int status, String body, Map<String, String> headers) {}

  public record Received(
      String method, String uri, String body, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private final Deque<Canned> replies = new ConcurrentLinkedDeque<>();
  private final List<Received> received = new ArrayList<>();

  public CannedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String uri = exchange.getRequestURI().toString();
          synchronized (received) {
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    uri,
                    body,
                    Map.copyOf(exchange.getRequestHeaders())));
          }
          Canned reply = null;
          for (Canned c : replies) {
            if (c.matches().test(uri + "\n" + body)) {
              reply = c;
              break;
            }
          }
          if (reply != null) {
            replies.remove(reply);
          }
          int status = reply == null ? 599 : reply.status();
          byte[] bytes =
              (reply == null ? "no canned reply" : reply.body()).getBytes(StandardCharsets.UTF_8);
          if (reply != null) {
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
          }
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
          exchange.close();
        });
    server.start();
  }

  /** Queues a reply for the next request whose URI or body contains {@code marker}. */
  public CannedServer on(String marker, int status, String body, Map<String, String> headers) {
    replies.add(new Canned(s -> s.contains(marker), status, body, headers));
    return this;
  }

  public CannedServer on(String marker, int status, String body) {
    return on(marker, status, body, Map.of());
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
