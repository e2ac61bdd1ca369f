package org.exbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.exbridge.exchange.SimulatorFixture;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Http;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The database failing is visible and recovered: health turns DOWN while it cannot be used,
 * requests answer 503 within seconds, and when it comes back the server recovers by itself and the
 * sync finishes with every event stored once.
 */
class DatabaseOutageIT {
  private static final Map<String, String> FAST =
      Map.of(
          "exbridge.sync.poll-interval", "100ms",
          "exbridge.sync.backoff-base", "200ms",
          "exbridge.sync.backoff-max", "1s",
          "exbridge.sync.max-attempts", "1000",
          "exbridge.sync.pages-per-step", "1",
          // a step whose outcome could not be written during the outage is taken over after this
          "exbridge.sync.lease", "3s");

  private static String health(Http http) {
    return http.get("/actuator/health", null).json().path("status").asString("");
  }

  private static int stored(ExbridgeServer server) {
    return server
        .jdbc()
        .sql("select count(*) from synced_event where deleted = false and kind <> 'EXCEPTION'")
        .query(Integer.class)
        .single();
  }

  private static String bindOne(ExbridgeServer server, Simulator sim) {
    Operator operator = new Operator(server.baseUrl());
    String boss = operator.staffedTenant("acme", "alice").bossToken();
    operator.simulatorEwsAccount("acme", "admin@exchange.test", sim.baseUrl(), "basic");
    return operator.bind(boss, "admin@exchange.test", "user1@exchange.test", "alice");
  }

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (!ok) {
      System.out.println(String.join(" ", command) + ": " + out);
    }
    return ok;
  }

  @Test
  void aFullDiskUnderH2IsVisibleAndRecoveredWithNothingLost() throws Exception {
    Path mount = Files.createTempDirectory("exbridge-tmpfs");
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString()),
        "mounting a tmpfs is not allowed here; the full-disk scenario is skipped");
    try (Simulator sim = Simulator.start(0).generate(1, 1500, 7)) {
      Path data = mount.resolve("data");
      Files.createDirectories(data);
      try (ExbridgeServer server =
          ExbridgeServer.start(Database.H2.fresh(data), data, null, FAST)) {
        Http http = new Http(server.baseUrl());
        assertThat(health(http)).isEqualTo("UP");
        String id = bindOne(server, sim);
        Operator operator = new Operator(server.baseUrl());
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(server) > 0);

        // Fill the disk to the last byte while the sync writes.
        Path filler = mount.resolve("filler");
        try (OutputStream out = new FileOutputStream(filler.toFile())) {
          byte[] block = new byte[1 << 16];
          while (true) {
            out.write(block);
          }
        } catch (IOException full) {
          // no space left: what the test wants
        }
        // A write of its own, should the sync have finished before the disk was full.
        Http.Reply refused =
            http.json(
                "POST",
                "/admin/api/v1/tenants",
                ExbridgeServer.ADMIN_TOKEN,
                Map.of("tenant_key", "later", "name", "x".repeat(190)));
        assertThat(refused.status()).as(refused.body()).isGreaterThanOrEqualTo(500);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> health(http).equals("DOWN"));
        Http.Reply during = http.get("/admin/api/v1/bindings", ExbridgeServer.ADMIN_TOKEN);
        assertThat(during.status()).as(during.body()).isGreaterThanOrEqualTo(500);
        assertThat(during.body()).doesNotContainIgnoringCase("select ").doesNotContain("Exception");

        Files.delete(filler);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> health(http).equals("UP"));
        String boss = operator.userToken("acme", "boss", appOf(server));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> operator.status(boss, id).equals("done"));
        SimulatorFixture fx = new SimulatorFixture(sim);
        assertThat(stored(server))
            .isEqualTo(
                fx.control("GET", "/_sim/mailboxes/user1@exchange.test/events", null).size());
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  private static String appOf(ExbridgeServer server) {
    return server.jdbc().sql("select app_id from app").query(String.class).single();
  }

  @Test
  void postgresqlStoppedAndStartedMidSyncLosesNothing() throws Exception {
    Path pgData = Files.createTempDirectory("exbridge-pg");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EmbeddedPostgres pg = start(pgData, port);
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.createStatement().execute("create database outage");
    }
    Path data = Files.createTempDirectory("exbridge-pg-server");
    Map<String, String> settings = new java.util.HashMap<>(FAST);
    settings.put("spring.datasource.url", pg.getJdbcUrl("postgres", "outage"));
    settings.put("spring.datasource.username", "postgres");
    settings.put("spring.datasource.password", "postgres");
    try (Simulator sim = Simulator.start(0).generate(1, 1500, 7);
        ExbridgeServer server = ExbridgeServer.start(Map.of(), data, null, settings)) {
      Http http = new Http(server.baseUrl());
      String id = bindOne(server, sim);
      await().atMost(Duration.ofSeconds(30)).until(() -> stored(server) > 0);

      pg.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> health(http).equals("DOWN"));
      long started = System.nanoTime();
      Http.Reply during = http.get("/admin/api/v1/bindings", ExbridgeServer.ADMIN_TOKEN);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(during.status()).as(during.body()).isEqualTo(503);
      assertThat(during.header("Content-Type")).startsWith("application/problem+json");

      pg = start(pgData, port);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> health(http).equals("UP"));
      Operator operator = new Operator(server.baseUrl());
      String boss = operator.userToken("acme", "boss", appOf(server));
      await().atMost(Duration.ofSeconds(120)).until(() -> operator.status(boss, id).equals("done"));
      SimulatorFixture fx = new SimulatorFixture(sim);
      assertThat(stored(server))
          .isEqualTo(fx.control("GET", "/_sim/mailboxes/user1@exchange.test/events", null).size());
    } finally {
      pg.close();
    }
  }

  private static EmbeddedPostgres start(Path dir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
