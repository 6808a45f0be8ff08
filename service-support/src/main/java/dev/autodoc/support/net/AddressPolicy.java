package dev.autodoc.support.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which addresses an outbound connection may reach. Repository URLs and callback URLs come from
 * whoever submits a job, so without a check anyone could make a service connect into the network it
 * runs in: cloud metadata endpoints, internal services, the service itself. Only public addresses
 * are reachable, unless the allow-list names the host, the address or a range holding it (the local
 * stack allows loopback).
 *
 * <p>A check of a name before connecting proves little: the name can resolve differently a moment
 * later (DNS rebinding). So the check that counts runs on the address a connection is actually made
 * to ({@link PolicySocketFactory}, {@link PinnedHttp}); checking names early only gives a clearer,
 * earlier answer.
 */
public final class AddressPolicy {
  /** The setting that holds the allow-list, named in every refusal. */
  public static final String SETTING = "autodoc.support.allowed-hosts";

  private final List<String> allowedHosts;
  private final List<Range> allowedRanges;

  /**
   * @param allowed host names, addresses and CIDR ranges that may be reached though not public
   */
  public AddressPolicy(List<String> allowed) {
    this.allowedHosts =
        allowed.stream()
            .map(String::trim)
            .filter(a -> !a.isEmpty() && !Range.looksLikeAddress(a))
            .map(a -> a.toLowerCase(Locale.ROOT))
            .toList();
    this.allowedRanges =
        allowed.stream()
            .map(String::trim)
            .filter(Range::looksLikeAddress)
            .map(Range::parse)
            .toList();
  }

  /** Only public addresses, nothing allow-listed. */
  public static AddressPolicy publicOnly() {
    return new AddressPolicy(List.of());
  }

  /** A connection this policy does not allow; never worth retrying. */
  public static final class Refused extends IOException {
    public Refused(String message) {
      super(message);
    }
  }

  /** Whether the host name itself is allow-listed, whatever it resolves to. */
  public boolean allowsHost(String host) {
    return allowedHosts.contains(bare(host).toLowerCase(Locale.ROOT));
  }

  /** Checks the address a connection to {@code host} is about to be made to. */
  public void check(String host, InetAddress address) throws Refused {
    if (allowsHost(host)) {
      return;
    }
    String kind = nonPublic(address);
    if (kind != null && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
      throw new Refused(
          "host '"
              + bare(host)
              + "' is "
              + address.getHostAddress()
              + ", a "
              + kind
              + " address; name it in "
              + SETTING
              + " to allow it");
    }
  }

  /** Resolves the host and checks every address it has; the addresses, in the resolver's order. */
  public List<InetAddress> resolve(String host) throws Refused, UnknownHostException {
    List<InetAddress> addresses = List.of(InetAddress.getAllByName(bare(host)));
    for (InetAddress address : addresses) {
      check(host, address);
    }
    return addresses;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** What kind of non-public address this is, or null for a public one. */
  public static String nonPublic(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isSiteLocalAddress()) {
      return "private";
    }
    if (address.isAnyLocalAddress()) {
      return "wildcard";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "private"; // fc00::/7, unique local
      }
      if (isMappedV4(b)) {
        try {
          return nonPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
      return null;
    }
    if ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return "private"; // 100.64.0.0/10, carrier-grade NAT
    }
    if ((b[0] & 0xff) == 0) {
      return "private"; // 0.0.0.0/8, "this network"
    }
    return null;
  }

  /** ::ffff:a.b.c.d, which Java usually turns into the IPv4 address but not always. */
  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  /** An address range from the allow-list: an address, or an address with a prefix length. */
  record Range(byte[] network, int prefix) {
    static boolean looksLikeAddress(String text) {
      String address = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
      return address.contains(":") || address.matches("[0-9.]+");
    }

    static Range parse(String text) {
      String[] parts = text.split("/", 2);
      try {
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException(
              SETTING + ": prefix of '" + text + "' is out of range");
        }
        return new Range(network, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException(
            SETTING + ": '" + text + "' is not an address or range", e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
