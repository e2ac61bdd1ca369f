package org.exbridge.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.exbridge.testing.ExbridgeServer;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started as the README starts it, twice on one data folder: the first start
 * extracts the jar and records an AOT cache (JDK 25) that is written when the server stops; the
 * second start runs with it. Stopping the launcher stops the server.
 */
class LauncherAotIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theSecondStartRunsWithTheCacheTheFirstRecorded() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Runtime.version().feature() >= JdkLauncher.AOT_CACHE_FEATURE,
        "the AOT cache needs JDK 25; this run is on " + Runtime.version().feature());
    Path data = Files.createTempDirectory("exbridge-aot");
    Started first = start(jdk, data);
    List<String> firstArgs = serverArguments(first.process());
    assertThat(firstArgs).anyMatch(a -> a.startsWith("-XX:AOTCacheOutput="));
    assertThat(firstArgs).anyMatch(a -> a.endsWith("/app/exbridge.jar"));
    stop(first.process());
    Path cache;
    try (Stream<Path> found =
        Files.find(data.resolve("aot"), 3, (p, a) -> p.endsWith("exbridge.aot"))) {
      cache = found.findFirst().orElseThrow(() -> new AssertionError("no AOT cache was written"));
    }
    assertThat(Files.size(cache)).isPositive();

    Started second = start(jdk, data);
    assertThat(serverArguments(second.process())).contains("-XX:AOTCache=" + cache);
    ProcessHandle server = second.process().toHandle().descendants().findFirst().orElseThrow();
    stop(second.process());
    // The server JVM went with its launcher.
    await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
    assertThat(Files.readString(second.log())).doesNotContain("Unable to use AOT cache");
  }

  private record Started(Process process, Path log) {}

  private static Started start(Path jdk, Path data) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = data.resolve("server-" + port + ".log");
    List<String> command = new ArrayList<>();
    command.add(jdk.resolve("bin").resolve("java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(Path.of("target", "exbridge.jar").toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.add("--exbridge.data-dir=" + data);
    command.add("--exbridge.admin-token=" + ExbridgeServer.ADMIN_TOKEN);
    command.add("--exbridge.secret-key=" + ExbridgeServer.SECRET_KEY);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("EXBRIDGE_AOT", "on");
    builder.environment().put("JAVA_HOME", jdk.toString());
    Process process = builder.start();
    String health = "http://127.0.0.1:" + port + "/actuator/health";
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the server exited: " + Files.readString(log));
              }
              try {
                return HTTP.send(
                            HttpRequest.newBuilder(URI.create(health)).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
    return new Started(process, log);
  }

  /** The command line of the server JVM the launcher started. */
  private static List<String> serverArguments(Process launcher) {
    ProcessHandle child = launcher.toHandle().descendants().findFirst().orElseThrow();
    return List.of(child.info().arguments().orElse(new String[0]));
  }

  private static void stop(Process launcher) throws InterruptedException {
    launcher.destroy();
    assertThat(launcher.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }
}
