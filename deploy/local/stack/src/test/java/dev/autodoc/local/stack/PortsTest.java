package dev.autodoc.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void portsHandedOutAreNeverHandedOutAgain() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(ports.add(Ports.free())).as("port %d handed out twice", i).isTrue();
    }
  }
}
