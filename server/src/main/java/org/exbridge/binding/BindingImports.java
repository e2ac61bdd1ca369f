package org.exbridge.binding;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.exbridge.adminaccount.AdminAccount;
import org.exbridge.adminaccount.AdminAccounts;
import org.exbridge.directory.Secrets;
import org.exbridge.directory.Times;
import org.exbridge.directory.User;
import org.exbridge.directory.UserIdType;
import org.exbridge.directory.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk binding from a spreadsheet of Exchange accounts, as the admin console's import does it: the
 * file is read and each account matched to a user of the tenant (by a {@code user_id} column, else
 * by e-mail: an {@code email} column or the account itself); the operator fixes or drops rows; a
 * start binds every matched row through {@link ExchangeBindingService}, the same rules as the
 * platform API. A start runs in the background and may be repeated: rows already bound stay, rows
 * refused are tried again. An import left running by a stopped instance is taken up at start-up.
 */
@Service
public class BindingImports {
  private static final Logger log = LoggerFactory.getLogger(BindingImports.class);

  /** Most rows in one import. */
  public static final int MAX_ROWS = 20_000;

  public static final String MATCH_USER_ID = "user_id";
  public static final String MATCH_EMAIL = "email";
  public static final String MATCH_NONE = "none";
  private static final String BOUND = "bound";
  private static final String REFUSED = "refused";
  private static final String STATE_NEW = "new";
  private static final String STATE_RUNNING = "running";
  private static final String STATE_FINISHED = "finished";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Users users;
  private final AdminAccounts accounts;
  private final ExchangeBindingService service;
  private final Clock clock;
  private final java.util.Set<String> runningHere = ConcurrentHashMap.newKeySet();
  private final Duration stalledAfter;
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("binding-import").daemon().factory());

  BindingImports(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Users users,
      AdminAccounts accounts,
      ExchangeBindingService service,
      Clock clock,
      @Value("${exbridge.import.stalled-after:2m}") Duration stalledAfter) {
    this.stalledAfter = stalledAfter;
    this.jdbc = jdbc;
    this.tx = tx;
    this.users = users;
    this.accounts = accounts;
    this.service = service;
    this.clock = clock;
  }

  /** A file or a request this import cannot take, in words for the operator. */
  public static final class ImportRefused extends RuntimeException {
    private final boolean notFound;

    ImportRefused(String message, boolean notFound) {
      super(message, null, false, false);
      this.notFound = notFound;
    }

    public boolean notFound() {
      return notFound;
    }
  }

  /** One row of an import, with what became of it. */
  public record Row(
      int row,
      String exchangeAccount,
      @JsonInclude(JsonInclude.Include.ALWAYS) String userId,
      String match,
      String problem,
      boolean dropped,
      String outcome,
      String reason,
      String exchangeBindingId,
      String status) {}

  /** An import: its state, counts by what became of each row, and the rows. */
  public record Import(
      String id,
      String tenantKey,
      String adminAccount,
      String state,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      Map<String, Integer> counts,
      List<Row> rows) {
    Import withCounts(Map<String, Integer> counted) {
      return new Import(
          id, tenantKey, adminAccount, state, createdAt, startedAt, finishedAt, counted, rows);
    }

    Import with(List<Row> read) {
      return new Import(
          id, tenantKey, adminAccount, state, createdAt, startedAt, finishedAt, counts, read);
    }
  }

  /** Reads the file, matches its rows and stores the import, not started. */
  public Import create(String tenantKey, String adminAccount, Reader csv) {
    AdminAccount admin = adminAccount(tenantKey, adminAccount);
    List<Parsed> parsed = parse(csv);
    Map<String, List<User>> byEmail = new HashMap<>();
    Map<String, User> byId = new HashMap<>();
    for (User user : users.all(tenantKey)) {
      byId.put(user.userId(), user);
      if (user.email() != null && !user.email().isBlank()) {
        byEmail.computeIfAbsent(key(user.email()), k -> new ArrayList<>()).add(user);
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (Parsed p : parsed) {
      rows.add(match(p, byId, byEmail, seen));
    }
    String id = Secrets.random("imp_", 24);
    Instant now = clock.instant();
    tx.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "insert into binding_import (id, tenant_key, admin_account, state, created_at)"
                      + " values (?, ?, ?, ?, ?)")
              .params(id, tenantKey, admin.adminAccount(), STATE_NEW, Times.sql(now))
              .update();
          for (Row r : rows) {
            jdbc.sql(
                    "insert into binding_import_row (import_id, row_no, exchange_account, user_id,"
                        + " match_kind, problem, dropped) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, r.row(), r.exchangeAccount(), r.userId(), r.match(), r.problem(), false)
                .update();
          }
        });
    log.info(
        "import {}: {} row(s) read for tenant {} through {}, {} matched",
        id,
        rows.size(),
        tenantKey,
        admin.adminAccount(),
        rows.stream().filter(r -> r.userId() != null).count());
    return find(tenantKey, id).orElseThrow();
  }

  /**
   * The operator's correction of one row: another user (matched then by user id), or dropped. A row
   * already bound is not changed (unbind it instead).
   */
  public Import editRow(
      String tenantKey, String importId, int rowNo, Optional<String> userId, Boolean dropped) {
    Import current = find(tenantKey, importId).orElseThrow(() -> notFound(importId));
    if (STATE_RUNNING.equals(current.state())) {
      throw new ImportRefused(
          "the import is binding its rows; change rows when it has finished, then start again",
          false);
    }
    Row row =
        current.rows().stream()
            .filter(r -> r.row() == rowNo)
            .findFirst()
            .orElseThrow(() -> new ImportRefused("import has no row " + rowNo, true));
    if (BOUND.equals(row.outcome())) {
      throw new ImportRefused(
          "row " + rowNo + " is bound already; unbind " + row.exchangeAccount() + " to change it",
          false);
    }
    String newUser = row.userId();
    String match = row.match();
    String problem = row.problem();
    if (userId.isPresent()) {
      String wanted = userId.get().trim();
      if (wanted.isEmpty()) {
        newUser = null;
        match = MATCH_NONE;
        problem = "no user chosen";
      } else {
        User user =
            users
                .find(tenantKey, wanted)
                .orElseThrow(
                    () -> new ImportRefused("user " + wanted + " is not in the tenant", false));
        if (!user.active()) {
          throw new ImportRefused("user " + wanted + " is dismissed", false);
        }
        newUser = user.userId();
        match = MATCH_USER_ID;
        problem = null;
      }
    }
    jdbc.sql(
            "update binding_import_row set user_id = ?, match_kind = ?, problem = ?, dropped = ?,"
                + " outcome = null, outcome_reason = null where import_id = ? and row_no = ?")
        .params(newUser, match, problem, dropped == null ? row.dropped() : dropped, importId, rowNo)
        .update();
    return find(tenantKey, importId).orElseThrow();
  }

  /** Starts binding the matched rows in the background; again after a start binds what is left. */
  public Import start(String tenantKey, String importId) {
    Import current = find(tenantKey, importId).orElseThrow(() -> notFound(importId));
    adminAccount(tenantKey, current.adminAccount());
    jdbc.sql("update binding_import set state = ?, started_at = ?, finished_at = null where id = ?")
        .params(STATE_RUNNING, Times.sql(clock.instant()), importId)
        .update();
    log.info(
        "import {}: started for tenant {} through {}", importId, tenantKey, current.adminAccount());
    runHere(importId);
    return find(tenantKey, importId).orElseThrow();
  }

  /** Runs the import on this instance's import thread, unless it runs here already. */
  private void runHere(String importId) {
    if (!runningHere.add(importId)) {
      return;
    }
    try {
      runner.execute(
          () -> {
            try {
              run(importId);
            } finally {
              runningHere.remove(importId);
            }
          });
    } catch (RuntimeException rejected) {
      runningHere.remove(importId);
      throw rejected;
    }
  }

  /** Takes up imports that were running when an instance stopped. */
  @EventListener(ApplicationReadyEvent.class)
  void resume() {
    resumeStartedBefore(clock.instant());
  }

  /**
   * Takes up imports still running long after their start, whose instance may have died while
   * another lives on: binding a row twice is harmless (the second finds the binding), so one taken
   * up while its instance still works costs only the time.
   */
  @Scheduled(
      fixedDelayString = "${exbridge.import.stall-check:60s}",
      initialDelayString = "${exbridge.import.stall-check:60s}")
  void resumeStalled() {
    resumeStartedBefore(clock.instant().minus(stalledAfter));
  }

  private void resumeStartedBefore(Instant before) {
    try {
      for (String id :
          jdbc.sql("select id from binding_import where state = ? and started_at <= ?")
              .params(STATE_RUNNING, Times.sql(before))
              .query(String.class)
              .list()) {
        runHere(id);
      }
    } catch (RuntimeException e) {
      log.warn("imports: could not look for imports to take up: {}", e.toString());
    }
  }

  private void run(String importId) {
    try {
      var head =
          jdbc.sql("select tenant_key, admin_account, state from binding_import where id = ?")
              .param(importId)
              .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
              .optional();
      if (head.isEmpty() || !STATE_RUNNING.equals(head.get()[2])) {
        return;
      }
      String tenantKey = head.get()[0];
      String admin = head.get()[1];
      List<Object[]> pending =
          jdbc.sql(
                  "select row_no, exchange_account, user_id from binding_import_row where import_id"
                      + " = ? and dropped = false and user_id is not null and (outcome is null or"
                      + " outcome = ?) order by row_no")
              .params(importId, REFUSED)
              .query((rs, n) -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)})
              .list();
      int bound = 0;
      int refused = 0;
      for (Object[] p : pending) {
        String outcome;
        String reason = null;
        try {
          service.create(
              tenantKey,
              null,
              UserIdType.USER_ID,
              new ExchangeBindingService.CreateRequest(admin, (String) p[1], (String) p[2]));
          outcome = BOUND;
          bound++;
        } catch (BindingRefused e) {
          outcome = REFUSED;
          reason = e.getMessage();
          refused++;
        }
        jdbc.sql(
                "update binding_import_row set outcome = ?, outcome_reason = ? where import_id = ?"
                    + " and row_no = ?")
            .params(outcome, reason, importId, p[0])
            .update();
      }
      jdbc.sql("update binding_import set state = ?, finished_at = ? where id = ? and state = ?")
          .params(STATE_FINISHED, Times.sql(clock.instant()), importId, STATE_RUNNING)
          .update();
      log.info(
          "import {}: {} row(s) bound, {} refused, in tenant {} through {}",
          importId,
          bound,
          refused,
          tenantKey,
          admin);
    } catch (RuntimeException | AssertionError e) {
      // The import stays running and is taken up again at the next start or the next "start".
      log.warn("import {}: stopped by a failure and left to resume: {}", importId, e.toString());
    }
  }

  /** The tenant's import, with every row and where its binding stands. */
  public Optional<Import> find(String tenantKey, String importId) {
    return heads(tenantKey, "id = ?", importId, 1).stream()
        .findFirst()
        .map(
            head ->
                head.with(
                    jdbc.sql(
                            "select r.row_no, r.exchange_account, r.user_id, r.match_kind,"
                                + " r.problem, r.dropped, r.outcome, r.outcome_reason, b.status"
                                + BOUND_JOIN
                                + " order by r.row_no")
                        .params(tenantKey, head.adminAccount(), importId)
                        .query((rs, n) -> row(rs, head.adminAccount()))
                        .list()));
  }

  /** The tenant's imports, newest first, with their counts but not their rows. */
  public List<Import> list(String tenantKey, int limit) {
    return heads(tenantKey, "1 = 1", null, limit);
  }

  /** Each row of an import beside the binding it made, if it still stands. */
  private static final String BOUND_JOIN =
      " from binding_import_row r left join exchange_binding b on b.tenant_key = ? and"
          + " b.exchange_account = r.exchange_account and b.admin_account = ? and b.user_id ="
          + " r.user_id where r.import_id = ?";

  /** The tenant's imports that {@code where} keeps (with one parameter, or none), with counts. */
  private List<Import> heads(String tenantKey, String where, String parameter, int limit) {
    var spec =
        jdbc.sql(
            "select id, admin_account, state, created_at, started_at, finished_at from"
                + " binding_import where tenant_key = ? and "
                + where
                + " order by created_at desc, id limit ?");
    spec =
        parameter == null
            ? spec.params(tenantKey, limit)
            : spec.params(tenantKey, parameter, limit);
    return spec
        .query(
            (rs, n) ->
                new Import(
                    rs.getString("id"),
                    tenantKey,
                    rs.getString("admin_account"),
                    rs.getString("state"),
                    Times.instant(rs, "created_at"),
                    Times.instant(rs, "started_at"),
                    Times.instant(rs, "finished_at"),
                    Map.of(),
                    List.of()))
        .list()
        .stream()
        .map(head -> head.withCounts(counts(tenantKey, head.id(), head.adminAccount())))
        .toList();
  }

  /**
   * How many rows stand where: dropped, unmatched, not started, refused, or the status of the
   * binding they made (unbound when it is gone); matched is every row neither dropped nor
   * unmatched. Counted by the database, so a list of imports reads no rows.
   */
  private Map<String, Integer> counts(String tenantKey, String importId, String admin) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String k :
        List.of(
            "rows",
            "matched",
            "unmatched",
            "dropped",
            "not_started",
            "refused",
            "doing",
            "cal_done",
            "timespan_done",
            "done",
            "err",
            "unbound")) {
      counts.put(k, 0);
    }
    jdbc.sql(
            "select bucket, count(*) as n from (select case when r.dropped then 'dropped' when"
                + " r.user_id is null then 'unmatched' when r.outcome is null then 'not_started'"
                + " when r.outcome = '"
                + REFUSED
                + "' then 'refused' when b.status is null then 'unbound' else b.status end as"
                + " bucket"
                + BOUND_JOIN
                + ") t group by bucket")
        .params(tenantKey, admin, importId)
        .query(
            rs -> {
              counts.merge(rs.getString("bucket"), rs.getInt("n"), Integer::sum);
              counts.merge("rows", rs.getInt("n"), Integer::sum);
            });
    counts.put("matched", counts.get("rows") - counts.get("dropped") - counts.get("unmatched"));
    return counts;
  }

  private static Row row(ResultSet rs, String admin) throws SQLException {
    String exchange = rs.getString("exchange_account");
    String outcome = rs.getString("outcome");
    String status = rs.getString("status");
    return new Row(
        rs.getInt("row_no"),
        exchange,
        rs.getString("user_id"),
        rs.getString("match_kind"),
        rs.getString("problem"),
        rs.getBoolean("dropped"),
        outcome,
        rs.getString("outcome_reason"),
        BOUND.equals(outcome) && status != null ? BindingIdCodec.encode(admin, exchange) : null,
        BOUND.equals(outcome) ? status : null);
  }

  private Row match(
      Parsed p,
      Map<String, User> byId,
      Map<String, List<User>> byEmail,
      Map<String, Integer> seen) {
    String account = p.exchangeAccount();
    if (account.isEmpty()) {
      return unmatched(p, account, "exchange_account is empty");
    }
    if (account.length() > EmailAddress.MAX_LENGTH || !EmailAddress.isValid(account)) {
      return unmatched(p, clip(account), "exchange_account is not an e-mail address");
    }
    account = EmailAddress.normalise(account);
    Integer earlier = seen.putIfAbsent(account, p.row());
    if (earlier != null) {
      return unmatched(p, account, "the same account is on row " + earlier);
    }
    if (!p.userId().isEmpty()) {
      Optional<User> user = Optional.ofNullable(byId.get(p.userId()));
      if (user.isEmpty()) {
        return unmatched(p, account, "no user " + clip(p.userId()) + " in the tenant");
      }
      if (!user.get().active()) {
        return unmatched(p, account, "user " + user.get().userId() + " is dismissed");
      }
      return matched(p, account, user.get().userId(), MATCH_USER_ID);
    }
    String email = p.email().isEmpty() ? account : p.email();
    List<User> candidates =
        byEmail.getOrDefault(key(email), List.of()).stream().filter(User::active).toList();
    if (candidates.size() == 1) {
      return matched(p, account, candidates.getFirst().userId(), MATCH_EMAIL);
    }
    return unmatched(
        p,
        account,
        candidates.isEmpty()
            ? "no active user has the e-mail " + clip(email)
            : candidates.size() + " users have the e-mail " + clip(email) + "; choose one");
  }

  private static Row matched(Parsed p, String account, String userId, String how) {
    return new Row(p.row(), account, userId, how, null, false, null, null, null, null);
  }

  private static Row unmatched(Parsed p, String account, String problem) {
    return new Row(p.row(), account, null, MATCH_NONE, problem, false, null, null, null, null);
  }

  private record Parsed(int row, String exchangeAccount, String userId, String email) {}

  /**
   * The file's rows: a header row naming the columns (any order, case and spacing ignored; {@code
   * exchange_account} required, {@code user_id} and {@code email} optional), separated by commas,
   * semicolons or tabs, whichever the header uses; a UTF-8 byte order mark is ignored.
   */
  private static List<Parsed> parse(Reader csv) {
    String text;
    try {
      StringBuilder all = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = csv.read(buffer)) > 0; ) {
        all.append(buffer, 0, n);
      }
      text = all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    int eol = text.indexOf('\n');
    String header = eol < 0 ? text : text.substring(0, eol);
    char delimiter = ',';
    if (header.indexOf(',') < 0) {
      delimiter = header.indexOf(';') >= 0 ? ';' : header.indexOf('\t') >= 0 ? '\t' : ',';
    }
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(delimiter)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();
    List<Parsed> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      int accountColumn = -1;
      int userColumn = -1;
      int emailColumn = -1;
      boolean first = true;
      for (CSVRecord record : parser) {
        if (first) {
          first = false;
          for (int i = 0; i < record.size(); i++) {
            String name = record.get(i).toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
            switch (name) {
              case "exchange_account", "mailbox", "exchange_mailbox" -> accountColumn = i;
              case "user_id", "userid", "employee_id" -> userColumn = i;
              case "email", "e_mail", "user_email" -> emailColumn = i;
              default -> {}
            }
          }
          if (accountColumn < 0) {
            throw new ImportRefused(
                "the first row must name the columns, among them exchange_account (user_id and"
                    + " email are optional), as in: exchange_account,email",
                false);
          }
          continue;
        }
        if (rows.size() >= MAX_ROWS) {
          throw new ImportRefused(
              "the file has more than " + MAX_ROWS + " rows; split it into several imports", false);
        }
        rows.add(
            new Parsed(
                (int) record.getRecordNumber() - 1,
                column(record, accountColumn),
                column(record, userColumn),
                column(record, emailColumn)));
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      String why = e.getMessage() == null ? "unreadable" : e.getMessage();
      throw new ImportRefused(
          "the file is not a readable CSV: " + why.substring(0, Math.min(200, why.length())),
          false);
    }
    if (rows.isEmpty()) {
      throw new ImportRefused("the file has no rows under its header", false);
    }
    return rows;
  }

  private static String column(CSVRecord record, int index) {
    if (index < 0 || index >= record.size()) {
      return "";
    }
    String value = record.get(index);
    return value == null ? "" : value.trim();
  }

  private AdminAccount adminAccount(String tenantKey, String adminAccount) {
    if (adminAccount == null || adminAccount.isBlank()) {
      throw new ImportRefused("admin_account is required", false);
    }
    return accounts
        .find(adminAccount.trim())
        .filter(a -> a.tenantKey().equals(tenantKey))
        .orElseThrow(
            () ->
                new ImportRefused(
                    "admin account " + clip(adminAccount) + " is not bound in tenant " + tenantKey,
                    false));
  }

  private static ImportRefused notFound(String importId) {
    return new ImportRefused("no import " + clip(importId), true);
  }

  private static String key(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  private static String clip(String value) {
    return value.length() > 100 ? value.substring(0, 100) + "…" : value;
  }
}
