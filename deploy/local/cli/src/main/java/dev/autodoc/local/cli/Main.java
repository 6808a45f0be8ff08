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
    subcommands = {Generate.class, Main.Down.class, Main.Status.class})
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
      description = "Stops what 'generate --keep-running' left running.")
  static final class Down implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin DataDir dataDir = new DataDir();

    @Override
    public Integer call() {
      boolean stopped = LocalDeployment.down(dataDir.resolve());
      spec.commandLine()
          .getOut()
          .println(
              stopped ? "Autodoc stopped." : "Nothing was running in " + dataDir.resolve() + ".");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Shows what is running: processes, their memory and the API.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin DataDir dataDir = new DataDir();

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var deployment = LocalDeployment.attach(dataDir.resolve());
      if (deployment.isEmpty()) {
        out.println("Nothing is running in " + dataDir.resolve() + ".");
        return 1;
      }
      out.println(
          "API "
              + deployment.get().apiUrl()
              + " (key in "
              + dataDir.resolve().resolve("api-key")
              + ")");
      out.printf("%-14s %8s %10s  %s%n", "PROCESS", "PID", "RSS", "LOG");
      deployment
          .get()
          .processes()
          .forEach(
              p ->
                  out.printf(
                      "%-14s %8d %10s  %s%n",
                      p.name(), p.pid(), Format.bytes(Format.residentBytes(p.pid())), p.log()));
      return 0;
    }
  }
}
