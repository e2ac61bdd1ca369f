package org.exbridge.exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with Exchange (EWS, Graph or a token endpoint) that cannot hold a worker or the
 * heap: the whole request, body included, must finish within the deadline, and the body may not
 * grow past the cap. A body that stalls, trickles or grows too large fails the call as retryable
 * and the connection is dropped at once.
 */
public final class ExchangeHttp {
  /** Limits for every call: a deadline for the whole request and the largest body read. */
  public record Limits(Duration deadline, long maxBytes) {
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(120), 64L << 20);

    public Limits {
      if (deadline.isNegative() || deadline.isZero() || maxBytes <= 0) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  /** A complete answer: status, headers and the whole body. */
  public record Answer(int status, HttpHeaders headers, byte[] body) {
    public String contentType() {
      return headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final HttpClient http;
  private final Limits limits;

  public ExchangeHttp(HttpClient http, Limits limits) {
    this.http = http;
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Sends a request whose answer is a long stream (EWS streaming notifications): the status and
   * headers must come within {@code headersWithin}; the body is the caller's to read and close.
   */
  public HttpResponse<java.io.InputStream> open(
      HttpRequest request, String server, Duration headersWithin) {
    CompletableFuture<HttpResponse<java.io.InputStream>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    try {
      return call.get(headersWithin.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw tooSlow(server, headersWithin);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw ExchangeException.interrupted();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw ExchangeException.unreachable(server, io);
      }
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE,
          "io",
          "the call to " + server + " failed: " + e.getCause());
    }
  }

  /**
   * Sends the request and reads the whole answer within the limits.
   *
   * @param server what to call the other side in messages ("Graph", "the token endpoint")
   * @throws ExchangeException retryable when the server cannot be reached, is too slow or answers
   *     too much; the interrupt flag is kept when the caller was interrupted
   */
  public Answer send(HttpRequest request, String server) {
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, info -> new CappedBody(info.headers(), limits.maxBytes()));
    try {
      HttpResponse<byte[]> response = call.get(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw tooSlow(server, limits.deadline());
    } catch (InterruptedException e) {
      call.cancel(true);
      throw ExchangeException.interrupted();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable c = cause; c != null; c = c.getCause()) {
        if (c instanceof BodyTooLarge) {
          throw tooLarge(server, limits.maxBytes());
        }
      }
      if (cause instanceof IOException io) {
        throw ExchangeException.unreachable(server, io);
      }
      throw new ExchangeException(
          ExchangeException.Kind.RETRYABLE, "io", "the call to " + server + " failed: " + cause);
    }
  }

  public static ExchangeException tooSlow(String server, Duration deadline) {
    return new ExchangeException(
        ExchangeException.Kind.RETRYABLE,
        "deadline",
        server
            + " did not finish its answer within "
            + deadline.toSeconds()
            + " s (the whole request, body included); the connection was dropped");
  }

  public static ExchangeException tooLarge(String server, long maxBytes) {
    return new ExchangeException(
        ExchangeException.Kind.RETRYABLE,
        "too_large",
        server
            + " answered more than "
            + maxBytes / (1024 * 1024)
            + " MB (exbridge.exchange.max-response-bytes); the connection was dropped");
  }

  /** The first bytes of a body as text, for saying what came back instead of what was asked. */
  public static String excerpt(byte[] body) {
    int n = Math.min(body.length, 120);
    String text = new String(body, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    return text.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
  }

  /** Raised inside the body subscriber when the cap is passed. */
  static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super("body too large", null);
    }
  }

  /** Collects the body, refusing a declared or actual length over the cap. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long declared;
    private final long max;
    private ByteArrayOutputStream buffer;
    private Flow.Subscription subscription;
    private long received;

    CappedBody(HttpHeaders headers, long max) {
      this.declared = headers.firstValueAsLong("Content-Length").orElse(-1);
      this.max = max;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (declared > max) {
        subscription.cancel();
        result.completeExceptionally(new BodyTooLarge());
        return;
      }
      buffer = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        received += item.remaining();
        if (received > max) {
          subscription.cancel();
          buffer = null;
          result.completeExceptionally(new BodyTooLarge());
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      buffer = null;
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      if (!result.isDone()) {
        result.complete(buffer.toByteArray());
        buffer = null;
      }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }
}
