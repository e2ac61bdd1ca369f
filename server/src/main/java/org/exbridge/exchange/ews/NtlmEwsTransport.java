package org.exbridge.exchange.ews;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.NTCredentials;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.NTLMSchemeFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.exbridge.exchange.ExchangeHttp;

/**
 * EWS with NTLM, the default for on-premises Exchange, over Apache HttpClient 5 (the JDK client has
 * no NTLM). NTLM authenticates a connection, so connections are pooled and kept.
 */
@SuppressWarnings(
    "deprecation") // NTLM is deprecated in HttpClient 5 but still what Exchange servers ask for.
public final class NtlmEwsTransport implements EwsTransport, AutoCloseable {
  /** Cancels requests that pass their deadline; one daemon thread for every NTLM account. */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("ews-ntlm-deadlines").unstarted(r));

  private final CloseableHttpClient http;
  private final BasicCredentialsProvider credentials;
  private CloseableHttpClient streaming;
  private final URI endpoint;
  private final ExchangeHttp.Limits limits;

  public NtlmEwsTransport(
      URI endpoint,
      String username,
      String password,
      Duration timeout,
      int maxConnections,
      ExchangeHttp.Limits limits) {
    this.endpoint = endpoint;
    this.limits = limits;
    String domain = null;
    String user = username;
    int slash = username.indexOf('\\');
    if (slash > 0) {
      domain = username.substring(0, slash);
      user = username.substring(slash + 1);
    }
    this.credentials = new BasicCredentialsProvider();
    credentials.setCredentials(
        new AuthScope(endpoint.getHost(), endpoint.getPort()),
        new NTCredentials(user, password.toCharArray(), null, domain));
    this.http = client(maxConnections, timeout);
  }

  /**
   * A client authenticating with NTLM. NTLM authenticates the connection, and every request here is
   * the same admin account: any pooled connection may serve any request, so the handshake happens
   * once per connection.
   */
  private CloseableHttpClient client(int maxConnections, Duration timeout) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(maxConnections)
                .setMaxConnTotal(maxConnections)
                .build())
        .setDefaultCredentialsProvider(credentials)
        .disableConnectionState()
        .setDefaultAuthSchemeRegistry(
            RegistryBuilder.<AuthSchemeFactory>create()
                .register(StandardAuthScheme.NTLM, NTLMSchemeFactory.INSTANCE)
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setTargetPreferredAuthSchemes(List.of(StandardAuthScheme.NTLM))
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build())
        .build();
  }

  @Override
  public boolean streams() {
    return true;
  }

  /**
   * Streaming calls go through a pool of their own, so that long-lived notification connections
   * never take the sync's connections; its read timeout outlasts the longest streaming connection.
   */
  @Override
  public Stream open(String soap, String anchorMailbox, java.util.Map<String, String> headers)
      throws IOException {
    CloseableHttpClient client;
    synchronized (this) {
      if (streaming == null) {
        streaming = client(32, Duration.ofMinutes(33));
      }
      client = streaming;
    }
    HttpPost post = new HttpPost(endpoint);
    post.setEntity(new StringEntity(soap, ContentType.create("text/xml", "utf-8")));
    post.setHeader("Accept", "text/xml");
    if (anchorMailbox != null) {
      post.setHeader("X-AnchorMailbox", anchorMailbox);
    }
    headers.forEach(post::setHeader);
    org.apache.hc.core5.http.ClassicHttpResponse response = client.executeOpen(null, post, null);
    java.util.Map<String, String> answered = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (org.apache.hc.core5.http.Header h : response.getHeaders()) {
      answered.putIfAbsent(h.getName(), h.getValue());
    }
    HttpEntity entity = response.getEntity();
    String type = entity == null || entity.getContentType() == null ? "" : entity.getContentType();
    InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
    return new Stream(
        response.getCode(),
        type.toLowerCase(Locale.ROOT),
        answered,
        new java.io.FilterInputStream(body) {
          private volatile boolean ended;

          @Override
          public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
          }

          @Override
          public void close() throws IOException {
            if (!ended) {
              // From any thread: abort the exchange, which also ends a read blocked on it.
              post.cancel();
            }
            response.close();
          }
        });
  }

  @Override
  public Reply post(String soap, String anchorMailbox) throws IOException {
    HttpPost post = new HttpPost(endpoint);
    post.setEntity(new StringEntity(soap, ContentType.create("text/xml", "utf-8")));
    post.setHeader("Accept", "text/xml");
    if (anchorMailbox != null) {
      post.setHeader("X-AnchorMailbox", anchorMailbox);
    }
    AtomicBoolean late = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(
            () -> {
              late.set(true);
              post.cancel();
            },
            limits.deadline().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return http.execute(
          post,
          response -> {
            HttpEntity entity = response.getEntity();
            String type =
                entity == null || entity.getContentType() == null ? "" : entity.getContentType();
            return new Reply(
                response.getCode(),
                type.toLowerCase(Locale.ROOT),
                entity == null ? new byte[0] : capped(entity));
          });
    } catch (IOException e) {
      if (late.get()) {
        throw ExchangeHttp.tooSlow("Exchange", limits.deadline());
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  /** Bodies up to this declared length are read into an array of that length at once. */
  private static final long PRESIZED_MAX = 8L << 20;

  private byte[] capped(HttpEntity entity) throws IOException {
    long max = limits.maxBytes();
    long declared = entity.getContentLength();
    if (declared > max) {
      throw ExchangeHttp.tooLarge("Exchange", max);
    }
    try (InputStream in = entity.getContent()) {
      if (declared >= 0 && declared <= PRESIZED_MAX) {
        // The length Exchange declared, read into one array (no copies as a buffer grows); a body
        // longer than declared is cut by the HTTP client, a shorter one is what arrived. Larger
        // declared lengths are not trusted with an allocation before their bytes arrive.
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : java.util.Arrays.copyOf(body, read);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      byte[] chunk = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(chunk)) >= 0; ) {
        total += n;
        if (total > max) {
          throw ExchangeHttp.tooLarge("Exchange", max);
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
    synchronized (this) {
      if (streaming != null) {
        streaming.close();
      }
    }
  }
}
