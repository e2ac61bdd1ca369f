package org.exbridge.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * One server process per data folder while it holds the embedded database: a second one on the same
 * folder would only fail deep inside the database's start with a long trace. The lock is an OS file
 * lock on {@code instance.lock}, released by the OS when the process ends, however it ends.
 */
public final class DataFolderLock {
  private static FileChannel held;

  private DataFolderLock() {}

  /**
   * The folder this process runs on when it uses the embedded database (no {@code EXBRIDGE_DB_URL}
   * or {@code spring.datasource.url} of its own); empty otherwise.
   */
  public static Optional<Path> embeddedDataFolder(String[] args, Map<String, String> env) {
    String dir = null;
    for (String arg : args) {
      if (arg.startsWith("--spring.datasource.url=")) {
        return Optional.empty();
      }
      if (arg.startsWith("--exbridge.data-dir=")) {
        dir = arg.substring("--exbridge.data-dir=".length());
      }
    }
    if (env.get("EXBRIDGE_DB_URL") != null
        || env.get("SPRING_DATASOURCE_URL") != null
        || System.getProperty("spring.datasource.url") != null) {
      return Optional.empty();
    }
    if (dir == null) {
      dir =
          System.getProperty("exbridge.data-dir", env.getOrDefault("EXBRIDGE_DATA_DIR", "./data"));
    }
    return Optional.of(Path.of(dir).toAbsolutePath().normalize());
  }

  /**
   * Exits with one line on standard error when another process holds the folder's lock; the
   * launcher asks before it starts the server's JVM, a server started without it asks itself.
   */
  public static void exitIfInUse(String[] args) throws IOException {
    Optional<Path> embedded = embeddedDataFolder(args, System.getenv());
    if (embedded.isPresent() && !acquire(embedded.get())) {
      System.err.println(
          "exbridge: the data folder "
              + embedded.get()
              + " is in use by another exbridge process; stop that one, or give this one a"
              + " folder of its own (EXBRIDGE_DATA_DIR)");
      System.exit(1);
    }
  }

  /** Takes the folder's lock for the life of this process; false when another process has it. */
  public static synchronized boolean acquire(Path folder) throws IOException {
    if (held != null) {
      return true;
    }
    Files.createDirectories(folder);
    FileChannel channel =
        FileChannel.open(
            folder.resolve("instance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return false;
    }
    held = channel;
    return true;
  }
}
