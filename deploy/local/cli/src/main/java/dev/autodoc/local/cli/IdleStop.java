package dev.autodoc.local.cli;

import dev.autodoc.local.stack.DataDirLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rule a build daemon follows: Autodoc left running by {@code generate} stops by itself once no
 * command has used it for its idle period, so a second {@code generate} finds the stack warm and a
 * forgotten one does not hold memory for ever.
 *
 * <p>A command in use holds a file named by its PID under {@value #IN_USE}; when it ends it removes
 * the file and stamps {@value #LAST_USED}. A small watcher process ({@link #main}, one per data
 * directory, its PID in {@value #WATCHER}) checks every second: once no command is in use and the
 * last one ended more than the period ago, it stops everything as {@code down} does, says so in
 * {@value #LOG}, and exits. It also exits when the deployment is gone ({@code down}). The period is
 * the one the latest command asked for ({@value #PERIOD}); zero means no idle stop ({@code
 * --keep-running}, {@code up}). Jobs submitted to the API directly do not count as use.
 */
final class IdleStop {
  static final String PERIOD = "idle-stop";
  static final String LAST_USED = "last-used";
  static final String IN_USE = "in-use";
  static final String WATCHER = "idle-watcher.pid";
  static final String LOG = "idle-stop.log";
  private static final Duration TICK = Duration.ofSeconds(1);

  private IdleStop() {}

  /** Marks {@code dataDir} in use by this process until the returned handle is closed. */
  static AutoCloseable use(Path dataDir) {
    Path mark = dataDir.resolve(IN_USE).resolve(Long.toString(ProcessHandle.current().pid()));
    try {
      Files.createDirectories(mark.getParent());
      Files.writeString(mark, "");
      stamp(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark " + dataDir + " in use", e);
    }
    return () -> {
      stamp(dataDir);
      Files.deleteIfExists(mark);
    };
  }

  /**
   * Asks for the deployment in {@code dataDir} to stop once idle for {@code period} (zero: never),
   * starting the watcher when none runs.
   */
  static void arm(Path projectDir, Path dataDir, Duration period) {
    try {
      Files.writeString(dataDir.resolve(PERIOD), Long.toString(period.toSeconds()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(PERIOD), e);
    }
    if (period.isZero() || watcher(dataDir).isPresent()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp"));
    command.add(classpath(projectDir));
    command.add(IdleStop.class.getName());
    command.add(dataDir.toString());
    try {
      Process watcher =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(LOG).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      Files.writeString(dataDir.resolve(WATCHER), Long.toString(watcher.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the idle watcher of " + dataDir, e);
    }
  }

  /**
   * The idle period when a command names none: {@code -Dautodoc.idle-stop}, else {@code
   * AUTODOC_IDLE_STOP}, else 15 minutes (ISO-8601 durations).
   */
  static Duration defaultPeriod() {
    String value =
        Optional.ofNullable(System.getProperty("autodoc.idle-stop"))
            .or(() -> Optional.ofNullable(System.getenv("AUTODOC_IDLE_STOP")))
            .filter(v -> !v.isBlank())
            .orElse("PT15M");
    try {
      return Duration.parse(value.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "the idle stop '" + value + "' is not an ISO-8601 duration such as PT15M", e);
    }
  }

  /** The idle period asked for in {@code dataDir}; empty when none (or never). */
  static Optional<Duration> period(Path dataDir) {
    try {
      Path file = dataDir.resolve(PERIOD);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      long seconds = Long.parseLong(Files.readString(file).strip());
      return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The watcher of {@code dataDir}, when it runs. */
  static Optional<ProcessHandle> watcher(Path dataDir) {
    try {
      Path file = dataDir.resolve(WATCHER);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(Files.readString(file).strip()))
          .filter(ProcessHandle::isAlive)
          .filter(
              p ->
                  p.info()
                      .commandLine()
                      .map(c -> c.contains(IdleStop.class.getName()))
                      .orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Ends the watcher of {@code dataDir}, if one runs ({@code down}). */
  static void stopWatcher(Path dataDir) {
    watcher(dataDir)
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
  }

  /** The watcher: {@code IdleStop <data dir>}. */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path state = dataDir.resolve(LocalDeployment.STATE_FILE);
    while (Files.exists(state)) {
      Thread.sleep(TICK);
      Optional<Duration> period = period(dataDir);
      if (period.isEmpty() || inUse(dataDir)) {
        continue;
      }
      Duration idle = Duration.between(lastUsed(dataDir), Instant.now());
      if (idle.compareTo(period.get()) >= 0 && stopIfUnused(dataDir, idle, period.get())) {
        break;
      }
    }
    Files.deleteIfExists(dataDir.resolve(WATCHER));
  }

  /**
   * Stops the deployment under the data directory's lock, so no command resumes it meanwhile, and
   * only when no command has started using it since the last look; whether it stopped.
   */
  private static boolean stopIfUnused(Path dataDir, Duration idle, Duration period)
      throws IOException {
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(dataDir);
    } catch (IllegalStateException e) {
      return false; // a command is starting or resuming it: in use
    }
    try (lock) {
      if (inUse(dataDir)) {
        return false;
      }
      System.out.printf(
          "%s: unused for %d s (idle stop after %d s); stopping Autodoc%n",
          Instant.now(), idle.toSeconds(), period.toSeconds());
      RecordedDeployment.down(dataDir);
      System.out.printf("%s: stopped%n", Instant.now());
      return true;
    }
  }

  private static boolean inUse(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(IN_USE);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> marks = Files.list(dir)) {
      for (Path mark : marks.toList()) {
        boolean alive =
            ProcessHandle.of(Long.parseLong(mark.getFileName().toString()))
                .map(ProcessHandle::isAlive)
                .orElse(false);
        if (alive) {
          return true;
        }
        Files.deleteIfExists(mark); // left by a command that was killed
      }
    } catch (NumberFormatException e) {
      return false;
    }
    return false;
  }

  private static Instant lastUsed(Path dataDir) throws IOException {
    Path file = dataDir.resolve(LAST_USED);
    return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : Instant.EPOCH;
  }

  private static void stamp(Path dataDir) throws IOException {
    Path file = dataDir.resolve(LAST_USED);
    if (!Files.exists(file)) {
      Files.writeString(file, "");
    }
    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
  }

  /**
   * The CLI's classpath as the build wrote it (what {@code deploy/local/autodoc} runs), else ours.
   */
  private static String classpath(Path projectDir) {
    Path target = projectDir.resolve("deploy/local/cli/target");
    Path file = target.resolve("cli.classpath");
    try {
      if (Files.exists(file) && Files.isDirectory(target.resolve("classes"))) {
        return target.resolve("classes")
            + java.io.File.pathSeparator
            + Files.readString(file).strip();
      }
    } catch (IOException e) {
      // Fall back to this process's own classpath.
    }
    return System.getProperty("java.class.path");
  }
}
