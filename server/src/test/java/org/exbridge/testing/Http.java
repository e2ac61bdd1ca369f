package org.exbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP for what the SDK cannot send: odd headers, odd bodies, odd paths. */
public final class Http {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;

  public Http(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Reply(int status, Map<String, java.util.List<String>> headers, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public int code() {
      return json().get("code").asInt();
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  public Reply send(String method, String path, String bearer, String contentType, String body) {
    return publish(
        method,
        path,
        bearer,
        contentType,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
  }

  /** A body of raw bytes (not necessarily text in any encoding). */
  public Reply sendBytes(
      String method, String path, String bearer, String contentType, byte[] body) {
    return publish(method, path, bearer, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private Reply publish(
      String method,
      String path,
      String bearer,
      String contentType,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body);
    if (body.contentLength() > 1024 * 1024) {
      // As curl does for large bodies: a server that refuses the body (413) says so before it is
      // sent, instead of closing the connection on a client still sending.
      request.expectContinue(true);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply json(String method, String path, String bearer, Object body) {
    return send(
        method,
        path,
        bearer,
        "application/json",
        body == null ? null : JSON.writeValueAsString(body));
  }

  public Reply get(String path, String bearer) {
    return send("GET", path, bearer, null, null);
  }
}
