package org.exbridge.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher runs on whatever java the user typed, 17 included: every class of its package must
 * load there (class file version 61 at most), however the server's classes use them.
 */
class LauncherBytecodeTest {
  @Test
  void everyLauncherClassLoadsOnJava17() throws IOException, URISyntaxException {
    Path folder = Path.of(JdkLauncher.class.getResource("JdkLauncher.class").toURI()).getParent();
    List<Path> classes;
    try (Stream<Path> files = Files.list(folder)) {
      classes = files.filter(f -> f.toString().endsWith(".class")).toList();
    }
    assertThat(classes)
        .extracting(f -> f.getFileName().toString())
        .contains("JdkLauncher.class", "DataFolderLock.class");
    for (Path file : classes) {
      try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
        assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
        in.readUnsignedShort();
        assertThat(in.readUnsignedShort())
            .as(file.getFileName().toString())
            .isLessThanOrEqualTo(61);
      }
    }
  }
}
