package org.exbridge.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkLauncherTest {
  @Test
  void featureVersionsAreReadFromEveryVersionShape() {
    assertThat(JdkLauncher.featureOf("25.0.3")).isEqualTo(25);
    assertThat(JdkLauncher.featureOf("21")).isEqualTo(21);
    assertThat(JdkLauncher.featureOf("17.0.15+6")).isEqualTo(17);
    assertThat(JdkLauncher.featureOf("1.8.0_402")).isEqualTo(8);
    assertThat(JdkLauncher.featureOf("garbage")).isZero();
  }

  @Test
  void aJdkIsKnownByItsReleaseFile(@TempDir Path home) throws Exception {
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
    assertThat(JdkLauncher.feature(home)).isEqualTo(25);
    assertThat(JdkLauncher.feature(home.resolve("missing"))).isZero();
  }

  @Test
  void theRunningJdkOrANewerOneIsFound() {
    assertThat(JdkLauncher.findJdk())
        .hasValueSatisfying(
            home -> assertThat(JdkLauncher.feature(home)).isGreaterThanOrEqualTo(21));
  }
}
