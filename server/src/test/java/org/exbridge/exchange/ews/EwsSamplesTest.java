package org.exbridge.exchange.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.exbridge.exchange.CannedServer;
import org.exbridge.exchange.ExchangeException;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.Samples;
import org.exbridge.exchange.SourceEvent;
import org.exbridge.exchange.SourcePage;
import org.junit.jupiter.api.Test;

/** Every EWS sample in shared/exchange-samples, read by our client as Exchange meant it. */
class EwsSamplesTest {
  private static XmlNode body(String sample, int status) {
    return EwsClient.body(new EwsTransport.Reply(status, Samples.bytes(sample)));
  }

  private static EwsClient client(CannedServer server) {
    return new EwsClient(
        JdkEwsTransport.basic(
            new ExchangeHttp(HttpClient.newHttpClient(), ExchangeHttp.Limits.DEFAULT),
            URI.create(server.url("/EWS/Exchange.asmx")),
            "admin@exchange.test",
            "secret",
            Duration.ofSeconds(10)),
        4);
  }

  @Test
  void requestSamplesAreWellFormedXml() throws Exception {
    for (String request :
        List.of(
            "ews-01-syncfolderhierarchy-request.xml",
            "ews-03-syncfolderitems-request.xml",
            "ews-06-finditem-calendarview-request.xml")) {
      assertThat(XmlNode.parse(new ByteArrayInputStream(Samples.bytes(request))).name)
          .isEqualTo("Envelope");
    }
  }

  @Test
  void hierarchyChangesAreReadAsCreateUpdateAndDelete() {
    XmlNode message =
        EwsClient.messages(
                body("ews-02-syncfolderhierarchy-response-create-update-delete.xml", 200),
                "SyncFolderHierarchy")
            .get(0);
    List<String> kinds =
        message.child(XmlNode.M, "Changes").children.stream().map(c -> c.name).toList();
    assertThat(kinds).containsExactly("Update", "Create", "Delete");
    assertThat(message.childText(XmlNode.M, "SyncState")).isEqualTo("H4sIAAA");
  }

  @Test
  void itemChangesOfOtherItemClassesAreSkippedButDeletesCount() throws Exception {
    try (CannedServer server = new CannedServer()) {
      server.on(
          "SyncFolderItems", 200, Samples.text("ews-04-syncfolderitems-response-changes.xml"));
      SourcePage page = client(server).changes("user@contoso.test", "folder", "state");
      assertThat(page.events()).isEmpty();
      assertThat(page.deletedIds()).hasSize(1);
      assertThat(page.more()).isFalse();
      assertThat(page.cursor()).isNotBlank();
    }
  }

  @Test
  void invalidSyncStateMeansTheCursorIsLost() {
    assertThatThrownBy(
            () ->
                EwsClient.messages(
                    body("ews-05-syncfolderitems-error-invalidsyncstate.xml", 200),
                    "SyncFolderItems"))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ExchangeException.Kind.CURSOR_LOST);
              assertThat(e.code()).isEqualTo("ErrorInvalidSyncStateData");
            });
  }

  @Test
  void aTruncatedCalendarViewIsSplitUntilEachPartFits() throws Exception {
    try (CannedServer server = new CannedServer()) {
      String view = Samples.text("ews-08-finditem-calendarview-expanded-occurrences.xml");
      server.on(
          "CalendarView", 200, Samples.text("ews-07-finditem-calendarview-response-truncated.xml"));
      server.on(
          "CalendarView",
          200,
          view.replace("<t:Items>", "<t:Items>")
              .replaceAll("(?s)<t:Items>.*</t:Items>", "<t:Items/>"));
      server.on("CalendarView", 200, view.replaceAll("(?s)<t:Items>.*</t:Items>", "<t:Items/>"));
      EwsClient client = client(server);
      SourcePage page =
          client.window(
              "user@contoso.test",
              "folder",
              Instant.parse("2014-07-01T00:00:00Z"),
              Instant.parse("2014-08-01T00:00:00Z"),
              null);
      assertThat(page.more()).isFalse();
      List<String> views =
          server.received().stream()
              .map(CannedServer.Received::body)
              .filter(b -> b.contains("CalendarView"))
              .toList();
      assertThat(views).hasSize(3);
      assertThat(views.subList(1, 3))
          .anySatisfy(
              v ->
                  assertThat(v)
                      .contains("StartDate=\"2014-07-01T00:00:00Z\"")
                      .contains("EndDate=\"2014-07-16T12:00:00Z\""));
      assertThat(views.subList(1, 3))
          .anySatisfy(v -> assertThat(v).contains("StartDate=\"2014-07-16T12:00:00Z\""));
    }
  }

  @Test
  void aRecurringMasterBecomesAnRrule() {
    XmlNode message =
        EwsClient.messages(body("ews-09-getitem-recurringmaster-response.xml", 200), "GetItem")
            .get(0);
    SourceEvent master = EwsItemReader.read(message.child(XmlNode.M, "Items").children.get(0));
    assertThat(master.kind()).isEqualTo(SourceEvent.Kind.MASTER);
    assertThat(master.subject()).isEqualTo("Weekly Update Meeting");
    assertThat(master.recurrence().rrule())
        .isEqualTo("FREQ=WEEKLY;INTERVAL=1;BYDAY=SA;WKST=SU;COUNT=10");
  }

  @Test
  void anExchange2007ItemInTheDefaultNamespaceIsReadWithItsLegacyZone() {
    XmlNode message =
        EwsClient.messages(
                body("ews-10-getitem-calendaritem-exchange2007-response.xml", 200), "GetItem")
            .get(0);
    SourceEvent item = EwsItemReader.read(message.child(XmlNode.M, "Items").children.get(0));
    assertThat(item.kind()).isEqualTo(SourceEvent.Kind.SINGLE);
    assertThat(item.start().instant()).isEqualTo(Instant.parse("2006-06-16T00:30:00Z"));
    assertThat(item.end().instant()).isEqualTo(Instant.parse("2006-06-16T01:00:00Z"));
    assertThat(item.start().zone()).isEqualTo(java.time.ZoneId.of("America/Los_Angeles"));
    assertThat(item.reminderMinutes()).isEqualTo(15);
    assertThat(item.organizer()).isEqualTo(new SourceEvent.Person("Bob", "someone@example.com"));
    assertThat(item.showAs()).isEqualTo(SourceEvent.ShowAs.BUSY);
  }

  @Test
  void serverBusyInTheBodyIsThrottledWithItsBackOff() {
    assertThatThrownBy(
            () ->
                EwsClient.messages(
                    body("ews-11-syncfolderitems-errorserverbusy-exo.xml", 200), "SyncFolderItems"))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ExchangeException.Kind.THROTTLED);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(5000));
            });
  }

  @Test
  void exceededConnectionCountIsThrottled() {
    assertThatThrownBy(() -> body("ews-12-fault-errorexceededconnectioncount.xml", 500))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ExchangeException.Kind.THROTTLED);
              assertThat(e.code()).isEqualTo("ErrorExceededConnectionCount");
            });
  }

  @Test
  void serverBusyAsASoapFaultIsThrottledWithItsBackOff() {
    assertThatThrownBy(() -> body("ews-13-fault-errorserverbusy-backoffmilliseconds.xml", 500))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ExchangeException.Kind.THROTTLED);
              assertThat(e.code()).isEqualTo("ErrorServerBusy");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(297749));
            });
  }

  @Test
  void aCommentBeforeTheEnvelopeIsHarmless() {
    byte[] sample = Samples.bytes("ews-09-getitem-recurringmaster-response.xml");
    String text =
        new String(sample, java.nio.charset.StandardCharsets.UTF_8)
            .replaceFirst("\\?>", "?><!-- served by a proxy -->");
    XmlNode parsed =
        EwsClient.body(
            new EwsTransport.Reply(200, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(EwsClient.messages(parsed, "GetItem")).hasSize(1);
  }
}
