package org.exbridge.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real protocol responses in {@code ../shared/exchange-samples/}. */
public final class Samples {
  private Samples() {}

  public static Path folder() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("exchange-samples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      Path inside = dir.resolve("shared").resolve("exchange-samples");
      if (Files.isDirectory(inside)) {
        return inside;
      }
    }
    throw new IllegalStateException("shared/exchange-samples not found beside the project");
  }

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(folder().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String name) {
    return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
  }
}
