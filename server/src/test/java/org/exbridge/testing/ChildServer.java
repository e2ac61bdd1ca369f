package org.exbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;

/**
 * The packaged server as its own process, so a test can kill it as an operator's machine would die.
 */
public final class ChildServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static ChildServer start(
      Map<String, String> database, Path dataDir, Map<String, String> extra) {
    Path jar = Path.of("target", "exbridge.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after package");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    // One process a server, so that killing it is killing the server (the launcher's AOT start
    // runs the server in a second JVM; LauncherAotIT covers it).
    command.add("-Dexbridge.aot=off");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.add("--exbridge.data-dir=" + dataDir);
    command.add("--exbridge.admin-token=" + ExbridgeServer.ADMIN_TOKEN);
    command.add("--exbridge.secret-key=" + ExbridgeServer.SECRET_KEY);
    database.forEach((k, v) -> command.add("--" + k + "=" + v));
    extra.forEach((k, v) -> command.add("--" + k + "=" + v));
    try {
      Files.createDirectories(dataDir);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dataDir.resolve("server-" + port + ".log").toFile())
              .start();
      ChildServer child = new ChildServer(process, port);
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("the server exited: see " + dataDir);
                }
                try {
                  return http.send(
                              HttpRequest.newBuilder(
                                      URI.create(child.baseUrl() + "/actuator/health"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200;
                } catch (IOException e) {
                  return false;
                }
              });
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** kill -9: no shutdown hook, no finishing of steps, leases left to run out. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
