package org.exbridge.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.exbridge.launch.DataFolderLock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication(scanBasePackages = "org.exbridge")
public class ExbridgeApplication {
  public static void main(String[] args) throws IOException {
    if (!Boolean.getBoolean("exbridge.launched")) {
      // The launcher, when it started this JVM, holds the data folder's lock itself.
      DataFolderLock.exitIfInUse(args);
    }
    SpringApplication.run(ExbridgeApplication.class, withDemoDefaults(args));
  }

  /**
   * The demo's simulator runs inside this server, so Graph reaches it on loopback: the demo sets
   * its own public URL unless one is given.
   */
  static String[] withDemoDefaults(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    boolean given =
        all.stream().anyMatch(a -> a.startsWith("--exbridge.push.public-url="))
            || System.getenv("EXBRIDGE_PUSH_PUBLIC_URL") != null
            || System.getProperty("exbridge.push.public-url") != null;
    boolean demo = all.stream().anyMatch(a -> a.equals("--demo") || a.startsWith("--demo="));
    if (demo && !given) {
      all.add("--exbridge.push.public-url=http://127.0.0.1:${local.server.port}");
    }
    return all.toArray(String[]::new);
  }
}
