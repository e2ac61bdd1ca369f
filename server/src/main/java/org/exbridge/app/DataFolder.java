package org.exbridge.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/** The data folder, where generated credentials are kept readable by the owner only. */
final class DataFolder {
  private final Path root;

  DataFolder(Path root) {
    this.root = root;
  }

  Path path(String name) {
    return root.resolve(name);
  }

  /**
   * The folder exists and only its owner may enter it (0700), and every file in it is the owner's
   * alone (0600): the H2 database, the key and the operator token. Run before the database opens
   * the folder, and again once it has created its files.
   */
  void secure() {
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      try (var files = Files.list(root)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ownerOnly(file);
          }
        }
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or secure the data folder " + root, e);
    }
  }

  /**
   * The content of {@code name}, created from {@code generate} when it does not exist. Safe when
   * two instances start at once on one folder: the file is created exclusively, and the loser reads
   * it.
   */
  String readOrCreate(String name, Supplier<String> generate) {
    Path file = path(name);
    try {
      Files.createDirectories(root);
      if (!Files.exists(file)) {
        try {
          Files.writeString(
              file,
              generate.get(),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          ownerOnly(file);
        } catch (FileAlreadyExistsException raced) {
          // another instance wrote it first
        }
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
