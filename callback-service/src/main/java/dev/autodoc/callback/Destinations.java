package dev.autodoc.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form a callback URL must have: absolute {@code http} or {@code https} with a host and no
 * credentials. Where it may lead is the {@link dev.autodoc.support.net.AddressPolicy}'s to say, on
 * the address each attempt connects to.
 */
public final class Destinations {
  private Destinations() {}

  /** Why the URL may not receive callbacks. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
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
}
