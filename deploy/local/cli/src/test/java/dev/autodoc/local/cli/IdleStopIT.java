package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idle stop's watcher, a real process, over a deployment of one real process recorded as {@code
 * generate} records its services (the whole stack's part is KeepRunningIT's).
 */
class IdleStopIT {
  private Path dataDir;
  private ManagedProcess service;

  @BeforeEach
  void recordADeployment() throws Exception {
    dataDir = CliTesting.newDataDir("idle-stop");
    service =
        ManagedProcess.start(
            "service",
            List.of("sleep", "600"),
            Map.of(),
            dataDir,
            dataDir.resolve("logs/service.log"),
            ManagedProcess.StopSignal.TERM);
    var state = new Properties();
    ManagedProcess.record(state, List.of(service));
    StateFiles.write(dataDir.resolve(LocalDeployment.STATE_FILE), state, "test deployment");
  }

  @AfterEach
  void cleanUp() {
    IdleStop.stopWatcher(dataDir);
    RecordedDeployment.down(dataDir);
    LocalStack.deleteRecursively(dataDir);
  }

  @Test
  void aDeploymentInUseStaysUpAndStopsOnceUnusedForItsPeriod() throws Exception {
    try (AutoCloseable use = IdleStop.use(dataDir)) {
      IdleStop.arm(Main.projectDir(), dataDir, Duration.ofSeconds(2));
      assertThat(IdleStop.watcher(dataDir)).isPresent();
      // A second command arming it finds the watcher running and starts no other.
      long watcher = IdleStop.watcher(dataDir).get().pid();
      IdleStop.arm(Main.projectDir(), dataDir, Duration.ofSeconds(2));
      assertThat(IdleStop.watcher(dataDir).get().pid()).isEqualTo(watcher);
      Thread.sleep(4_000);
      assertThat(service.isAlive()).as("in use for longer than the period").isTrue();
    }
    long released = System.nanoTime();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !service.isAlive());
    assertThat(Duration.ofNanos(System.nanoTime() - released)).isGreaterThan(Duration.ofSeconds(1));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> IdleStop.watcher(dataDir).isEmpty());
    assertThat(dataDir.resolve(LocalDeployment.STATE_FILE)).doesNotExist();
    assertThat(Files.readString(dataDir.resolve(IdleStop.LOG)))
        .contains("(idle stop after 2 s); stopping Autodoc")
        .contains("stopped");
    assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
  }

  @Test
  void downEndsTheWatcherWithTheDeployment() {
    IdleStop.arm(Main.projectDir(), dataDir, Duration.ofHours(1));
    assertThat(IdleStop.watcher(dataDir)).isPresent();
    CliTesting.Result down = CliTesting.run("down", "--data-dir", dataDir.toString());
    assertThat(down.output()).contains("Autodoc stopped.");
    assertThat(service.isAlive()).isFalse();
    assertThat(IdleStop.watcher(dataDir)).isEmpty();
    assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
  }

  @Test
  void keepingItRunningMeansNoIdleStop() throws Exception {
    IdleStop.arm(Main.projectDir(), dataDir, Duration.ofSeconds(1));
    // 'up' and '--keep-running' ask for no idle stop: the watcher waits for 'down'.
    IdleStop.arm(Main.projectDir(), dataDir, Duration.ZERO);
    assertThat(IdleStop.period(dataDir)).isEmpty();
    Thread.sleep(3_000);
    assertThat(service.isAlive()).isTrue();
  }

  @Test
  void aBadIdleStopIsRefusedNamingIt() {
    CliTesting.Result result =
        CliTesting.run(
            "generate", "/nowhere", "--idle-stop=-PT5S", "--data-dir", dataDir.toString());
    assertThat(result.status()).isEqualTo(Main.USAGE);
    assertThat(result.output()).contains("--idle-stop must not be negative");
    assertThat(service.isAlive()).isTrue();
  }
}
