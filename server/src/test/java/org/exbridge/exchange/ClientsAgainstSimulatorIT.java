package org.exbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.exbridge.exchange.ExchangeException.Kind;
import org.exbridge.simulator.Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Both clients against the simulator: the same calendars and events through EWS and Graph, and
 * every fault classified.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientsAgainstSimulatorIT {
  private static final String MAILBOX = "user1@exchange.test";
  private Simulator sim;
  private SimulatorFixture fx;

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0).generate(3, 80, 42);
    fx = new SimulatorFixture(sim);
  }

  @AfterAll
  void stop() {
    sim.close();
  }

  @AfterEach
  void clearFaults() {
    fx.clearFaults();
  }

  private static List<SimulatorFixture.Comparable> sorted(List<SourceEvent> events) {
    return events.stream()
        .map(SimulatorFixture::comparable)
        .distinct()
        .sorted(
            Comparator.comparing(SimulatorFixture.Comparable::subject)
                .thenComparing(c -> String.valueOf(c.start())))
        .toList();
  }

  @Test
  void bothProtocolsListTheSameCalendarsAndNothingUnderDeletedItems() {
    List<SourceCalendar> ews = fx.ews().calendars(MAILBOX);
    List<SourceCalendar> graph = fx.graph().calendars(MAILBOX);
    assertThat(ews).extracting(SourceCalendar::name).containsExactlyInAnyOrder("Calendar", "Team");
    assertThat(graph)
        .extracting(SourceCalendar::name)
        .containsExactlyInAnyOrder("Calendar", "Team");
    assertThat(ews.stream().filter(SourceCalendar::isDefault).map(SourceCalendar::name))
        .containsExactly("Calendar");
    assertThat(graph.stream().filter(SourceCalendar::isDefault).map(SourceCalendar::name))
        .containsExactly("Calendar");
    assertThat(ews.stream().filter(c -> !c.writable()).map(SourceCalendar::name))
        .containsExactly("Team");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user1@exchange.test", "user2@exchange.test", "user3@exchange.test"})
  void fullReadsThroughEwsAndGraphGiveTheSameEventsAsTheSimulatorHolds(String mailbox) {
    int truth = fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null).size();
    int seen = 0;
    for (SourceCalendar calendar : fx.ews().calendars(mailbox)) {
      String graphId =
          fx.graph().calendars(mailbox).stream()
              .filter(c -> c.name().equals(calendar.name()))
              .findFirst()
              .orElseThrow()
              .id();
      List<SourceEvent> ews =
          SimulatorFixture.readAll(fx.ews(), mailbox, calendar.id(), null, false).events();
      List<SourceEvent> graph =
          SimulatorFixture.readAll(fx.graph(), mailbox, graphId, null, false).events();
      assertThat(sorted(ews)).isEqualTo(sorted(graph));
      seen += ews.size();
    }
    assertThat(seen).isEqualTo(truth);
  }

  /**
   * A whole series (EWS reads them whole) as Graph's window gives it: the exceptions the calendar
   * view shows, and as deleted the due occurrences wholly inside the window that it does not show
   * (deleted ones, and exceptions moved out of the window).
   */
  private static SourceEvent asGraphSeesIt(SourceEvent e, Instant from, Instant to) {
    if (e.kind() != SourceEvent.Kind.MASTER) {
      return e;
    }
    java.time.ZoneId zone = e.recurrence().zone();
    boolean allDay = e.start().allDay();
    java.util.function.Function<EventTime, Instant> at =
        t -> t.allDay() ? t.date().atStartOfDay(zone).toInstant() : t.instant();
    Duration length = Duration.between(at.apply(e.start()), at.apply(e.end()));
    Instant low = allDay ? from.plus(Duration.ofDays(1)) : from;
    Instant high = allDay ? to.minus(Duration.ofDays(1)) : to;
    List<SourceEvent> shown =
        e.exceptions().stream()
            .filter(x -> at.apply(x.start()).isBefore(to) && at.apply(x.end()).isAfter(from))
            .toList();
    List<EventTime> unseen = new java.util.ArrayList<>(e.deletedOccurrences());
    e.exceptions().stream()
        .filter(x -> !shown.contains(x))
        .map(SourceEvent::originalStart)
        .forEach(unseen::add);
    List<EventTime> deleted =
        unseen.stream()
            .filter(d -> !at.apply(d).isBefore(low) && !at.apply(d).plus(length).isAfter(high))
            .sorted(Comparator.comparing(at))
            .toList();
    return e.withExceptions(shown, deleted);
  }

  @Test
  void windowReadsAgreeWithinTheWindow() {
    Instant from = Instant.now().minus(Duration.ofDays(30));
    Instant to = Instant.now().plus(Duration.ofDays(90));
    for (SourceCalendar calendar : fx.ews().calendars(MAILBOX)) {
      String graphId =
          fx.graph().calendars(MAILBOX).stream()
              .filter(c -> c.name().equals(calendar.name()))
              .findFirst()
              .orElseThrow()
              .id();
      List<SourceEvent> ews = SimulatorFixture.window(fx.ews(), MAILBOX, calendar.id(), from, to);
      List<SourceEvent> graph = SimulatorFixture.window(fx.graph(), MAILBOX, graphId, from, to);
      assertThat(sorted(graph))
          .isEqualTo(sorted(ews.stream().map(e -> asGraphSeesIt(e, from, to)).toList()));
      assertThat(graph)
          .filteredOn(e -> e.kind() == SourceEvent.Kind.MASTER)
          .allSatisfy(e -> assertThat(e.changeKey()).as("partial series").isNull());
      if (calendar.isDefault()) {
        assertThat(ews).isNotEmpty();
        assertThat(graph)
            .anySatisfy(e -> assertThat(e.exceptions()).isNotEmpty())
            .anySatisfy(e -> assertThat(e.deletedOccurrences()).isNotEmpty());
      }
    }
  }

  @Test
  void aSeriesStartedYearsAgoHasItsNearExceptionAndDeletionThroughBothProtocols() {
    String mailbox = "user3@exchange.test";
    java.time.LocalDate monday =
        java.time.LocalDate.now(java.time.ZoneOffset.UTC)
            .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
    java.time.LocalDateTime first = monday.minusWeeks(3 * 52).atTime(9, 0);
    java.time.LocalDateTime moved = monday.plusWeeks(2).atTime(9, 0);
    java.time.LocalDateTime gone = monday.plusWeeks(4).atTime(9, 0);
    fx.control(
        "POST",
        "/_sim/mailboxes/" + mailbox + "/events",
        """
        {"subject":"Weekly since long ago","time_zone":"Europe/Berlin","start":"%s","end":"%s",
         "recurrence":{"type":"weekly","interval":1,"days_of_week":["monday"]},
         "exceptions":[{"original_start":"%s","start":"%s","end":"%s","subject":"Moved once"}],
         "deleted_occurrences":["%s"]}
        """
            .formatted(
                first, first.plusHours(1), moved, moved.plusHours(2), moved.plusHours(3), gone));
    java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
    for (ExchangeSource source : List.of(fx.ews(), fx.graph())) {
      String calendar =
          source.calendars(mailbox).stream()
              .filter(SourceCalendar::isDefault)
              .findFirst()
              .orElseThrow()
              .id();
      SourceEvent series =
          SimulatorFixture.readAll(source, mailbox, calendar, null, false).events().stream()
              .filter(e -> e.subject().equals("Weekly since long ago"))
              .findFirst()
              .orElseThrow();
      assertThat(series.exceptions())
          .extracting(x -> x.originalStart().instant())
          .containsExactly(moved.atZone(berlin).toInstant());
      assertThat(series.deletedOccurrences())
          .extracting(EventTime::instant)
          .containsExactly(gone.atZone(berlin).toInstant());
    }
  }

  @Test
  void changesShowCreatedUpdatedAndDeletedEvents() {
    String ewsCalendar =
        fx.ews().calendars(MAILBOX).stream()
            .filter(SourceCalendar::isDefault)
            .findFirst()
            .orElseThrow()
            .id();
    String graphCalendar =
        fx.graph().calendars(MAILBOX).stream()
            .filter(SourceCalendar::isDefault)
            .findFirst()
            .orElseThrow()
            .id();
    String ewsCursor =
        SimulatorFixture.readAll(fx.ews(), MAILBOX, ewsCalendar, null, false).cursor();
    String graphCursor =
        SimulatorFixture.readAll(fx.graph(), MAILBOX, graphCalendar, null, false).cursor();

    JsonNode created =
        fx.control(
            "POST",
            "/_sim/mailboxes/" + MAILBOX + "/events",
            "{\"subject\":\"New one\",\"time_zone\":\"Europe/Berlin\",\"start\":\"2026-12-01T10:00\",\"end\":\"2026-12-01T11:00\"}");
    JsonNode victim = fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null).get(0);
    JsonNode changed = fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null).get(1);
    fx.control(
        "PUT",
        "/_sim/mailboxes/" + MAILBOX + "/events/" + changed.get("id").asString(),
        "{\"subject\":\"Renamed\"}");
    fx.control(
        "DELETE", "/_sim/mailboxes/" + MAILBOX + "/events/" + victim.get("id").asString(), null);

    SimulatorFixture.Read ews =
        SimulatorFixture.readAll(fx.ews(), MAILBOX, ewsCalendar, ewsCursor, true);
    SimulatorFixture.Read graph =
        SimulatorFixture.readAll(fx.graph(), MAILBOX, graphCalendar, graphCursor, true);
    assertThat(ews.events()).extracting(SourceEvent::subject).contains("New one", "Renamed");
    assertThat(graph.events()).extracting(SourceEvent::subject).contains("New one", "Renamed");
    assertThat(ews.deleted()).contains(victim.get("ews_id").asString());
    assertThat(graph.deleted()).contains(victim.get("id").asString());
    assertThat(sorted(ews.events())).isEqualTo(sorted(graph.events()));
    assertThat(created.get("id").asString()).isNotBlank();
  }

  @Test
  void ntlmAuthenticatesLikeOnPremisesExchange() throws Exception {
    try (var ntlm =
            new org.exbridge.exchange.ews.NtlmEwsTransport(
                java.net.URI.create(sim.baseUrl() + "/EWS/Exchange.asmx"),
                "EXCHANGE\\admin",
                "secret",
                Duration.ofSeconds(30),
                4,
                ExchangeHttp.Limits.DEFAULT);
        var wrong =
            new org.exbridge.exchange.ews.NtlmEwsTransport(
                java.net.URI.create(sim.baseUrl() + "/EWS/Exchange.asmx"),
                "admin@exchange.test",
                "nope",
                Duration.ofSeconds(30),
                4,
                ExchangeHttp.Limits.DEFAULT)) {
      var client = new org.exbridge.exchange.ews.EwsClient(ntlm, 4);
      client.verify(MAILBOX);
      assertThat(client.calendars(MAILBOX))
          .extracting(SourceCalendar::name)
          .containsExactlyInAnyOrder("Calendar", "Team");
      String calendar = client.calendars(MAILBOX).get(0).id();
      assertThat(SimulatorFixture.readAll(client, MAILBOX, calendar, null, false).events())
          .isNotEmpty();
      assertThatThrownBy(() -> new org.exbridge.exchange.ews.EwsClient(wrong, 4).verify(MAILBOX))
          .isInstanceOfSatisfying(
              ExchangeException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
                assertThat(e.code()).isEqualTo("HTTP 401");
              });
    }
  }

  @Test
  void ewsThrottlingCarriesTheBackOff() {
    fx.fault("{\"protocol\":\"ews\",\"kind\":\"throttle\",\"backoff_ms\":1234,\"times\":1}");
    assertThatThrownBy(() -> fx.ews().calendars(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
              assertThat(e.code()).isEqualTo("ErrorServerBusy");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1234));
            });
    fx.fault(
        "{\"protocol\":\"ews\",\"operation\":\"SyncFolderItems\",\"kind\":\"throttle\",\"backoff_ms\":77,\"times\":1}");
    String calendar = fx.ews().calendars(MAILBOX).get(0).id();
    assertThatThrownBy(() -> fx.ews().all(MAILBOX, calendar, null))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(77)));
  }

  @Test
  void graphThrottlingCarriesRetryAfter() {
    fx.fault("{\"protocol\":\"graph\",\"kind\":\"throttle\",\"backoff_ms\":2000,\"times\":1}");
    assertThatThrownBy(() -> fx.graph().calendars(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
            });
  }

  @Test
  void deniedImpersonationIsPermanent() {
    fx.fault("{\"mailbox\":\"user2@exchange.test\",\"kind\":\"impersonation_denied\"}");
    assertThatThrownBy(() -> fx.ews().verify("user2@exchange.test"))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(e.code()).isEqualTo("ErrorImpersonateUserDenied");
            });
    assertThatThrownBy(() -> fx.graph().verify("user2@exchange.test"))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMANENT));
    fx.ews().verify(MAILBOX);
  }

  @Test
  void anUnknownMailboxIsPermanent() {
    assertThatThrownBy(() -> fx.ews().verify("nobody@exchange.test"))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(e.code()).isEqualTo("ErrorNonExistentMailbox");
            });
    assertThatThrownBy(() -> fx.graph().verify("nobody@exchange.test"))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMANENT));
  }

  @Test
  void badCredentialsArePermanent() {
    assertThatThrownBy(() -> fx.ews("wrong").verify(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(e.code()).isEqualTo("HTTP 401");
            });
    assertThatThrownBy(() -> fx.graph("wrong").verify(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(e.code()).isEqualTo("invalid_client");
            });
  }

  @Test
  void aLostSyncStateIsReportedAsSuch() {
    String ewsCalendar = fx.ews().calendars(MAILBOX).get(0).id();
    String ewsCursor = fx.ews().all(MAILBOX, ewsCalendar, null).cursor();
    fx.fault("{\"kind\":\"invalid_sync_state\"}");
    assertThatThrownBy(() -> fx.ews().changes(MAILBOX, ewsCalendar, ewsCursor))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CURSOR_LOST));
    String graphCalendar = fx.graph().calendars(MAILBOX).get(0).id();
    fx.clearFaults();
    String graphCursor =
        SimulatorFixture.readAll(fx.graph(), MAILBOX, graphCalendar, null, false).cursor();
    fx.fault("{\"kind\":\"invalid_sync_state\"}");
    assertThatThrownBy(() -> fx.graph().changes(MAILBOX, graphCalendar, graphCursor))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CURSOR_LOST));
  }

  @Test
  void serverFailuresAreRetryableOrThrottled() {
    fx.fault("{\"protocol\":\"ews\",\"kind\":\"http_503\",\"times\":1}");
    assertThatThrownBy(() -> fx.ews().verify(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.THROTTLED));
    fx.fault("{\"protocol\":\"ews\",\"kind\":\"http_500\",\"times\":1}");
    assertThatThrownBy(() -> fx.ews().verify(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
    fx.fault("{\"protocol\":\"graph\",\"kind\":\"http_500\",\"times\":1}");
    assertThatThrownBy(() -> fx.graph().calendars(MAILBOX))
        .isInstanceOfSatisfying(
            ExchangeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
  }

  @Test
  void theSimulatorHoldsEverySortOfEvent() {
    JsonNode events = fx.control("GET", "/_sim/mailboxes/" + MAILBOX + "/events", null);
    Set<String> zones =
        java.util.stream.StreamSupport.stream(events.spliterator(), false)
            .map(e -> e.get("time_zone").asString())
            .collect(Collectors.toSet());
    assertThat(zones.size()).isGreaterThan(3);
    assertThat(events).anySatisfy(e -> assertThat(e.get("all_day").asBoolean()).isTrue());
    assertThat(events).anySatisfy(e -> assertThat(e.path("exceptions").size()).isPositive());
    assertThat(events)
        .anySatisfy(e -> assertThat(e.path("deleted_occurrences").size()).isPositive());
    assertThat(events).anySatisfy(e -> assertThat(e.path("attendees").size()).isPositive());
  }

  @Test
  void aSeriesChangedRightAfterAWindowReadIsReadAgainNotServedFromTheCache() throws Exception {
    String mailbox = "user2@exchange.test";
    java.time.Instant from = java.time.Instant.now().minus(java.time.Duration.ofDays(30));
    java.time.Instant to = java.time.Instant.now().plus(java.time.Duration.ofDays(90));
    for (ExchangeSource source : List.of(fx.ews(), fx.graph())) {
      String calendarId = source.calendars(mailbox).get(0).id();
      SourceEvent series =
          source.window(mailbox, calendarId, from, to, null).events().stream()
              .filter(e -> e.recurrence() != null)
              .findFirst()
              .orElseThrow();
      String simId = null;
      for (var e : fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null)) {
        if (e.get("subject").asString().equals(series.subject())) {
          simId = e.get("id").asString();
        }
      }
      String renamed = series.subject() + " (renamed " + source.getClass().getSimpleName() + ")";
      fx.control(
          "PUT",
          "/_sim/mailboxes/" + mailbox + "/events/" + simId,
          "{\"subject\":\"" + renamed + "\"}");
      // Read again at once, well within what a time-based cache would have trusted.
      assertThat(
              readAllWindow(source, mailbox, calendarId, from, to).stream()
                  .map(SourceEvent::subject))
          .as(source.getClass().getSimpleName())
          .contains(renamed)
          .doesNotContain(series.subject());
    }
  }

  private static List<SourceEvent> readAllWindow(
      ExchangeSource source,
      String mailbox,
      String calendarId,
      java.time.Instant from,
      java.time.Instant to) {
    List<SourceEvent> out = new java.util.ArrayList<>();
    String cursor = null;
    SourcePage page;
    do {
      page = source.window(mailbox, calendarId, from, to, cursor);
      out.addAll(page.events());
      cursor = page.cursor();
    } while (page.more());
    return out;
  }
}
