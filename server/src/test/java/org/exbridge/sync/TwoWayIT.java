package org.exbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.lark.oapi.Client;
import com.lark.oapi.core.request.RequestOptions;
import com.lark.oapi.service.calendar.v4.model.CalendarEvent;
import com.lark.oapi.service.calendar.v4.model.CreateCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.CreateCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.DeleteCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.DeleteCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.EventLocation;
import com.lark.oapi.service.calendar.v4.model.Instance;
import com.lark.oapi.service.calendar.v4.model.InstanceViewCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.ListCalendarReq;
import com.lark.oapi.service.calendar.v4.model.PatchCalendarEventReq;
import com.lark.oapi.service.calendar.v4.model.PatchCalendarEventResp;
import com.lark.oapi.service.calendar.v4.model.TimeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Two-way through the official SDK, both protocols, H2 and PostgreSQL: events created, changed and
 * deleted through the calendar API reach the simulator's mailbox once, with their zones and
 * patterns, without echo, and edits on both sides are merged by the documented rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoWayIT {
  private static final String EWS = "twoway-ews@exchange.test";
  private static final String GRAPH = "twoway-graph@exchange.test";
  private Simulator sim;
  private SimulatorFixture fx;
  private final Map<Database, Side> sides = new EnumMap<>(Database.class);

  private record Side(
      ExbridgeServer server,
      Operator operator,
      String boss,
      Client sdk,
      RequestOptions asEws,
      RequestOptions asGraph,
      RequestOptions asBob,
      String ewsCalendar,
      String graphCalendar) {}

  @BeforeAll
  void start() throws Exception {
    sim = Simulator.start(0);
    fx = new SimulatorFixture(sim);
    for (Database db : Database.values()) {
      for (String mailbox : List.of(EWS, GRAPH)) {
        fx.control(
            "POST",
            "/_sim/mailboxes",
            Http.JSON.writeValueAsString(
                Map.of(
                    "address",
                    db.name().toLowerCase() + "-" + mailbox,
                    "name",
                    "Two Way",
                    "calendars",
                    List.of(Map.of("name", "Calendar", "events", List.of())))));
      }
      Path data = Files.createTempDirectory("exbridge-twoway");
      ExbridgeServer server =
          ExbridgeServer.start(
              db.fresh(data),
              data,
              null,
              Map.of(
                  "exbridge.sync.poll-interval", "50ms",
                  "exbridge.sync.interval", "1s",
                  // Rounds every second even while push is healthy: the tests count them.
                  "exbridge.push.safety-interval", "1s",
                  "exbridge.rate-limit.method-per-second", "100000",
                  "exbridge.rate-limit.method-per-minute", "1000000",
                  "exbridge.rate-limit.app-per-second", "100000"));
      Operator operator = new Operator(server.baseUrl());
      Operator.Staffed acme = operator.staffedTenant("acme", "ews_user", "graph_user", "bob");
      operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
      operator.simulatorGraphAccount("acme", "graph@exchange.test", sim.baseUrl());
      String a =
          operator.bind(acme.bossToken(), "admin@exchange.test", mailbox(db, "ews"), "ews_user");
      String b =
          operator.bind(
              acme.bossToken(), "graph@exchange.test", mailbox(db, "graph"), "graph_user");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  operator.status(acme.bossToken(), a).equals("done")
                      && operator.status(acme.bossToken(), b).equals("done"));
      Client sdk =
          Client.newBuilder(acme.app().appId(), acme.app().appSecret())
              .openBaseUrl(server.baseUrl())
              .build();
      RequestOptions ews = as(operator, acme, "ews_user");
      RequestOptions graph = as(operator, acme, "graph_user");
      sides.put(
          db,
          new Side(
              server,
              operator,
              acme.bossToken(),
              sdk,
              ews,
              graph,
              as(operator, acme, "bob"),
              calendarOf(sdk, ews),
              calendarOf(sdk, graph)));
    }
  }

  @AfterAll
  void stop() {
    sides.values().forEach(s -> s.server().close());
    sim.close();
  }

  private static String mailbox(Database db, String protocol) {
    return db.name().toLowerCase() + "-" + (protocol.equals("ews") ? EWS : GRAPH);
  }

  private static RequestOptions as(Operator operator, Operator.Staffed acme, String user) {
    return RequestOptions.newBuilder()
        .userAccessToken(operator.userToken("acme", user, acme.app().appId()))
        .build();
  }

  private static String calendarOf(Client sdk, RequestOptions as) throws Exception {
    return sdk.calendar()
        .calendar()
        .list(ListCalendarReq.newBuilder().build(), as)
        .getData()
        .getCalendarList()[0]
        .getCalendarId();
  }

  private RequestOptions user(Side s, String protocol) {
    return protocol.equals("ews") ? s.asEws() : s.asGraph();
  }

  private String calendar(Side s, String protocol) {
    return protocol.equals("ews") ? s.ewsCalendar() : s.graphCalendar();
  }

  /** The simulator's truth for the mailbox: its events by subject. */
  private List<JsonNode> truth(Database db, String protocol, String subjectPrefix) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e :
        fx.control("GET", "/_sim/mailboxes/" + mailbox(db, protocol) + "/events", null)) {
      if (e.path("subject").asString("").startsWith(subjectPrefix)) {
        out.add(e);
      }
    }
    return out;
  }

  private int writeRequests(String protocol) {
    JsonNode ops = fx.control("GET", "/_sim/requests", null).path("by_operation");
    int n = 0;
    for (String op :
        protocol.equals("ews")
            ? List.of("ews:CreateItem", "ews:UpdateItem", "ews:DeleteItem")
            : List.of("graph:create", "graph:update", "graph:delete", "graph:cancel")) {
      n += ops.path(op).asInt(0);
    }
    return n;
  }

  private static TimeInfo at(Instant t, String zone) {
    return TimeInfo.newBuilder()
        .timestamp(Long.toString(t.getEpochSecond()))
        .timezone(zone)
        .build();
  }

  private CreateCalendarEventResp create(Side s, String protocol, CalendarEvent event, String key)
      throws Exception {
    CreateCalendarEventReq.Builder req =
        CreateCalendarEventReq.newBuilder().calendarId(calendar(s, protocol)).calendarEvent(event);
    if (key != null) {
      req.idempotencyKey(key);
    }
    return s.sdk().calendar().calendarEvent().create(req.build(), user(s, protocol));
  }

  private PatchCalendarEventResp patch(Side s, String protocol, String eventId, CalendarEvent event)
      throws Exception {
    return s.sdk()
        .calendar()
        .calendarEvent()
        .patch(
            PatchCalendarEventReq.newBuilder()
                .calendarId(calendar(s, protocol))
                .eventId(eventId)
                .calendarEvent(event)
                .build(),
            user(s, protocol));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void singlesSeriesAndInstancesReachExchangeOnceInTheirZoneWithoutEcho(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Single " + UUID.randomUUID().toString().substring(0, 6);
    Instant start = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    CalendarEvent single =
        CalendarEvent.newBuilder()
            .summary(tag)
            .description("made in Feishu")
            .startTime(at(start, "Asia/Shanghai"))
            .endTime(at(start.plusSeconds(3600), "Asia/Shanghai"))
            .location(EventLocation.newBuilder().name("Room 1").build())
            .build();
    String key = UUID.randomUUID().toString();
    CreateCalendarEventResp created = create(s, protocol, single, key);
    assertThat(created.success()).as(created.getMsg()).isTrue();
    String eventId = created.getData().getEvent().getEventId();
    // The same idempotency key answers the same event.
    CreateCalendarEventResp again = create(s, protocol, single, key);
    assertThat(again.getData().getEvent().getEventId()).isEqualTo(eventId);
    await().atMost(Duration.ofSeconds(10)).until(() -> truth(db, protocol, tag).size() == 1);
    JsonNode item = truth(db, protocol, tag).get(0);
    assertThat(item.path("time_zone").asString()).isEqualTo("Asia/Shanghai");
    assertThat(item.path("start").asString())
        .isEqualTo(LocalDateTime.ofInstant(start, ZoneId.of("Asia/Shanghai")).toString());
    assertThat(item.path("location").asString()).isEqualTo("Room 1");
    assertThat(item.path("body").asString()).isEqualTo("made in Feishu");

    // Moved by an hour and renamed.
    PatchCalendarEventResp moved =
        patch(
            s,
            protocol,
            eventId,
            CalendarEvent.newBuilder()
                .summary(tag + " moved")
                .startTime(at(start.plusSeconds(3600), "Asia/Shanghai"))
                .endTime(at(start.plusSeconds(7200), "Asia/Shanghai"))
                .build());
    assertThat(moved.success()).as(moved.getMsg()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> truth(db, protocol, tag + " moved").size() == 1);
    assertThat(truth(db, protocol, tag + " moved").get(0).path("start").asString())
        .isEqualTo(
            LocalDateTime.ofInstant(start.plusSeconds(3600), ZoneId.of("Asia/Shanghai"))
                .toString());
    assertThat(truth(db, protocol, tag)).hasSize(1);

    // A series in Berlin time: weekly on Monday and Wednesday, six times.
    String series = "Series " + UUID.randomUUID().toString().substring(0, 6);
    Instant monday =
        LocalDateTime.of(2027, 3, 22, 9, 0).atZone(ZoneId.of("Europe/Berlin")).toInstant();
    CreateCalendarEventResp made =
        create(
            s,
            protocol,
            CalendarEvent.newBuilder()
                .summary(series)
                .startTime(at(monday, "Europe/Berlin"))
                .endTime(at(monday.plusSeconds(1800), "Europe/Berlin"))
                .recurrence("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6")
                .build(),
            null);
    assertThat(made.success()).as(made.getMsg()).isTrue();
    String seriesId = made.getData().getEvent().getEventId();
    await().atMost(Duration.ofSeconds(10)).until(() -> truth(db, protocol, series).size() == 1);
    JsonNode r = truth(db, protocol, series).get(0).path("recurrence");
    assertThat(r.path("type").asString()).isEqualTo("weekly");
    assertThat(r.path("count").asInt()).isEqualTo(6);
    assertThat(r.path("days_of_week").toString()).isEqualTo("[\"monday\",\"wednesday\"]");
    assertThat(truth(db, protocol, series).get(0).path("time_zone").asString())
        .isEqualTo("Europe/Berlin");
    // Wait until the series is stored as Exchange holds it (no write pending), then edit instances.
    settled(s);
    Instance[] instances =
        s.sdk()
            .calendar()
            .calendarEvent()
            .instanceView(
                InstanceViewCalendarEventReq.newBuilder()
                    .calendarId(calendar(s, protocol))
                    .startTime(Long.toString(monday.getEpochSecond() - 60))
                    .endTime(Long.toString(monday.plus(30, ChronoUnit.DAYS).getEpochSecond()))
                    .build(),
                user(s, protocol))
            .getData()
            .getItems();
    assertThat(instances).hasSize(6);
    PatchCalendarEventResp one =
        patch(
            s,
            protocol,
            instances[1].getEventId(),
            CalendarEvent.newBuilder()
                .summary(series + " (one)")
                .startTime(at(monday.plus(2, ChronoUnit.DAYS).plusSeconds(3600), "Europe/Berlin"))
                .endTime(at(monday.plus(2, ChronoUnit.DAYS).plusSeconds(5400), "Europe/Berlin"))
                .build());
    assertThat(one.success()).as(one.getMsg()).isTrue();
    DeleteCalendarEventResp gone =
        s.sdk()
            .calendar()
            .calendarEvent()
            .delete(
                DeleteCalendarEventReq.newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(instances[2].getEventId())
                    .build(),
                user(s, protocol));
    assertThat(gone.success()).as(gone.getMsg()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode t = truth(db, protocol, series).get(0);
              return t.path("exceptions").size() == 1 && t.path("deleted_occurrences").size() == 1;
            });
    JsonNode t = truth(db, protocol, series).get(0);
    assertThat(t.path("exceptions").get(0).path("subject").asString()).isEqualTo(series + " (one)");
    assertThat(t.path("exceptions").get(0).path("start").asString()).isEqualTo("2027-03-24T10:00");
    assertThat(t.path("deleted_occurrences").get(0).asString()).isEqualTo("2027-03-29T09:00");

    // Deleting the single removes it from the mailbox.
    DeleteCalendarEventResp deleted =
        s.sdk()
            .calendar()
            .calendarEvent()
            .delete(
                DeleteCalendarEventReq.newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(eventId)
                    .build(),
                user(s, protocol));
    assertThat(deleted.success()).as(deleted.getMsg()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> truth(db, protocol, tag).isEmpty());
    settled(s);

    // No echo: rounds that read these writes back write nothing and change nothing.
    int writes = writeRequests(protocol);
    long changeSeq =
        s.server()
            .jdbc()
            .sql("select max(change_seq) from synced_event")
            .query(Long.class)
            .single();
    int rounds = rounds(protocol, db);
    int getItems =
        fx.control("GET", "/_sim/requests", null).path("by_operation").path("ews:GetItem").asInt(0);
    await().atMost(Duration.ofSeconds(15)).until(() -> rounds(protocol, db) >= rounds + 2);
    assertThat(writeRequests(protocol)).isEqualTo(writes);
    if (protocol.equals("ews")) {
      // SyncFolderItems reports the written items with the change keys the store holds: the
      // rounds fetch none of them again.
      assertThat(
              fx.control("GET", "/_sim/requests", null)
                  .path("by_operation")
                  .path("ews:GetItem")
                  .asInt(0))
          .isEqualTo(getItems);
    }
    assertThat(
            s.server()
                .jdbc()
                .sql("select max(change_seq) from synced_event")
                .query(Long.class)
                .single())
        .isEqualTo(changeSeq);
    // Appointments without attendees send nothing.
    for (JsonNode m :
        fx.control("GET", "/_sim/mailboxes/" + mailbox(db, protocol) + "/messages", null)) {
      assertThat(m.path("subject").asString()).doesNotStartWith(tag).doesNotStartWith(series);
    }
  }

  private int outbound(Side s) {
    return s.server()
        .jdbc()
        .sql("select count(*) from outbound_write")
        .query(Integer.class)
        .single();
  }

  private static int pending(Side s) {
    return s.server()
        .jdbc()
        .sql("select count(*) from outbound_write where state = 'pending'")
        .query(Integer.class)
        .single();
  }

  /** Every write made so far has reached Exchange (or failed) and been read back. */
  private void settled(Side s) {
    await().atMost(Duration.ofSeconds(15)).until(() -> pending(s) == 0);
  }

  /** The event the store holds with this summary, once the sync has stored it. */
  private static String storedEventId(Side s, String summary) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                s.server()
                        .jdbc()
                        .sql("select count(*) from synced_event where summary = ?")
                        .param(summary)
                        .query(Integer.class)
                        .single()
                    == 1);
    return s.server()
        .jdbc()
        .sql("select event_id from synced_event where summary = ?")
        .param(summary)
        .query(String.class)
        .single();
  }

  private static boolean deleted(Side s, String eventId) {
    return s.server()
        .jdbc()
        .sql("select deleted from synced_event where event_id = ?")
        .param(eventId)
        .query(Boolean.class)
        .single();
  }

  private String createOne(Side s, Database db, String protocol, String tag) throws Exception {
    Instant start = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    CreateCalendarEventResp created =
        create(
            s,
            protocol,
            CalendarEvent.newBuilder()
                .summary(tag)
                .startTime(at(start, "Europe/Paris"))
                .endTime(at(start.plusSeconds(1800), "Europe/Paris"))
                .build(),
            null);
    assertThat(created.success()).as(created.getMsg()).isTrue();
    return created.getData().getEvent().getEventId();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void anAnswerLostAfterExchangeCreatedTheItemThenARetryLeavesOneItem(Database db, String protocol)
      throws Exception {
    Side s = sides.get(db);
    String tag = "Lost " + UUID.randomUUID().toString().substring(0, 6);
    fx.fault(
        Http.JSON.writeValueAsString(
            Map.of(
                "mailbox",
                mailbox(db, protocol),
                "protocol",
                protocol,
                "operation",
                protocol.equals("ews") ? "CreateItem" : "create",
                "kind",
                "lost_response",
                "times",
                1)));
    try {
      createOne(s, db, protocol, tag);
      settled(s);
    } finally {
      fx.clearFaults();
    }
    assertThat(truth(db, protocol, tag)).hasSize(1);
    assertThat(
            s.server()
                .jdbc()
                .sql("select count(*) from synced_event where summary = ? and deleted = false")
                .param(tag)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void editsOnBothSidesMergeFieldByFieldAndTheSameFieldKeepsExchangesValue(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Both " + UUID.randomUUID().toString().substring(0, 6);
    String eventId = createOne(s, db, protocol, tag);
    settled(s);
    String itemId = truth(db, protocol, tag).get(0).path("id").asString();
    String path = "/_sim/mailboxes/" + mailbox(db, protocol) + "/events/" + itemId;
    String throttle =
        Http.JSON.writeValueAsString(
            Map.of(
                "mailbox",
                mailbox(db, protocol),
                "protocol",
                protocol,
                "operation",
                protocol.equals("ews") ? "UpdateItem" : "update",
                "kind",
                "throttle",
                "backoff_ms",
                3000,
                "times",
                1));
    // Different fields: the location in Feishu, the subject in Outlook, while the write waits.
    fx.fault(throttle);
    assertThat(
            patch(
                    s,
                    protocol,
                    eventId,
                    CalendarEvent.newBuilder()
                        .location(EventLocation.newBuilder().name("From Feishu").build())
                        .build())
                .success())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                fx.control("GET", "/_sim/requests", null)
                        .path("by_operation")
                        .path(protocol.equals("ews") ? "ews:UpdateItem" : "graph:update")
                        .asInt(0)
                    > 0);
    fx.control("PATCH", path, "{\"subject\":\"" + tag + " from Outlook\"}");
    settled(s);
    JsonNode t = truth(db, protocol, tag).get(0);
    assertThat(t.path("subject").asString()).isEqualTo(tag + " from Outlook");
    assertThat(t.path("location").asString()).isEqualTo("From Feishu");
    // The same field on both sides: Exchange's value stays, and the conflict is recorded.
    fx.clearFaults();
    fx.fault(throttle);
    int before = writeRequests(protocol);
    assertThat(
            patch(s, protocol, eventId, CalendarEvent.newBuilder().summary(tag + " Feishu").build())
                .success())
        .isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> writeRequests(protocol) > before);
    fx.control("PATCH", path, "{\"subject\":\"" + tag + " Outlook again\"}");
    settled(s);
    fx.clearFaults();
    assertThat(truth(db, protocol, tag).get(0).path("subject").asString())
        .isEqualTo(tag + " Outlook again");
    assertThat(
            s.server()
                .jdbc()
                .sql("select conflicts from outbound_write order by id desc limit 1")
                .query(String.class)
                .single())
        .isEqualTo("summary");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                s.server()
                    .jdbc()
                    .sql("select summary from synced_event where event_id = ?")
                    .param(eventId)
                    .query(String.class)
                    .single()
                    .equals(tag + " Outlook again"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "POSTGRES, graph"})
  void anotherUserAndWhatExchangeCannotHoldAreRefusedWithNothingWritten(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Mine " + UUID.randomUUID().toString().substring(0, 6);
    String eventId = createOne(s, db, protocol, tag);
    settled(s);
    int writes = outbound(s);
    PatchCalendarEventResp bob =
        s.sdk()
            .calendar()
            .calendarEvent()
            .patch(
                PatchCalendarEventReq.newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(eventId)
                    .calendarEvent(CalendarEvent.newBuilder().summary("bob was here").build())
                    .build(),
                s.asBob());
    assertThat(bob.getCode()).isEqualTo(191002);
    Instant start = Instant.now().plus(5, ChronoUnit.DAYS);
    CreateCalendarEventResp odd =
        create(
            s,
            protocol,
            CalendarEvent.newBuilder()
                .summary(tag + " odd")
                .startTime(at(start, "UTC"))
                .endTime(at(start.plusSeconds(600), "UTC"))
                .recurrence("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2")
                .build(),
            null);
    assertThat(odd.getCode()).isEqualTo(190002);
    assertThat(odd.getMsg()).contains("recurrence");
    PatchCalendarEventResp backwards =
        patch(
            s,
            protocol,
            eventId,
            CalendarEvent.newBuilder()
                .startTime(at(start, "UTC"))
                .endTime(at(start.minusSeconds(600), "UTC"))
                .build());
    assertThat(backwards.getCode()).isEqualTo(190002);
    // A bare offset has no Exchange zone (it would show in UTC in Outlook); a year past 9999 is no
    // date Exchange or the store keeps.
    CreateCalendarEventResp offset =
        create(
            s,
            protocol,
            CalendarEvent.newBuilder()
                .summary(tag + " offset")
                .startTime(at(start, "+05:45"))
                .endTime(at(start.plusSeconds(600), "+05:45"))
                .build(),
            null);
    assertThat(offset.getCode()).isEqualTo(190002);
    assertThat(offset.getMsg()).contains("timezone");
    CreateCalendarEventResp far =
        create(
            s,
            protocol,
            CalendarEvent.newBuilder()
                .summary(tag + " far")
                .startTime(TimeInfo.newBuilder().date("+99999-01-01").build())
                .endTime(TimeInfo.newBuilder().date("+99999-01-02").build())
                .build(),
            null);
    assertThat(far.getCode()).isEqualTo(190002);
    assertThat(outbound(s)).isEqualTo(writes);
    assertThat(truth(db, protocol, tag).get(0).path("subject").asString()).isEqualTo(tag);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "POSTGRES, graph"})
  void oneIdempotencyKeyAtOnceFromManyCallersMakesOneEventInItsExchangeZone(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Race " + UUID.randomUUID().toString().substring(0, 6);
    String key = UUID.randomUUID().toString();
    Instant start = Instant.now().plus(6, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    // An IANA alias CLDR does not list (Asia/Chongqing) is written as the zone with its rules.
    CalendarEvent event =
        CalendarEvent.newBuilder()
            .summary(tag)
            .startTime(at(start, "Asia/Chongqing"))
            .endTime(at(start.plusSeconds(900), "Asia/Chongqing"))
            .build();
    List<java.util.concurrent.Future<CreateCalendarEventResp>> calls = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
      for (int i = 0; i < 12; i++) {
        calls.add(pool.submit(() -> create(s, protocol, event, key)));
      }
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var call : calls) {
      CreateCalendarEventResp r = call.get();
      assertThat(r.getCode()).as(r.getMsg()).isZero();
      ids.add(r.getData().getEvent().getEventId());
    }
    assertThat(ids).hasSize(1);
    settled(s);
    assertThat(truth(db, protocol, tag)).hasSize(1);
    assertThat(truth(db, protocol, tag).get(0).path("time_zone").asString())
        .isEqualTo("Asia/Shanghai");
  }

  private String throttle(Database db, String protocol, String ews, String graph) throws Exception {
    return Http.JSON.writeValueAsString(
        Map.of(
            "mailbox",
            mailbox(db, protocol),
            "protocol",
            protocol,
            "operation",
            protocol.equals("ews") ? ews : graph,
            "kind",
            "throttle",
            "backoff_ms",
            3000,
            "times",
            1));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void aWriteExchangeRefusesFailsInWordsAndTheEventShowsExchangesVersionAgain(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Refused " + UUID.randomUUID().toString().substring(0, 6);
    String eventId = createOne(s, db, protocol, tag);
    settled(s);
    String itemId = truth(db, protocol, tag).get(0).path("id").asString();
    fx.fault(throttle(db, protocol, "UpdateItem", "update"));
    try {
      int before = writeRequests(protocol);
      assertThat(
              patch(
                      s,
                      protocol,
                      eventId,
                      CalendarEvent.newBuilder()
                          .location(EventLocation.newBuilder().name("Never there").build())
                          .build())
                  .success())
          .isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> writeRequests(protocol) > before);
      // Meanwhile someone deletes it in Outlook: the write has nothing left to change.
      fx.control("DELETE", "/_sim/mailboxes/" + mailbox(db, protocol) + "/events/" + itemId, null);
      settled(s);
    } finally {
      fx.clearFaults();
    }
    String[] last =
        s.server()
            .jdbc()
            .sql("select state, last_error from outbound_write order by id desc limit 1")
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .single();
    assertThat(last[0]).isEqualTo("failed");
    assertThat(last[1]).contains("ErrorItemNotFound");
    assertThat(deleted(s, eventId)).isTrue();
    JsonNode progress = s.operator().adminGet("/admin/api/v1/bindings/" + bindingId(db, protocol));
    assertThat(progress.path("status").asString()).isEqualTo("done");
    assertThat(progress.path("writes").path("failed").asInt()).isPositive();
  }

  private static String bindingId(Database db, String protocol) {
    String admin = protocol.equals("ews") ? "admin@exchange.test" : "graph@exchange.test";
    return java.util.Base64.getEncoder()
        .encodeToString(
            (admin + " " + mailbox(db, protocol))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "POSTGRES, graph"})
  void unbindingDropsPendingWritesAndNothingReachesExchangeAfterwards(Database db, String protocol)
      throws Exception {
    Side s = sides.get(db);
    String mailbox = "unbind-" + db.name().toLowerCase() + "-" + protocol + "@exchange.test";
    fx.control(
        "POST",
        "/_sim/mailboxes",
        Http.JSON.writeValueAsString(
            Map.of(
                "address",
                mailbox,
                "calendars",
                List.of(Map.of("name", "Calendar", "events", List.of())))));
    String admin = protocol.equals("ews") ? "admin@exchange.test" : "graph@exchange.test";
    String id = s.operator().bind(s.boss(), admin, mailbox, "bob");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> s.operator().status(s.boss(), id).equals("done"));
    String calendar = calendarOf(s.sdk(), s.asBob());
    fx.fault(
        Http.JSON.writeValueAsString(
            Map.of(
                "mailbox",
                mailbox,
                "operation",
                protocol.equals("ews") ? "CreateItem" : "create",
                "kind",
                "throttle",
                "backoff_ms",
                3000,
                "times",
                1)));
    try {
      Instant start = Instant.now().plus(1, ChronoUnit.DAYS);
      int before = writeRequests(protocol);
      CreateCalendarEventResp made =
          s.sdk()
              .calendar()
              .calendarEvent()
              .create(
                  CreateCalendarEventReq.newBuilder()
                      .calendarId(calendar)
                      .calendarEvent(
                          CalendarEvent.newBuilder()
                              .summary("never delivered")
                              .startTime(at(start, "UTC"))
                              .endTime(at(start.plusSeconds(60), "UTC"))
                              .build())
                      .build(),
                  s.asBob());
      assertThat(made.success()).as(made.getMsg()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> writeRequests(protocol) > before);
      Http.Reply unbound =
          new Http(s.server().baseUrl())
              .send(
                  "DELETE", "/open-apis/calendar/v4/exchange_bindings/" + id, s.boss(), null, null);
      assertThat(unbound.status()).as(unbound.body()).isEqualTo(200);
      assertThat(pending(s)).isZero();
      int after = writeRequests(protocol);
      // Past the moment the write would have been retried: nothing arrives.
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(6))
          .until(
              () ->
                  writeRequests(protocol) == after
                      && fx.control("GET", "/_sim/mailboxes/" + mailbox + "/events", null)
                          .isEmpty());
    } finally {
      fx.clearFaults();
    }
  }

  private List<JsonNode> messagesAbout(Database db, String protocol, String subject) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m :
        fx.control("GET", "/_sim/mailboxes/" + mailbox(db, protocol) + "/messages", null)) {
      if (m.path("subject").asString("").equals(subject)) {
        out.add(m);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void attendeesAddedAndRemovedReachTheMeetingAndOnlyTheyAreMailed(Database db, String protocol)
      throws Exception {
    Side s = sides.get(db);
    String tag = "Invite " + UUID.randomUUID().toString().substring(0, 6);
    String eventId = createOne(s, db, protocol, tag);
    settled(s);
    var added =
        s.sdk()
            .calendar()
            .calendarEventAttendee()
            .create(
                com.lark.oapi.service.calendar.v4.model.CreateCalendarEventAttendeeReq.newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(eventId)
                    .createCalendarEventAttendeeReqBody(
                        com.lark.oapi.service.calendar.v4.model.CreateCalendarEventAttendeeReqBody
                            .newBuilder()
                            .attendees(
                                new com.lark.oapi.service.calendar.v4.model.CalendarEventAttendee
                                    [] {
                                  com.lark.oapi.service.calendar.v4.model.CalendarEventAttendee
                                      .newBuilder()
                                      .type("third_party")
                                      .thirdPartyEmail("Ann@Example.test")
                                      .build(),
                                  com.lark.oapi.service.calendar.v4.model.CalendarEventAttendee
                                      .newBuilder()
                                      .type("third_party")
                                      .thirdPartyEmail("ben@example.test")
                                      .isOptional(true)
                                      .build()
                                })
                            .build())
                    .build(),
                user(s, protocol));
    assertThat(added.success()).as(added.getMsg()).isTrue();
    assertThat(added.getData().getAttendees()).hasSize(2);
    settled(s);
    JsonNode attendees = truth(db, protocol, tag).get(0).path("attendees");
    assertThat(attendees.toString())
        .contains("\"email\":\"ann@example.test\",\"type\":\"required\"")
        .contains("\"email\":\"ben@example.test\",\"type\":\"optional\"");
    assertThat(messagesAbout(db, protocol, tag))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.path("kind").asString()).isEqualTo("invitation");
              assertThat(m.path("to").toString())
                  .isEqualTo("[\"ann@example.test\",\"ben@example.test\"]");
            });
    var removed =
        s.sdk()
            .calendar()
            .calendarEventAttendee()
            .batchDelete(
                com.lark.oapi.service.calendar.v4.model.BatchDeleteCalendarEventAttendeeReq
                    .newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(eventId)
                    .batchDeleteCalendarEventAttendeeReqBody(
                        com.lark.oapi.service.calendar.v4.model
                            .BatchDeleteCalendarEventAttendeeReqBody.newBuilder()
                            .deleteIds(
                                new com.lark.oapi.service.calendar.v4.model.CalendarEventAttendeeId
                                    [] {
                                  com.lark.oapi.service.calendar.v4.model.CalendarEventAttendeeId
                                      .newBuilder()
                                      .type("third_party")
                                      .thirdPartyEmail("ben@example.test")
                                      .build()
                                })
                            .build())
                    .build(),
                user(s, protocol));
    assertThat(removed.success()).as(removed.getMsg()).isTrue();
    settled(s);
    assertThat(truth(db, protocol, tag).get(0).path("attendees").toString())
        .contains("ann@example.test")
        .doesNotContain("ben@example.test");
    List<JsonNode> mails = messagesAbout(db, protocol, tag);
    assertThat(mails).hasSize(2);
    assertThat(mails.get(1).path("kind").asString()).isEqualTo("cancellation");
    assertThat(mails.get(1).path("to").toString()).isEqualTo("[\"ben@example.test\"]");
    // Another user's attendee cannot be removed twice: the id is no longer the event's.
    var again =
        s.sdk()
            .calendar()
            .calendarEventAttendee()
            .batchDelete(
                com.lark.oapi.service.calendar.v4.model.BatchDeleteCalendarEventAttendeeReq
                    .newBuilder()
                    .calendarId(calendar(s, protocol))
                    .eventId(eventId)
                    .batchDeleteCalendarEventAttendeeReqBody(
                        com.lark.oapi.service.calendar.v4.model
                            .BatchDeleteCalendarEventAttendeeReqBody.newBuilder()
                            .attendeeIds(new String[] {"exchange_bm9ib2R5"})
                            .build())
                    .build(),
                user(s, protocol));
    assertThat(again.getCode()).isEqualTo(190002);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"H2, ews", "H2, graph", "POSTGRES, ews", "POSTGRES, graph"})
  void aReplyToAnInvitationReachesItsOrganiserAndADeclinedMeetingLeavesTheCalendar(
      Database db, String protocol) throws Exception {
    Side s = sides.get(db);
    String tag = "Invited " + UUID.randomUUID().toString().substring(0, 6);
    LocalDateTime start = LocalDateTime.now().plusDays(8).withNano(0).withSecond(0);
    fx.control(
        "POST",
        "/_sim/mailboxes/" + mailbox(db, protocol) + "/events",
        Http.JSON.writeValueAsString(
            Map.of(
                "subject", tag,
                "time_zone", "UTC",
                "start", start.toString(),
                "end", start.plusHours(1).toString(),
                "organizer", Map.of("name", "Olga", "email", "olga@elsewhere.test"),
                "attendees", List.of(Map.of("name", "Two Way", "email", mailbox(db, protocol))))));
    String eventId = storedEventId(s, tag);
    var accepted = reply(s, protocol, eventId, "accept");
    assertThat(accepted.success()).as(accepted.getMsg()).isTrue();
    settled(s);
    assertThat(truth(db, protocol, tag).get(0).path("attendees").get(0).path("response").asString())
        .isEqualTo("accepted");
    assertThat(messagesAbout(db, protocol, tag))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.path("kind").asString()).isEqualTo("accepted");
              assertThat(m.path("to").toString()).isEqualTo("[\"olga@elsewhere.test\"]");
            });
    // Its attendees are the organiser's to change.
    assertThat(
            patch(s, protocol, eventId, CalendarEvent.newBuilder().summary(tag + " mine").build())
                .success())
        .isTrue();
    settled(s);
    var declined = reply(s, protocol, eventId, "decline");
    assertThat(declined.success()).as(declined.getMsg()).isTrue();
    settled(s);
    assertThat(truth(db, protocol, tag)).isEmpty();
    assertThat(deleted(s, eventId)).isTrue();
    // One's own event has nobody to reply to.
    String own = createOne(s, db, protocol, tag + " own");
    assertThat(reply(s, protocol, own, "accept").getCode()).isEqualTo(190002);
  }

  private com.lark.oapi.service.calendar.v4.model.ReplyCalendarEventResp reply(
      Side s, String protocol, String eventId, String rsvp) throws Exception {
    return s.sdk()
        .calendar()
        .calendarEvent()
        .reply(
            com.lark.oapi.service.calendar.v4.model.ReplyCalendarEventReq.newBuilder()
                .calendarId(calendar(s, protocol))
                .eventId(eventId)
                .replyCalendarEventReqBody(
                    com.lark.oapi.service.calendar.v4.model.ReplyCalendarEventReqBody.newBuilder()
                        .rsvpStatus(rsvp)
                        .build())
                .build(),
            user(s, protocol));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"H2", "POSTGRES"})
  void aMeetingTheUserOrganisesMailsItsAttendeesOnlyWhenAskedAndNeverFromARound(Database db)
      throws Exception {
    Side s = sides.get(db);
    String mailbox = mailbox(db, "ews");
    String tag = "Meeting " + UUID.randomUUID().toString().substring(0, 6);
    LocalDateTime start = LocalDateTime.now().plusDays(4).withNano(0).withSecond(0);
    fx.control(
        "POST",
        "/_sim/mailboxes/" + mailbox + "/events",
        Http.JSON.writeValueAsString(
            Map.of(
                "subject", tag,
                "time_zone", "UTC",
                "start", start.toString(),
                "end", start.plusHours(1).toString(),
                "organizer", Map.of("name", "Two Way", "email", mailbox),
                "attendees",
                    List.of(
                        Map.of("name", "A", "email", "a@example.test"),
                        Map.of("name", "B", "email", "b@example.test")))));
    String eventId = storedEventId(s, tag);
    String messages = "/_sim/mailboxes/" + mailbox + "/messages";
    fx.control("DELETE", messages, null);
    assertThat(
            patch(
                    s,
                    "ews",
                    eventId,
                    CalendarEvent.newBuilder()
                        .summary(tag + " quiet")
                        .needNotification(false)
                        .build())
                .success())
        .isTrue();
    settled(s);
    assertThat(fx.control("GET", messages, null)).isEmpty();
    assertThat(
            patch(s, "ews", eventId, CalendarEvent.newBuilder().summary(tag + " told").build())
                .success())
        .isTrue();
    settled(s);
    JsonNode sent = fx.control("GET", messages, null);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).path("kind").asString()).isEqualTo("update");
    assertThat(sent.get(0).path("to").toString())
        .isEqualTo("[\"a@example.test\",\"b@example.test\"]");
    int rounds = rounds("ews", db);
    await().atMost(Duration.ofSeconds(15)).until(() -> rounds("ews", db) >= rounds + 2);
    assertThat(fx.control("GET", messages, null)).hasSize(1);
  }

  /** Incremental reads of the mailbox so far (SyncFolderItems, or Graph delta pages). */
  private int rounds(String protocol, Database db) {
    int n = 0;
    for (JsonNode e : fx.control("GET", "/_sim/requests?entries=true", null).path("entries")) {
      if (mailbox(db, protocol).equals(e.path("mailbox").asString())
          && (e.path("operation").asString().equals("SyncFolderItems")
              || e.path("operation").asString().endsWith("delta"))) {
        n++;
      }
    }
    return n;
  }
}
