package org.exbridge.simulatorcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.property.time.DayOfTheWeek;
import microsoft.exchange.webservices.data.core.enumeration.property.time.DayOfTheWeekIndex;
import microsoft.exchange.webservices.data.core.enumeration.property.time.Month;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.service.folder.CalendarFolder;
import microsoft.exchange.webservices.data.core.service.item.Appointment;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.property.complex.recurrence.pattern.Recurrence;
import microsoft.exchange.webservices.data.search.CalendarView;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.search.ItemView;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.ItemChange;
import org.exbridge.simulator.Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ews-java-api 2.0, an independent EWS client written against real Exchange, reads the simulator:
 * if the simulator answered in a shape real servers do not, this client would fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EwsJavaApiAgainstSimulatorIT {
  private static final String MAILBOX = "user1@exchange.test";
  private Simulator sim;
  private ExchangeService service;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(1, 60, 7);
    service = new ExchangeService(ExchangeVersion.Exchange2010_SP2);
    service.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
    service.setUrl(new URI(sim.baseUrl() + "/EWS/Exchange.asmx"));
    service.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, MAILBOX));
    service.getHttpHeaders().put("X-AnchorMailbox", MAILBOX);
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
    sim.close();
  }

  @Test
  void itBindsTheCalendarFolder() throws Exception {
    CalendarFolder calendar = CalendarFolder.bind(service, WellKnownFolderName.Calendar);
    assertThat(calendar.getDisplayName()).isEqualTo("Calendar");
    assertThat(calendar.getId().getUniqueId()).isNotBlank();
  }

  @Test
  void itExpandsAppointmentsInACalendarView() throws Exception {
    CalendarFolder calendar = CalendarFolder.bind(service, WellKnownFolderName.Calendar);
    Instant now = Instant.now();
    FindItemsResults<Appointment> found =
        calendar.findAppointments(
            new CalendarView(
                Date.from(now.minus(Duration.ofDays(60))),
                Date.from(now.plus(Duration.ofDays(120)))));
    assertThat(found.getItems()).isNotEmpty();
    for (Appointment a : found.getItems()) {
      assertThat(a.getSubject()).isNotBlank();
      assertThat(a.getStart()).isBeforeOrEqualTo(a.getEnd());
    }
  }

  @Test
  void itSyncsItemsAndLoadsSeriesWithTheirExceptions() throws Exception {
    CalendarFolder calendar = CalendarFolder.bind(service, WellKnownFolderName.Calendar);
    ChangeCollection<ItemChange> changes =
        service.syncFolderItems(
            calendar.getId(),
            PropertySet.IdOnly,
            null,
            512,
            SyncFolderItemsScope.NormalItems,
            null);
    assertThat(changes.getCount()).isPositive();
    assertThat(changes.getSyncState()).isNotBlank();
    List<Item> items = new ArrayList<>();
    for (ItemChange change : changes) {
      items.add(change.getItem());
    }
    service.loadPropertiesForItems(items, new PropertySet(BasePropertySet.FirstClassProperties));
    int series = 0;
    for (ItemChange change : changes) {
      Appointment a = Appointment.bind(service, change.getItemId());
      assertThat(a.getSubject()).isNotBlank();
      if (a.getRecurrence() != null) {
        series++;
        assertThat(a.getFirstOccurrence()).isNotNull();
        if (a.getModifiedOccurrences() != null) {
          assertThat(a.getModifiedOccurrences().getCount()).isPositive();
        }
      }
    }
    assertThat(series).isPositive();
    ChangeCollection<ItemChange> again =
        service.syncFolderItems(
            calendar.getId(),
            PropertySet.IdOnly,
            null,
            512,
            SyncFolderItemsScope.NormalItems,
            changes.getSyncState());
    assertThat(again.getCount()).isZero();
  }

  @Test
  void aPlainFindItemPagedReadOfALargeMailboxSeesEveryItemOnce() throws Exception {
    try (Simulator large = Simulator.start(0).generate(1, 1500, 11);
        ExchangeService ews = new ExchangeService(ExchangeVersion.Exchange2010_SP2)) {
      ews.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
      ews.setUrl(new URI(large.baseUrl() + "/EWS/Exchange.asmx"));
      ews.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, MAILBOX));
      CalendarFolder calendar = CalendarFolder.bind(ews, WellKnownFolderName.Calendar);
      java.util.Set<String> ids = new java.util.HashSet<>();
      int offset = 0;
      int pages = 0;
      FindItemsResults<Item> page;
      do {
        ItemView view = new ItemView(250, offset);
        view.setPropertySet(new PropertySet(BasePropertySet.FirstClassProperties));
        page = ews.findItems(calendar.getId(), view);
        for (Item i : page.getItems()) {
          assertThat(ids.add(i.getId().getUniqueId())).isTrue();
          assertThat(((Appointment) i).getIsAllDayEvent()).isNotNull();
        }
        offset = page.getNextPageOffset() == null ? offset : page.getNextPageOffset();
        pages++;
      } while (page.isMoreAvailable());
      long truth = 0;
      for (var e :
          new org.exbridge.exchange.SimulatorFixture(large)
              .control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null)) {
        if (e.path("calendar").asString().equals("Calendar")) {
          truth++;
        }
      }
      assertThat(ids).hasSize((int) truth);
      assertThat(page.getTotalCount()).isEqualTo(ids.size());
      assertThat(pages).isGreaterThan(1);
    }
  }

  @Test
  void everyRecurrencePatternReadsBackWithItsPatternIndexMonthAndRange() throws Exception {
    org.exbridge.exchange.SimulatorFixture fx = new org.exbridge.exchange.SimulatorFixture(sim);
    String mailbox = "patterns@exchange.test";
    String events =
        """
        [{"subject":"daily","time_zone":"Asia/Kathmandu","start":"2026-01-05T07:15","end":"2026-01-05T08:00",
          "recurrence":{"type":"daily","interval":3,"count":12}},
         {"subject":"weekly","time_zone":"America/St_Johns","start":"2026-01-05T09:30","end":"2026-01-05T10:30",
          "recurrence":{"type":"weekly","interval":2,"days_of_week":["monday","thursday"],"first_day_of_week":"monday","end_date":"2026-12-31"}},
         {"subject":"absoluteMonthly","time_zone":"Australia/Lord_Howe","start":"2026-01-15T10:00","end":"2026-01-15T10:30",
          "recurrence":{"type":"absoluteMonthly","day_of_month":15}},
         {"subject":"relativeMonthly","time_zone":"Pacific/Chatham","start":"2026-01-30T16:00","end":"2026-01-30T17:00",
          "recurrence":{"type":"relativeMonthly","days_of_week":["friday"],"index":"last","count":24}},
         {"subject":"relativeMonthlyWeekday","time_zone":"UTC","start":"2026-01-02T08:00","end":"2026-01-02T08:15",
          "recurrence":{"type":"relativeMonthly","days_of_week":["monday","tuesday","wednesday","thursday","friday"],"index":"second"}},
         {"subject":"absoluteYearly","time_zone":"Europe/Berlin","start":"2026-05-17T12:00","end":"2026-05-17T13:30",
          "recurrence":{"type":"absoluteYearly","month":5,"day_of_month":17}},
         {"subject":"relativeYearly","time_zone":"America/New_York","start":"2026-09-07T09:00","end":"2026-09-07T09:30",
          "recurrence":{"type":"relativeYearly","month":9,"days_of_week":["monday"],"index":"first","count":5}}]
        """;
    fx.control(
        "POST",
        "/_sim/mailboxes",
        "{\"address\":\""
            + mailbox
            + "\",\"calendars\":[{\"name\":\"Calendar\",\"events\":"
            + events
            + "}]}");
    try (ExchangeService ews = new ExchangeService(ExchangeVersion.Exchange2010_SP2)) {
      ews.setCredentials(new WebCredentials("admin@exchange.test", "secret"));
      ews.setUrl(new URI(sim.baseUrl() + "/EWS/Exchange.asmx"));
      ews.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, mailbox));
      CalendarFolder calendar = CalendarFolder.bind(ews, WellKnownFolderName.Calendar);
      java.util.Map<String, Recurrence> bySubject = new java.util.HashMap<>();
      for (Item i : ews.findItems(calendar.getId(), new ItemView(50)).getItems()) {
        Appointment a = Appointment.bind(ews, i.getId());
        bySubject.put(a.getSubject(), a.getRecurrence());
      }
      assertThat(bySubject).hasSize(7);
      assertThat(bySubject.get("daily")).isInstanceOf(Recurrence.DailyPattern.class);
      assertThat(((Recurrence.DailyPattern) bySubject.get("daily")).getInterval()).isEqualTo(3);
      assertThat(bySubject.get("daily").getNumberOfOccurrences()).isEqualTo(12);

      Recurrence.WeeklyPattern weekly = (Recurrence.WeeklyPattern) bySubject.get("weekly");
      assertThat(weekly.getInterval()).isEqualTo(2);
      assertThat(weekly.getDaysOfTheWeek().getCount()).isEqualTo(2);
      assertThat(weekly.hasEnd()).isTrue();
      assertThat(weekly.getEndDate()).isNotNull();

      Recurrence.MonthlyPattern monthly =
          (Recurrence.MonthlyPattern) bySubject.get("absoluteMonthly");
      assertThat(monthly.getDayOfMonth()).isEqualTo(15);
      assertThat(monthly.hasEnd()).isFalse();

      Recurrence.RelativeMonthlyPattern lastFriday =
          (Recurrence.RelativeMonthlyPattern) bySubject.get("relativeMonthly");
      assertThat(lastFriday.getDayOfTheWeek()).isEqualTo(DayOfTheWeek.Friday);
      assertThat(lastFriday.getDayOfTheWeekIndex()).isEqualTo(DayOfTheWeekIndex.Last);
      assertThat(lastFriday.getNumberOfOccurrences()).isEqualTo(24);

      Recurrence.RelativeMonthlyPattern weekday =
          (Recurrence.RelativeMonthlyPattern) bySubject.get("relativeMonthlyWeekday");
      assertThat(weekday.getDayOfTheWeek()).isEqualTo(DayOfTheWeek.Weekday);
      assertThat(weekday.getDayOfTheWeekIndex()).isEqualTo(DayOfTheWeekIndex.Second);

      Recurrence.YearlyPattern birthday =
          (Recurrence.YearlyPattern) bySubject.get("absoluteYearly");
      assertThat(birthday.getMonth()).isEqualTo(Month.May);
      assertThat(birthday.getDayOfMonth()).isEqualTo(17);

      Recurrence.RelativeYearlyPattern laborDay =
          (Recurrence.RelativeYearlyPattern) bySubject.get("relativeYearly");
      assertThat(laborDay.getMonth()).isEqualTo(Month.September);
      assertThat(laborDay.getDayOfTheWeek()).isEqualTo(DayOfTheWeek.Monday);
      assertThat(laborDay.getDayOfTheWeekIndex()).isEqualTo(DayOfTheWeekIndex.First);
      assertThat(laborDay.getNumberOfOccurrences()).isEqualTo(5);
    }
  }

  @Test
  void findItemAndGetItemReturnWhatTheShapeAsksForAndNoMore() throws Exception {
    CalendarFolder calendar = CalendarFolder.bind(service, WellKnownFolderName.Calendar);
    ItemView view = new ItemView(10);
    view.setPropertySet(
        new PropertySet(
            BasePropertySet.IdOnly,
            microsoft.exchange.webservices.data.core.service.schema.ItemSchema.Subject,
            microsoft.exchange.webservices.data.core.service.schema.AppointmentSchema.IsAllDayEvent,
            microsoft.exchange.webservices.data.core.service.schema.AppointmentSchema
                .LegacyFreeBusyStatus));
    Appointment found = (Appointment) service.findItems(calendar.getId(), view).getItems().get(0);
    assertThat(found.getSubject()).isNotBlank();
    assertThat(found.getIsAllDayEvent()).isNotNull();
    assertThat(found.getLegacyFreeBusyStatus()).isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(found::getLocation)
        .isInstanceOf(
            microsoft.exchange.webservices.data.core.exception.service.local
                .ServiceObjectPropertyException.class);

    Appointment idAndSubject =
        Appointment.bind(
            service,
            found.getId(),
            new PropertySet(
                BasePropertySet.IdOnly,
                microsoft.exchange.webservices.data.core.service.schema.ItemSchema.Subject));
    assertThat(idAndSubject.getSubject()).isEqualTo(found.getSubject());
    org.assertj.core.api.Assertions.assertThatThrownBy(idAndSubject::getStart)
        .isInstanceOf(
            microsoft.exchange.webservices.data.core.exception.service.local
                .ServiceObjectPropertyException.class);

    Appointment everything =
        Appointment.bind(
            service, found.getId(), new PropertySet(BasePropertySet.FirstClassProperties));
    assertThat(everything.getStart()).isNotNull();
    assertThat(everything.getIsAllDayEvent()).isNotNull();
  }

  @Test
  void anAppointmentItCreatesUpdatesAndDeletesIsTheSimulatorsAndAStaleChangeKeyConflicts()
      throws Exception {
    Appointment a = new Appointment(service);
    a.setSubject("made by ews-java-api");
    a.setBody(
        microsoft.exchange.webservices.data.property.complex.MessageBody.getMessageBodyFromText(
            "hello"));
    Date start = Date.from(Instant.parse("2027-02-01T09:00:00Z"));
    a.setStart(start);
    a.setEnd(Date.from(Instant.parse("2027-02-01T10:00:00Z")));
    a.setLocation("Room 9");
    a.save(
        new microsoft.exchange.webservices.data.property.complex.FolderId(
            WellKnownFolderName.Calendar),
        microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsMode
            .SendToNone);
    Appointment loaded = Appointment.bind(service, a.getId());
    assertThat(loaded.getSubject()).isEqualTo("made by ews-java-api");
    assertThat(loaded.getLocation()).isEqualTo("Room 9");
    assertThat(loaded.getStart().toInstant()).isEqualTo(start.toInstant());
    String staleKey = loaded.getId().getChangeKey();

    loaded.setSubject("changed by ews-java-api");
    loaded.update(
        microsoft.exchange.webservices.data.core.enumeration.service.ConflictResolutionMode
            .AlwaysOverwrite,
        microsoft.exchange.webservices.data.core.enumeration.service
            .SendInvitationsOrCancellationsMode.SendToNone);
    Appointment again = Appointment.bind(service, a.getId());
    assertThat(again.getSubject()).isEqualTo("changed by ews-java-api");
    assertThat(again.getId().getChangeKey()).isNotEqualTo(staleKey);

    // An update based on the old change key, with NeverOverwrite, is refused as Exchange does.
    Appointment stale = Appointment.bind(service, a.getId());
    stale.getId().setChangeKey(staleKey);
    stale.setSubject("stale");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                stale.update(
                    microsoft.exchange.webservices.data.core.enumeration.service
                        .ConflictResolutionMode.NeverOverwrite,
                    microsoft.exchange.webservices.data.core.enumeration.service
                        .SendInvitationsOrCancellationsMode.SendToNone))
        .hasMessageContaining("out of date");

    again.delete(
        microsoft.exchange.webservices.data.core.enumeration.service.DeleteMode.MoveToDeletedItems,
        microsoft.exchange.webservices.data.core.enumeration.service.SendCancellationsMode
            .SendToNone);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Appointment.bind(service, a.getId()))
        .isInstanceOf(Exception.class);
  }

  @Test
  void itsStreamingSubscriptionHearsChangesAsTheyHappen() throws Exception {
    var subscription =
        service.subscribeToStreamingNotifications(
            List.of(
                new microsoft.exchange.webservices.data.property.complex.FolderId(
                    WellKnownFolderName.Calendar)),
            microsoft.exchange.webservices.data.core.enumeration.notification.EventType.Created,
            microsoft.exchange.webservices.data.core.enumeration.notification.EventType.Modified);
    assertThat(subscription.getId()).isNotBlank();
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    var connection =
        new microsoft.exchange.webservices.data.notification.StreamingSubscriptionConnection(
            service, 1);
    connection.addSubscription(subscription);
    connection.addOnNotificationEvent(
        (sender, args) -> {
          for (var event : args.getEvents()) {
            if (event instanceof microsoft.exchange.webservices.data.notification.ItemEvent item) {
              heard.add(item.getEventType() + " " + item.getItemId().getUniqueId());
            }
          }
        });
    connection.open();
    try {
      var client = java.net.http.HttpClient.newHttpClient();
      String created =
          client
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create(sim.baseUrl() + "/_sim/mailboxes/" + MAILBOX + "/events"))
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"subject\":\"Heard by ews-java-api\",\"start\":\"2027-06-01T10:00\","
                                  + "\"end\":\"2027-06-01T11:00\",\"time_zone\":\"UTC\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      String id = created.replaceAll("(?s).*\"ews_id\":\"([^\"]+)\".*", "$1");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> heard.contains("Created " + id));
    } finally {
      // ews-java-api reads a stream to its end before it lets go of it: end it first.
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(sim.baseUrl() + "/_sim/push/ews/drop"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      connection.close();
    }
  }
}
