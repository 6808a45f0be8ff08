package dev.autodoc.local.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A server of the local stack running as its own process. Output goes to a log file, never a pipe
 * (an unread pipe stalls the broker), and the process is stopped by its PID.
 */
public final class ManagedProcess implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ManagedProcess.class);

  /**
   * Where starts, readiness waits and stops run, each on a thread of its own: they block for
   * seconds, and the common pool that {@code CompletableFuture.runAsync} uses has a single thread
   * on a two-core machine, which ran them one after another.
   */
  public static final java.util.concurrent.Executor OWN_THREADS =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().daemon().name("local-stack-", 0).factory());

  private final String name;
  private final ProcessHandle handle;
  private final Path log;
  private final StopSignal stopSignal;

  /** How a server wants to be asked to stop before it is killed. */
  public enum StopSignal {
    TERM,
    /** PostgreSQL's "fast" shutdown; TERM would wait for every client to disconnect. */
    INT
  }

  private ManagedProcess(String name, ProcessHandle handle, Path log, StopSignal stopSignal) {
    this.name = name;
    this.handle = handle;
    this.log = log;
    this.stopSignal = stopSignal;
  }

  public static ManagedProcess start(
      String name,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Path log,
      StopSignal stop)
      throws IOException {
    Files.createDirectories(log.getParent());
    var builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    LOG.debugf("started %s as PID %d, log %s", name, process.pid(), log);
    return new ManagedProcess(name, process.toHandle(), log, stop);
  }

  /**
   * {@code command} run at a lower CPU priority ({@code nice -n 19}), for a process nothing waits
   * for: when the processors are busy it gets about a hundredth of their time, and all of it once
   * they are idle. The process keeps the PID it is recorded and stopped by, since {@code nice}
   * replaces itself with it.
   */
  public static List<String> lowPriority(List<String> command) {
    var niced = new java.util.ArrayList<>(List.of(NICE, "-n", "19"));
    niced.addAll(command);
    return Files.isExecutable(Path.of(NICE)) ? niced : command;
  }

  private static final String NICE = "/usr/bin/nice";

  /**
   * Runs a short command (formatting storage, initdb) to its end; its output goes to {@code log}.
   */
  public static void runToCompletion(
      String what, List<String> command, Path dir, Path log, Duration timeout) throws IOException {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " failed:\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + what, e);
    }
  }

  /** Adopts a process started earlier (by a stack left running), if it is still alive. */
  public static Optional<ManagedProcess> adopt(String name, long pid, Path log, StopSignal stop) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(h -> new ManagedProcess(name, h, log, stop));
  }

  /** Writes the processes into {@code state}, so another process can find them by PID. */
  public static void record(java.util.Properties state, List<ManagedProcess> processes) {
    state.setProperty(
        "processes", String.join(",", processes.stream().map(ManagedProcess::name).toList()));
    for (ManagedProcess p : processes) {
      state.setProperty(p.name() + ".pid", Long.toString(p.pid()));
      state.setProperty(p.name() + ".log", p.log().toString());
      state.setProperty(p.name() + ".stop", p.stopSignal.name());
    }
  }

  /** The names of the processes {@link #record} wrote, in order. */
  public static List<String> recordedNames(java.util.Properties state) {
    return java.util.Arrays.stream(state.getProperty("processes", "").split(","))
        .filter(name -> !name.isBlank())
        .toList();
  }

  /** The processes {@link #record} wrote, each empty when it is no longer alive. */
  public static List<Optional<ManagedProcess>> recorded(java.util.Properties state) {
    return java.util.Arrays.stream(state.getProperty("processes", "").split(","))
        .filter(name -> !name.isBlank())
        .map(
            name ->
                adopt(
                    name,
                    Long.parseLong(state.getProperty(name + ".pid")),
                    Path.of(state.getProperty(name + ".log")),
                    StopSignal.valueOf(state.getProperty(name + ".stop", "TERM"))))
        .toList();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return handle.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return handle.isAlive();
  }

  /**
   * Polls {@code ready} until it returns true. Fails at once, with the end of the log, when the
   * process dies, and after {@code timeout} otherwise.
   */
  public void awaitReady(Duration timeout, Callable<Boolean> ready) {
    Instant deadline = Instant.now().plus(timeout);
    Exception last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!handle.isAlive()) {
        throw new IllegalStateException(
            name + " exited while starting; its log ends with:\n" + tail(40));
      }
      try {
        if (Boolean.TRUE.equals(ready.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException(
        name
            + " was not ready after "
            + timeout.toSeconds()
            + "s"
            + (last != null ? " (" + last.getMessage() + ")" : "")
            + "; its log ends with:\n"
            + tail(40),
        last);
  }

  /** Asks the process to stop, waits up to {@code grace}, then kills it and its descendants. */
  public void stop(Duration grace) {
    if (!handle.isAlive()) {
      return;
    }
    var descendants = handle.descendants().toList();
    switch (stopSignal) {
      case TERM -> handle.destroy();
      case INT -> signal("INT");
    }
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("%s (PID %d) did not stop within %ss; killing it", name, pid(), grace.toSeconds());
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Reported below if it survived.
      }
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (handle.isAlive()) {
      throw new IllegalStateException(name + " (PID " + pid() + ") could not be stopped");
    }
  }

  /** Kills the process and its descendants at once (SIGKILL), as a crash would, and waits. */
  public void kill() {
    var descendants = handle.descendants().toList();
    handle.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      handle.onExit().get(10, TimeUnit.SECONDS);
      for (ProcessHandle child : descendants) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(name + " (PID " + pid() + ") did not die", e);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /** The last lines of the process's log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private void signal(String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      handle.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
