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
 * JDK a machine defaults to. It runs the server on the newest installed JDK of 21 or later (the
 * running one if it is that new), passing the arguments, JVM options, standard streams and exit
 * code through, and makes later starts fast: the jar is extracted once into the data folder ({@code
 * aot/}), and the server runs from there with a JDK 25 AOT cache ({@code -XX:AOTCache}, recorded
 * during the first run and written when it stops) or, on JDK 21 to 24, a dynamic CDS archive.
 * {@code EXBRIDGE_AOT=off} (or {@code -Dexbridge.aot=off}) runs the server in this JVM when it is
 * new enough, as a plain {@code java -jar} would.
 */
public final class JdkLauncher {
  static final int REQUIRED_FEATURE = 21;
  static final int AOT_CACHE_FEATURE = 25;
  private static final String APPLICATION = "org.exbridge.app.ExbridgeApplication";
  private static final String LAUNCHED = "exbridge.launched";

  private JdkLauncher() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean(LAUNCHED)) {
      // The server's own JVM: stop with the launcher, however the launcher was stopped.
      ProcessHandle.current()
          .parent()
          .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(143)));
      runHere(args);
      return;
    }
    DataFolderLock.exitIfInUse(args);
    int running = Runtime.version().feature();
    boolean aot = aotWanted();
    if (!aot && running >= REQUIRED_FEATURE) {
      runHere(args);
      return;
    }
    Optional<Path> jdk = findJdk();
    if (jdk.isEmpty() || (running >= REQUIRED_FEATURE && feature(jdk.get()) < running)) {
      Path home = Paths.get(System.getProperty("java.home"));
      jdk = running >= REQUIRED_FEATURE ? Optional.of(home) : jdk;
    }
    if (jdk.isEmpty()) {
      System.err.println(
          "exbridge needs Java "
              + REQUIRED_FEATURE
              + " or later; this is Java "
              + Runtime.version().feature()
              + " and no newer JDK was found (set JAVA_HOME to one).");
      System.exit(1);
    }
    System.exit(relaunch(jdk.get(), args, aot));
  }

  private static void runHere(String[] args) throws Exception {
    Class.forName(APPLICATION, true, Thread.currentThread().getContextClassLoader())
        .getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }

  static boolean aotWanted() {
    String value = System.getProperty("exbridge.aot", System.getenv("EXBRIDGE_AOT"));
    return value == null || !(value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false"));
  }

  private static int relaunch(Path jdk, String[] args, boolean aot)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(jdk.resolve("bin").resolve("java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    Path jar = Paths.get(System.getProperty("java.class.path")).toAbsolutePath();
    if (aot) {
      Optional<Path> extracted = extracted(jdk, jar, dataDir(args));
      if (extracted.isPresent()) {
        Path folder = extracted.get().getParent().getParent();
        jar = extracted.get();
        if (feature(jdk) >= AOT_CACHE_FEATURE) {
          Path cache = folder.resolve("exbridge.aot");
          command.add(
              Files.exists(cache) ? "-XX:AOTCache=" + cache : "-XX:AOTCacheOutput=" + cache);
        } else {
          command.add("-XX:SharedArchiveFile=" + folder.resolve("exbridge.jsa"));
          command.add("-XX:+AutoCreateSharedArchive");
        }
      }
    }
    command.add("-D" + LAUNCHED + "=true");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child)));
    return child.waitFor();
  }

  /** Asks the server to stop, and waits for it (a training run writes its cache then). */
  private static void stop(Process child) {
    child.destroy();
    try {
      child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The data folder the server will use, as its settings would say. */
  static Path dataDir(String[] args) {
    String dir = null;
    for (String a : args) {
      if (a.startsWith("--exbridge.data-dir=")) {
        dir = a.substring("--exbridge.data-dir=".length());
      }
    }
    if (dir == null) {
      dir = System.getProperty("exbridge.data-dir", System.getenv("EXBRIDGE_DATA_DIR"));
    }
    return Paths.get(dir == null || dir.isBlank() ? "data" : dir).toAbsolutePath();
  }

  /**
   * The jar extracted (Spring Boot's {@code jarmode=tools}) into {@code data/aot/<key>/app}, the
   * key naming this jar and this JDK, so that a new build or JDK starts afresh; empty when it
   * cannot be done (the server then runs from the jar as it is).
   */
  static Optional<Path> extracted(Path jdk, Path jar, Path dataDir) {
    try {
      String key =
          Integer.toHexString(
              (jar
                      + "|"
                      + Files.size(jar)
                      + "|"
                      + Files.getLastModifiedTime(jar).toMillis()
                      + "|"
                      + jdk.toRealPath()
                      + "|"
                      + feature(jdk))
                  .hashCode());
      Path root = dataDir.resolve("aot");
      Path folder = root.resolve(key);
      Path app = folder.resolve("app").resolve(jar.getFileName().toString());
      if (Files.exists(app)) {
        return Optional.of(app);
      }
      Files.createDirectories(root);
      for (Path old : children(root)) {
        delete(old);
      }
      Path staging = Files.createTempDirectory(root, "extracting-");
      Process extract =
          new ProcessBuilder(
                  jdk.resolve("bin").resolve("java").toString(),
                  "-Djarmode=tools",
                  "-jar",
                  jar.toString(),
                  "extract",
                  "--destination",
                  staging.resolve("app").toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (extract.waitFor() != 0
          || !Files.exists(staging.resolve("app").resolve(jar.getFileName().toString()))) {
        delete(staging);
        return Optional.empty();
      }
      Files.move(staging, folder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(app);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void delete(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      for (Path child : children(path)) {
        delete(child);
      }
    }
    Files.deleteIfExists(path);
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
