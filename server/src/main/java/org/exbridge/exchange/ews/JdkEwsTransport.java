package org.exbridge.exchange.ews;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import org.exbridge.exchange.ExchangeHttp;

/** EWS over {@code java.net.http} with Basic credentials or an OAuth bearer token. */
public final class JdkEwsTransport implements EwsTransport {
  private final ExchangeHttp http;
  private final URI endpoint;
  private final Supplier<String> authorization;
  private final Duration timeout;

  private JdkEwsTransport(
      ExchangeHttp http, URI endpoint, Supplier<String> authorization, Duration timeout) {
    this.http = http;
    this.endpoint = endpoint;
    this.authorization = authorization;
    this.timeout = timeout;
  }

  public static JdkEwsTransport basic(
      ExchangeHttp http, URI endpoint, String username, String password, Duration timeout) {
    String value =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new JdkEwsTransport(http, endpoint, () -> value, timeout);
  }

  public static JdkEwsTransport bearer(
      ExchangeHttp http, URI endpoint, Supplier<String> token, Duration timeout) {
    return new JdkEwsTransport(http, endpoint, () -> "Bearer " + token.get(), timeout);
  }

  @Override
  public Reply post(String soap, String anchorMailbox) {
    HttpRequest.Builder request = request(soap, anchorMailbox).timeout(timeout);
    ExchangeHttp.Answer answer = http.send(request.build(), "Exchange");
    return new Reply(answer.status(), answer.contentType(), answer.body());
  }

  private HttpRequest.Builder request(String soap, String anchorMailbox) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("Accept", "text/xml")
            .header("Authorization", authorization.get())
            .POST(HttpRequest.BodyPublishers.ofString(soap, StandardCharsets.UTF_8));
    if (anchorMailbox != null) {
      request.header("X-AnchorMailbox", anchorMailbox);
    }
    return request;
  }

  @Override
  public boolean streams() {
    return true;
  }

  @Override
  public Stream open(String soap, String anchorMailbox, java.util.Map<String, String> headers) {
    HttpRequest.Builder request = request(soap, anchorMailbox);
    headers.forEach(request::header);
    var response = http.open(request.build(), "Exchange", timeout);
    java.util.Map<String, String> answered = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response.headers().map().forEach((k, v) -> answered.put(k, v.isEmpty() ? "" : v.get(0)));
    return new Stream(
        response.statusCode(),
        answered.getOrDefault("Content-Type", "").toLowerCase(java.util.Locale.ROOT),
        answered,
        response.body());
  }
}
