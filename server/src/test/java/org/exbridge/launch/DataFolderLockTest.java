package org.exbridge.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One process per data folder while it holds the embedded database. */
class DataFolderLockTest {

  /** Holds the lock of the folder given as the argument until its standard input closes. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      System.out.println(DataFolderLock.acquire(Path.of(args[0])) ? "held" : "refused");
      System.out.flush();
      System.in.read();
    }
  }

  @Test
  void anotherProcessOnTheFolderIsRefusedUntilTheFirstEnds() throws Exception {
    Path folder = Files.createTempDirectory("exbridge-lock");
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                folder.toString())
            .redirectErrorStream(true)
            .start();
    try (var out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("held");
      assertThat(DataFolderLock.acquire(folder)).isFalse();
    } finally {
      holder.destroyForcibly();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // The OS let go of it with the process, however it ended.
    assertThat(DataFolderLock.acquire(folder)).isTrue();
  }

  @Test
  void onlyTheEmbeddedDatabaseTakesTheFolder() {
    assertThat(
            DataFolderLock.embeddedDataFolder(
                new String[] {"--exbridge.data-dir=/srv/x"}, Map.of()))
        .contains(Path.of("/srv/x"));
    assertThat(
            DataFolderLock.embeddedDataFolder(
                new String[0], Map.of("EXBRIDGE_DB_URL", "jdbc:postgresql://db/exbridge")))
        .isEmpty();
    assertThat(
            DataFolderLock.embeddedDataFolder(
                new String[] {"--spring.datasource.url=jdbc:postgresql://db/x"}, Map.of()))
        .isEmpty();
    assertThat(DataFolderLock.embeddedDataFolder(new String[0], Map.of("EXBRIDGE_DATA_DIR", "/d")))
        .contains(Path.of("/d"));
  }
}
