package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.lark.oapi.Client;
import com.lark.oapi.core.request.RequestOptions;
import com.lark.oapi.service.calendar.v4.model.CalendarEvent;
import com.lark.oapi.service.calendar.v4.model.GetCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.GetCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.Instance;
import com.lark.oapi.service.calendar.v4.model.InstanceViewCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.InstanceViewCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventAttendeeReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventAttendeeResp;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.ListCalendarReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarResp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.service.folder.CalendarFolder;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.search.CalendarView;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The synced copy read through the official SDK's calendar calls, with the bound user's token. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CalendarReadApiContract {
  private static final String MAILBOX = "user1@exchange.test";
  private Simulator sim;
  private ExbridgeServer server;
  private Client sdk;
  private RequestOptions asAlice;
  private RequestOptions asBob;
  private String calendarId;

  abstract Database database();

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(1, 400, 21);
    Path data = Files.createTempDirectory("exbridge-read");
    server =
        ExbridgeServer.start(
            database().fresh(data),
            data,
            null,
            Map.of(
                "exbridge.sync.poll-interval",
                "50ms",
                "exbridge.rate-limit.method-per-second",
                "100000",
                "exbridge.rate-limit.method-per-minute",
                "1000000",
                "exbridge.rate-limit.app-per-second",
                "100000"));
    Http http = new Http(server.baseUrl());
    Operator operator = new Operator(server.baseUrl());
    Operator.Staffed acme = operator.staffedTenant("acme", "alice", "bob");
    Operator.AppCredentials app = acme.app();
    String boss = acme.bossToken();
    operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
    String id = operator.bind(boss, "admin@exchange.test", MAILBOX, "alice");
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.status(boss, id).equals("done"));
    sdk = Client.newBuilder(app.appId(), app.appSecret()).openBaseUrl(server.baseUrl()).build();
    asAlice =
        RequestOptions.newBuilder()
            .userAccessToken(operator.userToken("acme", "alice", app.appId()))
            .build();
    asBob =
        RequestOptions.newBuilder()
            .userAccessToken(operator.userToken("acme", "bob", app.appId()))
            .build();
    ListCalendarResp calendars =
        sdk.calendar().calendar().list(ListCalendarReq.newBuilder().build(), asAlice);
    calendarId =
        java.util.Arrays.stream(calendars.getData().getCalendarList())
            .filter(c -> c.getSummary().equals("Calendar"))
            .findFirst()
            .orElseThrow()
            .getCalendarId();
  }

  @AfterAll
  void stop() {
    server.close();
    sim.close();
  }

  @Test
  void theBoundUserSeesTheMailboxCalendarsAsExchangeCalendars() throws Exception {
    ListCalendarResp list =
        sdk.calendar().calendar().list(ListCalendarReq.newBuilder().build(), asAlice);
    assertThat(list.success()).as(list.getMsg()).isTrue();
    assertThat(list.getData().getCalendarList())
        .extracting(c -> c.getSummary())
        .containsExactlyInAnyOrder("Calendar", "Team");
    assertThat(list.getData().getCalendarList())
        .allSatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("exchange");
              assertThat(c.getIsThirdParty()).isTrue();
            });
    assertThat(
            sdk.calendar()
                .calendar()
                .list(ListCalendarReq.newBuilder().build(), asBob)
                .getData()
                .getCalendarList())
        .isEmpty();
  }

  @Test
  void eventsArePagedAndEveryPageHoldsWholeEvents() throws Exception {
    List<CalendarEvent> all = new ArrayList<>();
    String token = null;
    do {
      ListCalendarEventReq.Builder req =
          ListCalendarEventReq.newBuilder().calendarId(calendarId).pageSize(50);
      if (token != null) {
        req.pageToken(token);
      }
      ListCalendarEventResp page = sdk.calendar().calendarEvent().list(req.build(), asAlice);
      assertThat(page.success()).as(page.getMsg()).isTrue();
      all.addAll(List.of(page.getData().getItems()));
      token = page.getData().getHasMore() ? page.getData().getPageToken() : null;
    } while (token != null);
    int stored =
        server
            .jdbc()
            .sql(
                "select count(*) from synced_event e join synced_calendar c on c.id = e.calendar_pk"
                    + " where c.calendar_id = ? and e.deleted = false")
            .param(calendarId)
            .query(Integer.class)
            .single();
    assertThat(all).hasSize(stored);
    assertThat(all).anySatisfy(e -> assertThat(e.getRecurrence()).startsWith("FREQ="));
    assertThat(all)
        .anySatisfy(
            e -> {
              assertThat(e.getIsException()).isTrue();
              assertThat(e.getRecurringEventId()).endsWith("_0");
            });
    assertThat(all).anySatisfy(e -> assertThat(e.getStartTime().getDate()).isNotNull());
    CalendarEvent timed =
        all.stream().filter(e -> e.getStartTime().getTimestamp() != null).findFirst().orElseThrow();
    GetCalendarEventResp got =
        sdk.calendar()
            .calendarEvent()
            .get(
                GetCalendarEventReq.newBuilder()
                    .calendarId(calendarId)
                    .eventId(timed.getEventId())
                    .build(),
                asAlice);
    assertThat(got.getData().getEvent().getSummary()).isEqualTo(timed.getSummary());
    assertThat(got.getData().getEvent().getStartTime().getTimezone()).isNotBlank();
  }

  @Test
  void instanceViewExpandsSeriesAsExchangeDoes() throws Exception {
    Instant from = Instant.now().minus(Duration.ofDays(20));
    Instant to = Instant.now().plus(Duration.ofDays(20));
    InstanceViewCalendarEventResp view =
        sdk.calendar()
            .calendarEvent()
            .instanceView(
                InstanceViewCalendarEventReq.newBuilder()
                    .calendarId(calendarId)
                    .startTime(Long.toString(from.getEpochSecond()))
                    .endTime(Long.toString(to.getEpochSecond()))
                    .build(),
                asAlice);
    assertThat(view.success()).as(view.getMsg()).isTrue();
    Instance[] items = view.getData().getItems();

    try (ExchangeService ews = new ExchangeService(ExchangeVersion.Exchange2010_SP2)) {
      ews.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
      ews.setUrl(new URI(sim.baseUrl() + "/EWS/Exchange.asmx"));
      ews.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, MAILBOX));
      int truth =
          CalendarFolder.bind(ews, WellKnownFolderName.Calendar)
              .findAppointments(new CalendarView(Date.from(from), Date.from(to)))
              .getTotalCount();
      assertThat(items).hasSize(truth);
    }
    assertThat(items).anySatisfy(i -> assertThat(i.getRecurringEventId()).isNotNull());
  }

  @Test
  void attendeesAreListed() throws Exception {
    ListCalendarEventResp page =
        sdk.calendar()
            .calendarEvent()
            .list(
                ListCalendarEventReq.newBuilder().calendarId(calendarId).pageSize(500).build(),
                asAlice);
    int checked = 0;
    for (CalendarEvent e : page.getData().getItems()) {
      ListCalendarEventAttendeeResp attendees =
          sdk.calendar()
              .calendarEventAttendee()
              .list(
                  ListCalendarEventAttendeeReq.newBuilder()
                      .calendarId(calendarId)
                      .eventId(e.getEventId())
                      .build(),
                  asAlice);
      assertThat(attendees.success()).as(attendees.getMsg()).isTrue();
      if (attendees.getData().getItems().length > 0) {
        assertThat(attendees.getData().getItems()[0].getThirdPartyEmail())
            .endsWith("@exchange.test");
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void anotherUsersCalendarIsRefused() throws Exception {
    ListCalendarEventResp refused =
        sdk.calendar()
            .calendarEvent()
            .list(ListCalendarEventReq.newBuilder().calendarId(calendarId).build(), asBob);
    assertThat(refused.getCode()).isEqualTo(191002);
    assertThat(
            sdk.calendar()
                .calendarEvent()
                .list(ListCalendarEventReq.newBuilder().calendarId("nope").build(), asAlice)
                .getCode())
        .isEqualTo(191000);
  }
}
