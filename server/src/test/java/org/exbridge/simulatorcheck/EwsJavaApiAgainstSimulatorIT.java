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
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.service.folder.CalendarFolder;
import microsoft.exchange.webservices.data.core.service.item.Appointment;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.search.CalendarView;
import microsoft.exchange.webservices.data.search.FindItemsResults;
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
}
