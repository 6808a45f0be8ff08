package dev.autodoc.local.cli;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a deployment left running records in its data directory ({@value
 * LocalDeployment#STATE_FILE}), read by later commands: its processes, its API address, and the way
 * to stop it all.
 */
public final class RecordedDeployment {
  private RecordedDeployment() {}

  /** Every process recorded in {@code dataDir}, the stack's and the services', alive or not. */
  public static List<LocalStack.Status> status(Path dataDir) {
    List<LocalStack.Status> all = new ArrayList<>(LocalStack.status(dataDir));
    Path file = dataDir.resolve(LocalDeployment.STATE_FILE);
    if (Files.exists(file)) {
      all.addAll(LocalStack.Status.of(StateFiles.read(file)));
    }
    return all;
  }

  /** The API address recorded in {@code dataDir}, if a deployment was left running there. */
  public static Optional<String> recordedApiUrl(Path dataDir) {
    Path file = dataDir.resolve(LocalDeployment.STATE_FILE);
    return Files.exists(file)
        ? Optional.ofNullable(StateFiles.read(file).getProperty("api.url"))
        : Optional.empty();
  }

  /** Stops what a previous {@code --keep-running} left up; false when nothing was running. */
  public static boolean down(Path dataDir) {
    Path file = dataDir.resolve(LocalDeployment.STATE_FILE);
    boolean any = false;
    if (Files.exists(file)) {
      List<ManagedProcess> alive =
          ManagedProcess.recorded(StateFiles.read(file)).stream()
              .flatMap(Optional::stream)
              .toList();
      LocalStack.stopAll(alive);
      any = !alive.isEmpty();
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return LocalStack.down(dataDir) || any;
  }

  /**
   * Takes over the deployment left running in {@code dataDir} around its resumed {@code stack},
   * starting again each recorded service that died.
   */
  static LocalDeployment resume(
      Path projectDir,
      Path dataDir,
      LocalStack stack,
      LocalDeployment.ServiceOptions options,
      LocalDeployment.Progress progress) {
    progress.note("using the Autodoc left running in " + dataDir);
    Path file = dataDir.resolve(LocalDeployment.STATE_FILE);
    if (!Files.exists(file)) {
      return LocalDeployment.withServices(
          projectDir, dataDir, stack, options, true, false, progress);
    }
    Properties state = StateFiles.read(file);
    List<String> names = ManagedProcess.recordedNames(state);
    List<Optional<ManagedProcess>> alive = ManagedProcess.recorded(state);
    List<LocalDeployment.Running> services = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      var spec = ServiceLauncher.Spec.recorded(state, names.get(i));
      if (alive.get(i).isPresent()) {
        services.add(new LocalDeployment.Running(spec, alive.get(i).get()));
      } else {
        progress.note(spec.name() + " had stopped; starting it again");
        services.add(
            new LocalDeployment.Running(
                spec, ServiceLauncher.launchHealthy(projectDir, dataDir, spec)));
      }
    }
    var deployment =
        new LocalDeployment(
            projectDir,
            dataDir,
            stack,
            services,
            state.getProperty("api.url"),
            true,
            options.restartExited(),
            progress);
    deployment.writeState();
    return deployment;
  }

  /** The deployment left running in {@code dataDir}, if the stack and every service are alive. */
  static Optional<LocalDeployment> attach(Path dataDir) {
    Path file = dataDir.resolve(LocalDeployment.STATE_FILE);
    if (!Files.exists(file)
        || LocalStack.status(dataDir).stream().anyMatch(s -> !s.alive())
        || LocalStack.status(dataDir).isEmpty()) {
      return Optional.empty();
    }
    Properties state = StateFiles.read(file);
    List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
    if (recorded.stream().anyMatch(Optional::isEmpty)
        || !ServiceLauncher.healthy(state.getProperty("api.url"))) {
      return Optional.empty();
    }
    Optional<LocalStack> stack = LocalStack.resume(dataDir, message -> {});
    if (stack.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = ManagedProcess.recordedNames(state);
    List<LocalDeployment.Running> services = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      services.add(
          new LocalDeployment.Running(
              ServiceLauncher.Spec.recorded(state, names.get(i)), recorded.get(i).get()));
    }
    return Optional.of(
        new LocalDeployment(
            Path.of(state.getProperty("project.dir", ".")),
            dataDir,
            stack.get(),
            services,
            state.getProperty("api.url"),
            true,
            false,
            message -> {}));
  }
}
