package org.exbridge.exchange.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.exbridge.exchange.CannedServer;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.RequestObserver;
import org.exbridge.exchange.Samples;
import org.exbridge.exchange.SourceCalendar;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every Graph sample in shared/exchange-samples, served from loopback to our client. */
class GraphSamplesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN =
      "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t0k3n\"}";

  private static GraphClient client(CannedServer server) {
    return new GraphClient(
        new ExchangeHttp(HttpClient.newHttpClient(), ExchangeHttp.Limits.DEFAULT),
        JSON,
        server.url(""),
        server.url("/tenant/oauth2/v2.0/token"),
        "client",
        "secret",
        Duration.ofSeconds(10),
        Clock.systemUTC(),
        RequestObserver.NONE);
  }

  private static String sample(CannedServer server, String name) {
    return Samples.text(name)
        .replace(
            "https://graph.microsoft.com/v1.0/me/",
            server.url("/v1.0/users/user%40contoso.test/calendars/cal/"));
  }

  @Test
  void calendarsAreListedWithTheirDefaultAndColour() throws Exception {
    try (CannedServer server = new CannedServer()) {
      server
          .on("oauth2", 200, TOKEN)
          .on("/calendars", 200, Samples.text("graph-01-calendars-list.json"));
      List<SourceCalendar> calendars = client(server).calendars("user@contoso.test");
      assertThat(calendars).isNotEmpty();
      assertThat(calendars.get(0).name()).isNotBlank();
      assertThat(server.received().get(1).headers().get("Authorization"))
          .containsExactly("Bearer t0k3n");
    }
  }

  @Test
  void theWindowFollowsTheViewPageByPageToItsDeltaLinkAndListsTheSeriesMasters() throws Exception {
    try (CannedServer server = new CannedServer()) {
      server
          .on("oauth2", 200, TOKEN)
          .on(
              "calendarView/delta?startDateTime",
              200,
              sample(server, "graph-02-calendarview-delta-page1-nextlink.json"))
          .on("skiptoken", 200, sample(server, "graph-03-calendarview-delta-final-deltalink.json"))
          .on("/events?$filter=", 200, "{\"value\":[]}");
      GraphClient client = client(server);
      SourcePage window =
          client.window(
              "user@contoso.test",
              "cal",
              Instant.parse("2016-12-01T00:00:00Z"),
              Instant.parse("2016-12-30T00:00:00Z"),
              null);
      assertThat(window.more()).isFalse();
      assertThat(window.cursor()).contains("$deltatoken=");
      assertThat(window.events())
          .extracting(SourceEvent::subject)
          .containsExactly("Plan shopping list", "Pick up car", "Rest!");
      assertThat(window.events().get(0).start().instant())
          .isEqualTo(Instant.parse("2016-12-09T20:30:00Z"));
      assertThat(server.received())
          .anySatisfy(
              r ->
                  assertThat(String.valueOf(r.headers().get("Prefer")))
                      .contains("outlook.timezone=\"UTC\"")
                      .contains("odata.maxpagesize="))
          .anySatisfy(
              r ->
                  assertThat(
                          java.net.URLDecoder.decode(
                              r.uri(), java.nio.charset.StandardCharsets.UTF_8))
                      .contains("/calendars/cal/events?$filter=type eq 'seriesMaster'"));
    }
  }

  @Test
  void aSeriesMasterBecomesAnRruleInItsZone() {
    SourceEvent master =
        GraphEventReader.read(
            JSON.readTree(Samples.text("graph-06-event-seriesmaster-weekly-recurrence.json")));
    assertThat(master.kind()).isEqualTo(SourceEvent.Kind.MASTER);
    assertThat(master.recurrence().zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(master.recurrence().rrule())
        .isEqualTo("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=SU;UNTIL=20180101T075959Z");
    assertThat(master.start().instant()).isEqualTo(Instant.parse("2017-09-04T19:00:00Z"));
    assertThat(master.start().zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(master.body()).isEqualTo("Does late morning work for you?");
    assertThat(master.reminderMinutes()).isEqualTo(15);
    assertThat(master.location()).isEqualTo("Harry's Bar");
  }

  @Test
  void throttlingCarriesRetryAfter() throws Exception {
    try (CannedServer server = new CannedServer()) {
      server
          .on("oauth2", 200, TOKEN)
          .on(
              "/calendars",
              429,
              "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"Application is over its MailboxConcurrency limit.\"}}",
              Map.of("Retry-After", "7"));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> client(server).calendars("user@contoso.test"))
          .isInstanceOfSatisfying(
              org.exbridge.exchange.ExchangeException.class,
              e -> {
                assertThat(e.kind())
                    .isEqualTo(org.exbridge.exchange.ExchangeException.Kind.THROTTLED);
                assertThat(e.code()).isEqualTo("ApplicationThrottled");
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
              });
    }
  }
}
