package org.exbridge.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.exbridge.exchange.ews.EwsClient;
import org.exbridge.exchange.ews.JdkEwsTransport;
import org.exbridge.exchange.ews.NtlmEwsTransport;
import org.exbridge.exchange.graph.GraphClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds one {@link ExchangeSource} per admin account and keeps it while the account's settings
 * stay the same, so token caches and concurrency caps are shared by every caller.
 */
public final class ExchangeSources {
  private final ExchangeHttp http;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration timeout;
  private final int ewsConcurrency;
  private final RequestObserver observer;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(ExchangeConnection connection, ExchangeSource source) {}

  public ExchangeSources(
      JsonMapper json,
      Clock clock,
      Duration timeout,
      ExchangeHttp.Limits limits,
      int ewsConcurrency,
      RequestObserver observer) {
    this.observer = observer;
    this.http =
        new ExchangeHttp(
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build(),
            limits);
    this.json = json;
    this.clock = clock;
    this.timeout = timeout;
    this.ewsConcurrency = ewsConcurrency;
  }

  /** The source for this admin account, built anew when its connection settings changed. */
  public ExchangeSource forAccount(String adminAccount, ExchangeConnection connection) {
    Cached cached =
        cache.compute(
            adminAccount,
            (key, old) ->
                old != null && old.connection().equals(connection)
                    ? old
                    : new Cached(connection, build(connection)));
    return cached.source();
  }

  private ExchangeSource build(ExchangeConnection c) {
    return switch (c.protocol()) {
      case EWS_BASIC ->
          new EwsClient(
              JdkEwsTransport.basic(
                  http, URI.create(c.ewsUrl()), c.username(), c.password(), timeout),
              ewsConcurrency,
              observer);
      case EWS_NTLM ->
          new EwsClient(
              new NtlmEwsTransport(
                  URI.create(c.ewsUrl()),
                  c.username(),
                  c.password(),
                  timeout,
                  ewsConcurrency,
                  http.limits()),
              ewsConcurrency,
              observer);
      case EWS_OAUTH -> {
        ClientCredentialsTokens tokens =
            new ClientCredentialsTokens(
                http,
                json,
                URI.create(c.tokenUrl()),
                c.clientId(),
                c.clientSecret(),
                ClientCredentialsTokens.scopeOf(c.ewsUrl()),
                clock);
        yield new EwsClient(
            JdkEwsTransport.bearer(http, URI.create(c.ewsUrl()), tokens::token, timeout),
            ewsConcurrency,
            observer);
      }
      case GRAPH ->
          new GraphClient(
              http,
              json,
              c.graphUrl(),
              c.tokenUrl(),
              c.clientId(),
              c.clientSecret(),
              timeout,
              clock,
              observer);
    };
  }
}
