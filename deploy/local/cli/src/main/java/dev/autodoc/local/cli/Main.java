package dev.autodoc.local.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy/local/autodoc}: Autodoc on one machine. */
@Command(
    name = "autodoc",
    mixinStandardHelpOptions = true,
    version = "autodoc 0.1.0",
    description = "Documents a git repository with Autodoc running on this machine.",
    subcommands = {
      Generate.class,
      Main.Up.class,
      Main.Down.class,
      Main.Status.class,
      McpRelay.class
    })
public final class Main implements Callable<Integer> {
  /** Exit status of bad input: arguments, a request the API refused. */
  static final int USAGE = 2;

  /** Exit status when the local stack or a service could not run. */
  static final int INFRASTRUCTURE = 3;

  public static void main(String[] args) {
    quietLibraries();
    System.exit(run(args));
  }

  /** The CLI speaks for itself; libraries only report warnings (the servers log to files). */
  private static void quietLibraries() {
    var root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (var handler : root.getHandlers()) {
      handler.setLevel(java.util.logging.Level.WARNING);
    }
    // The admin client warns while it waits for the broker to come up; waiting is expected.
    java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.SEVERE);
  }

  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), args);
  }

  /** Runs a command, printing to {@code out}; its exit status. */
  public static int run(java.io.PrintWriter out, String... args) {
    return new CommandLine(new Main()).setOut(out).setErr(out).execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return USAGE;
  }

  /**
   * The deployment of the data directory, resumed or started, with its progress printed; empty,
   * after saying why, when it could not start.
   */
  static Optional<LocalDeployment> startOrResume(
      DataDir dataDir, java.io.PrintWriter out, LocalDeployment.Wait wait) {
    try {
      return Optional.of(
          LocalDeployment.startOrResume(
              projectDir(),
              dataDir.resolve(),
              LocalDeployment.ServiceOptions.DEFAULT,
              message -> out.println("· " + message),
              wait));
    } catch (RuntimeException e) {
      out.println("Autodoc could not start: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The checkout this CLI runs from: the services' jars are built there. */
  static Path projectDir() {
    return Path.of(System.getProperty("autodoc.project.dir", ".")).toAbsolutePath().normalize();
  }

  /** Options every command takes. */
  static class DataDir {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Where the local stack keeps its state (default: $AUTODOC_HOME, else ~/.autodoc/local).")
    Path dataDir;

    Path resolve() {
      if (dataDir != null) {
        return dataDir.toAbsolutePath().normalize();
      }
      return Optional.ofNullable(System.getenv("AUTODOC_HOME"))
          .filter(s -> !s.isBlank())
          .map(Path::of)
          .orElse(Path.of(System.getProperty("user.home"), ".autodoc", "local"))
          .toAbsolutePath()
          .normalize();
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stops what 'generate' or 'up' left running.")
  static final class Down implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin DataDir dataDir = new DataDir();

    @Override
    public Integer call() {
      IdleStop.stopWatcher(dataDir.resolve());
      boolean stopped = RecordedDeployment.down(dataDir.resolve());
      spec.commandLine()
          .getOut()
          .println(
              stopped ? "Autodoc stopped." : "Nothing was running in " + dataDir.resolve() + ".");
      return 0;
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Starts Autodoc and leaves it running; with Autodoc left running, starts again only what"
              + " of it has stopped.")
  static final class Up implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin DataDir dataDir = new DataDir();

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var deployment = startOrResume(dataDir, out, LocalDeployment.Wait.EVERYTHING);
      deployment.ifPresent(
          d -> {
            d.detach();
            IdleStop.arm(projectDir(), dataDir.resolve(), java.time.Duration.ZERO);
            printRunning(d, out);
          });
      return deployment.isPresent() ? 0 : INFRASTRUCTURE;
    }

    /** Where to reach a deployment left running; the key stays in its owner-only file. */
    static void printRunning(LocalDeployment deployment, java.io.PrintWriter out) {
      out.println();
      out.println("Autodoc keeps running.");
      out.println(
          "  API:  "
              + deployment.apiUrl()
              + "/api/v1/jobs   (OpenAPI: "
              + deployment.apiUrl()
              + "/q/openapi)");
      out.println(
          "  Key:  in "
              + deployment.apiKeyFile()
              + "   (Authorization: Bearer $(cat "
              + deployment.apiKeyFile()
              + "))");
      out.println(
          "  Kafka "
              + deployment.stack().endpoints().kafkaBootstrapServers()
              + ", PostgreSQL "
              + deployment.stack().endpoints().jdbcUrl());
      out.println("  Status: deploy/local/autodoc status    Stop: deploy/local/autodoc down");
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Shows every process Autodoc left running, alive or stopped, with its memory; exits 1"
              + " when something has stopped or nothing runs.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin DataDir dataDir = new DataDir();

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      Path dir = dataDir.resolve();
      var processes = RecordedDeployment.status(dir);
      if (processes.isEmpty()) {
        out.println("Nothing is running in " + dir + ".");
        return 1;
      }
      RecordedDeployment.recordedApiUrl(dir)
          .ifPresent(url -> out.println("API " + url + " (key in " + dir.resolve("api-key") + ")"));
      out.println(
          IdleStop.period(dir)
              .map(p -> "Stops once unused for " + Format.duration(p) + ".")
              .orElse("Keeps running until 'deploy/local/autodoc down'."));
      out.printf("%-14s %-7s %8s %10s  %s%n", "PROCESS", "STATE", "PID", "RSS", "LOG");
      for (var p : processes) {
        out.printf(
            "%-14s %-7s %8d %10s  %s%n",
            p.name(),
            p.alive() ? "running" : "stopped",
            p.pid(),
            p.alive() ? Format.bytes(Format.residentBytes(p.pid())) : "-",
            p.log());
      }
      long stopped = processes.stream().filter(p -> !p.alive()).count();
      if (stopped > 0) {
        out.println(
            stopped
                + " of "
                + processes.size()
                + " processes have stopped: 'deploy/local/autodoc up' starts them again.");
        return 1;
      }
      return 0;
    }
  }
}
