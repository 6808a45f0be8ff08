package dev.autodoc.common.repo;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.input.TextLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A repository as a job names it: a local path or {@code file://} URL, or an {@code https://} URL.
 * Credentials never travel in the URL (they come from service configuration), so one with a user
 * part is refused. The id is stable for one repository and safe in a URL path.
 */
public record RepositoryRef(String url, Kind kind, String id, String name) {

  public enum Kind {
    LOCAL,
    HTTPS
  }

  private static final String SUPPORTED = "use an absolute path, a file:// URL or an https:// URL";

  public static RepositoryRef parse(String input) {
    if (input == null || input.isBlank()) {
      throw invalid("repository is required");
    }
    String problem = TextLimits.problem(input, TextLimits.REPOSITORY);
    if (problem != null) {
      throw invalid("repository " + TextLimits.quote(input) + " " + problem);
    }
    String trimmed = input.strip();
    if (trimmed.startsWith("/")) {
      return local(Path.of(trimmed));
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw invalid(
          "repository "
              + TextLimits.quote(input)
              + " is not a valid URL ("
              + e.getReason()
              + "); "
              + SUPPORTED);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> {
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw invalid(
              "repository " + TextLimits.quote(input) + ": a file URL needs an absolute path");
        }
        yield local(Path.of(uri.getPath()));
      }
      case "https" -> https(input, uri);
      default ->
          throw invalid(
              "repository " + TextLimits.quote(input) + " is not supported; " + SUPPORTED);
    };
  }

  private static RepositoryRef local(Path path) {
    Path normalized = path.toAbsolutePath().normalize();
    String url = normalized.toUri().toString().replaceAll("/$", "");
    return new RepositoryRef(
        url, Kind.LOCAL, idOf(url, nameOf(normalized.toString())), nameOf(normalized.toString()));
  }

  private static RepositoryRef https(String input, URI uri) {
    if (uri.getUserInfo() != null) {
      throw invalid(
          "repository "
              + TextLimits.quote(redact(uri))
              + " carries credentials in the URL; configure a token instead");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw invalid("repository " + TextLimits.quote(input) + " needs a host and a path");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw invalid("repository " + TextLimits.quote(input) + " must not have a query or fragment");
    }
    String path = uri.getPath().replaceAll("/+$", "");
    String url =
        "https://"
            + uri.getHost().toLowerCase(Locale.ROOT)
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + path;
    String canonical = url.endsWith(".git") ? url.substring(0, url.length() - 4) : url;
    return new RepositoryRef(url, Kind.HTTPS, idOf(canonical, nameOf(path)), nameOf(path));
  }

  private static String nameOf(String path) {
    String last = path.replaceAll("/+$", "");
    last = last.substring(last.lastIndexOf('/') + 1);
    if (last.endsWith(".git")) {
      last = last.substring(0, last.length() - 4);
    }
    String safe = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return safe.isEmpty() ? "repository" : safe;
  }

  private static String idOf(String canonicalUrl, String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalUrl.getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String redact(URI uri) {
    return uri.getScheme() + "://***@" + uri.getHost() + uri.getPath();
  }

  private static PermanentException invalid(String message) {
    return new PermanentException(Reason.INVALID_REQUEST, message);
  }
}
