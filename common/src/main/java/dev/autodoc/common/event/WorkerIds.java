package dev.autodoc.common.event;

import java.util.UUID;

/**
 * Worker ids are {@code <host>-<pid>-<6 hex>}: unique per process, and in Kubernetes (where the
 * host name is the pod's name) they name the pod, which the reconciler asks the API server about.
 */
public final class WorkerIds {
  private WorkerIds() {}

  public static String of(String host, long pid) {
    return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** The host (pod) part of an id made by {@link #of}; the whole id when it has another form. */
  public static String hostOf(String workerId) {
    int last = workerId.lastIndexOf('-');
    int pid = last <= 0 ? -1 : workerId.lastIndexOf('-', last - 1);
    if (pid <= 0 || !workerId.substring(pid + 1, last).chars().allMatch(Character::isDigit)) {
      return workerId;
    }
    return workerId.substring(0, pid);
  }
}
