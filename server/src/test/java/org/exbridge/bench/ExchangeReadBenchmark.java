package org.exbridge.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.ExchangeSource;
import org.exbridge.exchange.RequestObserver;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.exbridge.exchange.ews.EwsClient;
import org.exbridge.exchange.ews.JdkEwsTransport;
import org.exbridge.exchange.graph.GraphClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every calendar of one simulator mailbox through one client, page by page, keeping nothing
 * but counts, and prints one line of figures. Run by {@code bench/exchange-read.sh}.
 *
 * <p>Arguments: simulator base URL, mailbox, {@code ews} or {@code graph}.
 */
public final class ExchangeReadBenchmark {
  private ExchangeReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String mailbox = args[1];
    String protocol = args[2];
    HttpClient http = HttpClient.newHttpClient();
    ExchangeSource source =
        protocol.equals("ews")
            ? new EwsClient(
                JdkEwsTransport.basic(
                    new ExchangeHttp(http, ExchangeHttp.Limits.DEFAULT),
                    URI.create(base + "/EWS/Exchange.asmx"),
                    "admin@exchange.test",
                    "secret",
                    Duration.ofSeconds(120)),
                10)
            : new GraphClient(
                new ExchangeHttp(http, ExchangeHttp.Limits.DEFAULT),
                JsonMapper.builder().build(),
                base,
                base + "/exchange.test/oauth2/v2.0/token",
                "sim-client",
                "sim-secret",
                Duration.ofSeconds(120),
                Clock.systemUTC(),
                RequestObserver.NONE);
    http.send(
        HttpRequest.newBuilder(URI.create(base + "/_sim/requests")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    long events = 0;
    long exceptions = 0;
    long pages = 0;
    long started = System.nanoTime();
    for (SourceCalendar calendar : source.calendars(mailbox)) {
      String cursor = null;
      SourcePage page;
      do {
        page = source.all(mailbox, calendar.id(), cursor);
        pages++;
        events += page.events().size();
        for (SourceEvent e : page.events()) {
          exceptions += e.exceptions().size();
        }
        cursor = page.cursor();
      } while (page.more());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String requests =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/_sim/requests")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    long total = JsonMapper.builder().build().readTree(requests).get("total").asLong();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "%s events=%d exceptions=%d pages=%d seconds=%.2f events_per_s=%.0f requests=%d peak_heap_mb=%d max_heap_mb=%d at=%s%n",
        protocol,
        events,
        exceptions,
        pages,
        seconds,
        events / seconds,
        total,
        peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        Instant.now());
  }
}
