package org.exbridge.simulatorcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.service.folder.CalendarFolder;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.search.CalendarView;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The plain Graph calendar endpoints the Graph SDKs call, paged by their next links: the calendar
 * view agrees with what ews-java-api's CalendarView finds over the same range, and the events list
 * holds every single and series of the default calendar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphPlainEndpointsIT {
  private static final String MAILBOX = "user1@exchange.test";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private Simulator sim;
  private String token;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(1, 400, 5);
    String form =
        "grant_type=client_credentials&client_id=sim-client&client_secret=sim-secret&scope="
            + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/exchange.test/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    token = Http.JSON.readTree(r.body()).get("access_token").asString();
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every item over every page, following @odata.nextLink. */
  private Set<String> all(String url) throws Exception {
    Set<String> ids = new HashSet<>();
    String next = url;
    int pages = 0;
    while (next != null) {
      HttpResponse<String> r = get(next);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode page = Http.JSON.readTree(r.body());
      for (JsonNode item : page.get("value")) {
        assertThat(ids.add(item.get("id").asString())).isTrue();
        assertThat(item.has("start")).isTrue();
      }
      next = page.path("@odata.nextLink").asString(null);
      assertThat(++pages).isLessThan(1000);
    }
    return ids;
  }

  @Test
  void theCalendarViewAgreesWithEwsOverTheSameRange() throws Exception {
    Instant from = Instant.now().minus(Duration.ofDays(30));
    Instant to = Instant.now().plus(Duration.ofDays(90));
    String range = "startDateTime=" + from + "&endDateTime=" + to + "&$top=25";
    String user = sim.baseUrl() + "/v1.0/users/" + MAILBOX;
    Set<String> view = all(user + "/calendarView?" + range);
    Set<String> defaultCalendar = all(user + "/calendar/calendarView?" + range);
    String calendarId =
        Http.JSON
            .readTree(get(user + "/calendars").body())
            .get("value")
            .get(0)
            .get("id")
            .asString();
    Set<String> named = all(user + "/calendars/" + calendarId + "/calendarView?" + range);

    int ews;
    try (ExchangeService service = new ExchangeService(ExchangeVersion.Exchange2010_SP2)) {
      service.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
      service.setUrl(new URI(sim.baseUrl() + "/EWS/Exchange.asmx"));
      service.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, MAILBOX));
      ews =
          CalendarFolder.bind(service, WellKnownFolderName.Calendar)
              .findAppointments(new CalendarView(Date.from(from), Date.from(to)))
              .getTotalCount();
    }
    assertThat(view).hasSize(ews).isEqualTo(defaultCalendar).isEqualTo(named);
    assertThat(get(user + "/calendarView").statusCode()).isEqualTo(400);
  }

  @Test
  void theEventsListHoldsEverySingleAndSeriesOfTheDefaultCalendar() throws Exception {
    String user = sim.baseUrl() + "/v1.0/users/" + MAILBOX;
    Set<String> events = all(user + "/events?$top=40");
    Set<String> calendarEvents = all(user + "/calendar/events?$top=40");
    long truth = 0;
    for (JsonNode e :
        new SimulatorFixture(sim).control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null)) {
      if (e.path("calendar").asString().equals("Calendar")) {
        truth++;
      }
    }
    assertThat(events).hasSize((int) truth).isEqualTo(calendarEvents);
  }
}
