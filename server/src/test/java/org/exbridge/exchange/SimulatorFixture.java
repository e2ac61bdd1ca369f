package org.exbridge.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.exbridge.exchange.ews.EwsClient;
import org.exbridge.exchange.ews.JdkEwsTransport;
import org.exbridge.exchange.graph.GraphClient;
import org.exbridge.simulator.Simulator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Our two clients pointed at one simulator, and its control API. */
public final class SimulatorFixture {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CONTROL = HttpClient.newHttpClient();
  private static final ExchangeHttp HTTP =
      new ExchangeHttp(HttpClient.newHttpClient(), ExchangeHttp.Limits.DEFAULT);
  public final Simulator sim;

  public SimulatorFixture(Simulator sim) {
    this.sim = sim;
  }

  public EwsClient ews() {
    return ews("secret");
  }

  public EwsClient ews(String password) {
    return new EwsClient(
        JdkEwsTransport.basic(
            HTTP,
            URI.create(sim.baseUrl() + "/EWS/Exchange.asmx"),
            "admin@exchange.test",
            password,
            Duration.ofSeconds(30)),
        10);
  }

  public GraphClient graph() {
    return graph("sim-secret");
  }

  public GraphClient graph(String secret) {
    return new GraphClient(
        HTTP,
        JSON,
        sim.baseUrl(),
        sim.baseUrl() + "/exchange.test/oauth2/v2.0/token",
        "sim-client",
        secret,
        Duration.ofSeconds(30),
        Clock.systemUTC(),
        RequestObserver.NONE);
  }

  /** A control call that may fail: its status and body, for tests of refusals. */
  public String controlStatus(String method, String path, String body) {
    HttpResponse<String> r = send(method, path, body);
    return r.statusCode() + " " + r.body();
  }

  public JsonNode control(String method, String path, String body) {
    HttpResponse<String> r = send(method, path, body);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) {
    try {
      return CONTROL.send(
          HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void fault(String json) {
    control("POST", "/_sim/faults", json);
  }

  public void clearFaults() {
    control("DELETE", "/_sim/faults", null);
  }

  /** Every page of a full read, and the cursor it ends on. */
  public record Read(List<SourceEvent> events, List<String> deleted, String cursor) {}

  public static Read readAll(
      ExchangeSource source,
      String mailbox,
      String calendarId,
      String cursor,
      boolean incremental) {
    List<SourceEvent> events = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    SourcePage page;
    do {
      page =
          incremental
              ? source.changes(mailbox, calendarId, cursor)
              : source.all(mailbox, calendarId, cursor);
      events.addAll(page.events());
      deleted.addAll(page.deletedIds());
      cursor = page.cursor();
    } while (page.more());
    return new Read(events, deleted, cursor);
  }

  public static List<SourceEvent> window(
      ExchangeSource source, String mailbox, String calendarId, Instant from, Instant to) {
    List<SourceEvent> events = new ArrayList<>();
    String cursor = null;
    SourcePage page;
    do {
      page = source.window(mailbox, calendarId, from, to, cursor);
      events.addAll(page.events());
      cursor = page.cursor();
    } while (page.more());
    return events;
  }

  /** An event with what differs by protocol (ids, change keys, sub-second times) left out. */
  public record Comparable(
      SourceEvent.Kind kind,
      String subject,
      String body,
      String location,
      EventTime start,
      EventTime end,
      SourceEvent.ShowAs showAs,
      boolean isPrivate,
      boolean cancelled,
      SourceEvent.Person organizer,
      List<SourceEvent.Attendee> attendees,
      Integer reminderMinutes,
      String onlineMeetingUrl,
      SourceRecurrence recurrence,
      EventTime originalStart,
      List<Comparable> exceptions,
      List<EventTime> deletedOccurrences,
      Instant lastModified) {}

  public static Comparable comparable(SourceEvent e) {
    return new Comparable(
        e.kind(),
        e.subject(),
        e.body(),
        e.location(),
        e.start(),
        e.end(),
        e.showAs(),
        e.isPrivate(),
        e.cancelled(),
        e.organizer(),
        e.attendees(),
        e.reminderMinutes(),
        e.onlineMeetingUrl(),
        e.recurrence(),
        e.originalStart(),
        e.exceptions().stream().map(SimulatorFixture::comparable).toList(),
        e.deletedOccurrences(),
        e.lastModified() == null ? null : e.lastModified().truncatedTo(ChronoUnit.SECONDS));
  }
}
