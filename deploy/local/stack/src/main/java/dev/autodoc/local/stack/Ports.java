package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Random free loopback ports, and a check that something listens on one. */
public final class Ports {
  private Ports() {}

  /**
   * Ports handed out by this process: a server may not have bound its port when the next is picked.
   */
  private static final java.util.Set<Integer> ISSUED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A loopback port nothing listens on now and that this process has not handed out before, so two
   * servers starting side by side never get the same port.
   */
  public static int free() {
    for (int tries = 0; tries < 100; tries++) {
      try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        if (ISSUED.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
    throw new IllegalStateException("no loopback port left that this process has not handed out");
  }

  public static boolean listening(int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
