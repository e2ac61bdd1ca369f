package org.exbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDataFolderIsTheOwnersAloneAndSoIsEveryFileInIt() throws Exception {
    Path root = tmp.resolve("data");
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path db = Files.writeString(root.resolve("exbridge.mv.db"), "h2");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

    DataFolder folder = new DataFolder(root);
    folder.secure();
    String token = folder.readOrCreate("admin-token", () -> "secret");

    assertThat(token).isEqualTo("secret");
    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(db)).isEqualTo("rw-------");
    assertThat(mode(root.resolve("admin-token"))).isEqualTo("rw-------");
  }

  @Test
  void aMissingDataFolderIsCreatedOwnerOnly() throws Exception {
    Path root = tmp.resolve("new/data");
    new DataFolder(root).secure();
    assertThat(mode(root)).isEqualTo("rwx------");
  }
}
