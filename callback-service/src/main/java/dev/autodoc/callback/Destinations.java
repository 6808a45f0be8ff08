package dev.autodoc.callback;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs may receive a callback. A callback URL comes from whoever submits a job, so without a
 * check anyone could make the service send requests into the network it runs in (cloud metadata
 * endpoints, internal services). Every address the host resolves to must be public, unless the
 * allow-list names the host, the address or a range holding it. The check runs before each attempt,
 * as a name can resolve differently later.
 */
public final class Destinations {
  private final List<String> allowedHosts;
  private final List<Range> allowedRanges;

  public Destinations(List<String> allowed) {
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

  /** Why the URL may not receive callbacks. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** A URL that cannot be resolved now; worth another attempt later. */
  public static final class Unresolved extends Exception {
    Unresolved(String message) {
      super(message);
    }
  }

  /** Checks the URL, resolving its host; returns the parsed URI. */
  public URI check(String url) throws Refused, Unresolved {
    URI uri = parse(url);
    String host = hostOf(uri);
    if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
      return uri;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Unresolved("host '" + host + "' does not resolve");
    }
    for (InetAddress address : addresses) {
      String kind = nonPublic(address);
      if (kind != null && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
        throw new Refused(
            "callback URL "
                + url
                + " points at "
                + address.getHostAddress()
                + ", a "
                + kind
                + " address; name it in autodoc.callback.allowed-hosts to allow it");
      }
    }
    return uri;
  }

  /** Checks the URL's form only: absolute http or https with a host. */
  public static URI parse(String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("callback URL '" + url + "' is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("callback URL '" + url + "' must be http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("callback URL '" + url + "' has no host");
    }
    if (uri.getUserInfo() != null) {
      throw new Refused("callback URL '" + url + "' must not carry credentials");
    }
    return uri;
  }

  private static String hostOf(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** What kind of non-public address this is, or null for a public one. */
  static String nonPublic(InetAddress address) {
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
              "autodoc.callback.allowed-hosts: prefix of '" + text + "' is out of range");
        }
        return new Range(network, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "autodoc.callback.allowed-hosts: '" + text + "' is not an address or range", e);
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
