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
}
