package dev.autodoc.orchestrator.mcp;

import io.modelcontextprotocol.util.McpUriTemplateManager;
import io.modelcontextprotocol.util.McpUriTemplateManagerFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URI templates as RFC 6570 reads the two forms the resources use: {@code {name}} takes one path
 * segment, {@code {+name}} (reserved expansion) any text, slashes included, as a page's path needs;
 * values are percent-decoded. The SDK's own manager knows only the first form.
 */
final class UriTemplates implements McpUriTemplateManagerFactory {
  private static final Pattern VARIABLE = Pattern.compile("\\{(\\+?)([A-Za-z0-9_]+)}");

  @Override
  public McpUriTemplateManager create(String template) {
    return new Template(template);
  }

  private static final class Template implements McpUriTemplateManager {
    private final List<String> names = new ArrayList<>();
    private final Pattern pattern;

    Template(String template) {
      var regex = new StringBuilder("^");
      Matcher m = VARIABLE.matcher(template);
      int at = 0;
      while (m.find()) {
        regex.append(Pattern.quote(template.substring(at, m.start())));
        regex.append(m.group(1).isEmpty() ? "([^/]+)" : "(.+)");
        names.add(m.group(2));
        at = m.end();
      }
      regex.append(Pattern.quote(template.substring(at))).append('$');
      pattern = Pattern.compile(regex.toString());
    }

    @Override
    public List<String> getVariableNames() {
      return names;
    }

    @Override
    public Map<String, String> extractVariableValues(String uri) {
      Map<String, String> values = new LinkedHashMap<>();
      Matcher m = uri == null ? null : pattern.matcher(uri);
      if (m != null && m.matches()) {
        for (int i = 0; i < names.size(); i++) {
          values.put(names.get(i), decoded(m.group(i + 1)));
        }
      }
      return values;
    }

    /** Percent-decoded; a value that is not valid percent-encoding is taken as written. */
    private static String decoded(String value) {
      try {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return value;
      }
    }

    @Override
    public boolean matches(String uri) {
      return uri != null && pattern.matcher(uri).matches();
    }

    @Override
    public boolean isUriTemplate(String uri) {
      return uri != null && VARIABLE.matcher(uri).find();
    }
  }
}
