package dev.autodoc.local.cli;

import dev.autodoc.local.stack.DataDirLock;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StateFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Keeps a deployment's services up: every second, a service that exited is started again with the
 * same settings and port. When several commands use one deployment, the one holding the data
 * directory restarts and the others adopt what it started.
 */
final class ServiceSupervisor implements Runnable {
  private final Path projectDir;
  private final Path dataDir;
  private final List<LocalDeployment.Running> services;
  private final boolean attached;
  private final BooleanSupplier stopped;
  private final Runnable writeState;
  private final LocalDeployment.Progress progress;

  ServiceSupervisor(
      Path projectDir,
      Path dataDir,
      List<LocalDeployment.Running> services,
      boolean attached,
      BooleanSupplier stopped,
      Runnable writeState,
      LocalDeployment.Progress progress) {
    this.projectDir = projectDir;
    this.dataDir = dataDir;
    this.services = services;
    this.attached = attached;
    this.stopped = stopped;
    this.writeState = writeState;
    this.progress = progress;
  }

  /** Starts again, with the same settings, every service that exited while this one watches. */
  @Override
  public void run() {
    while (!stopped.getAsBoolean()) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
      if (services.stream().allMatch(s -> s.process().isAlive())) {
        continue;
      }
      if (!attached) {
        // This process owns the stack and holds the data directory: nobody else restarts.
        restartExited();
        continue;
      }
      // Another command may use the same deployment: one restarts, the others adopt.
      try (var lock = DataDirLock.acquire(dataDir)) {
        adoptRecorded();
        restartExited();
      } catch (IllegalStateException busy) {
        // Another command holds the directory now; look again in a second.
      }
    }
  }

  /** Takes over processes another command started again since this one read the state file. */
  private void adoptRecorded() {
    Properties state = StateFiles.read(dataDir.resolve(LocalDeployment.STATE_FILE));
    List<String> names = ManagedProcess.recordedNames(state);
    List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Optional<ManagedProcess> alive = recorded.get(i);
      services.stream()
          .filter(s -> s.spec().name().equals(name) && !s.process().isAlive())
          .findFirst()
          .ifPresent(
              dead ->
                  alive.ifPresent(
                      p ->
                          services.set(
                              services.indexOf(dead),
                              new LocalDeployment.Running(dead.spec(), p))));
    }
  }

  private void restartExited() {
    for (LocalDeployment.Running service : services) {
      if (stopped.getAsBoolean() || service.process().isAlive()) {
        continue;
      }
      progress.note(
          service.spec().name()
              + " (PID "
              + service.process().pid()
              + ") exited; starting it again (its log: "
              + service.process().log()
              + ")");
      try {
        var again = ServiceLauncher.launch(projectDir, dataDir, service.spec());
        services.set(services.indexOf(service), new LocalDeployment.Running(service.spec(), again));
        writeState.run();
        ServiceLauncher.awaitHealthy(again, service.spec().port());
      } catch (RuntimeException e) {
        progress.note("could not start " + service.spec().name() + " again: " + e.getMessage());
      }
    }
  }
}
