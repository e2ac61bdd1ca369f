package org.exbridge.launch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The jar's entry point. Compiled for Java 17 so that {@code java -jar exbridge.jar} starts on any
 * JDK a machine defaults to: on 21 or later it hands straight to the application; on an older
 * runtime it finds an installed JDK of 21 or later and runs the same jar on it, passing the
 * arguments, JVM options, standard streams and exit code through.
 */
public final class JdkLauncher {
  static final int REQUIRED_FEATURE = 21;
  private static final String APPLICATION = "org.exbridge.app.ExbridgeApplication";

  private JdkLauncher() {}

  public static void main(String[] args) throws Exception {
    if (Runtime.version().feature() >= REQUIRED_FEATURE) {
      Class.forName(APPLICATION, true, Thread.currentThread().getContextClassLoader())
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
      return;
    }
    Optional<Path> jdk = findJdk();
    if (jdk.isEmpty()) {
      System.err.println(
          "exbridge needs Java "
              + REQUIRED_FEATURE
              + " or later; this is Java "
              + Runtime.version().feature()
              + " and no newer JDK was found (set JAVA_HOME to one).");
      System.exit(1);
    }
    System.exit(relaunch(jdk.get(), args));
  }

  private static int relaunch(Path jdk, String[] args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(jdk.resolve("bin").resolve("java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-jar");
    command.add(System.getProperty("java.class.path"));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    return child.waitFor();
  }

  static Optional<Path> findJdk() {
    Set<Path> candidates = new LinkedHashSet<>();
    for (String variable : List.of("EXBRIDGE_JAVA_HOME", "JAVA_HOME", "JDK_HOME")) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        candidates.add(Paths.get(value));
      }
    }
    Path running = Paths.get(System.getProperty("java.home"));
    List<Path> roots = new ArrayList<>();
    if (running.getParent() != null) {
      roots.add(running.getParent());
    }
    roots.add(Paths.get("/usr/lib/jvm"));
    roots.add(Paths.get("/usr/java"));
    roots.add(Paths.get("/opt/java"));
    roots.add(Paths.get("/Library/Java/JavaVirtualMachines"));
    roots.add(Paths.get(System.getProperty("user.home"), ".sdkman", "candidates", "java"));
    for (Path root : roots) {
      candidates.addAll(children(root));
    }
    return candidates.stream()
        .map(JdkLauncher::homeOf)
        .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
        .filter(home -> feature(home) >= REQUIRED_FEATURE)
        .max(Comparator.comparingInt(JdkLauncher::feature));
  }

  private static Path homeOf(Path candidate) {
    Path macHome = candidate.resolve("Contents").resolve("Home");
    return Files.isDirectory(macHome) ? macHome : candidate;
  }

  private static List<Path> children(Path root) {
    List<Path> result = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return result;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        result.add(entry);
      }
    } catch (IOException | SecurityException e) {
      // an unreadable folder holds no usable JDK
    }
    return result;
  }

  /** The major version from the JDK's {@code release} file, or 0 when it cannot be read. */
  static int feature(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          return featureOf(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a JDK we can identify
    }
    return 0;
  }

  static int featureOf(String version) {
    String head = version.startsWith("1.") ? version.substring(2) : version;
    int end = 0;
    while (end < head.length() && Character.isDigit(head.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(head.substring(0, end));
  }
}
