package dev.autodoc.common.scope;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import java.util.List;
import java.util.stream.Collectors;

/** One or more {@code .autodoc.yaml} files are invalid; the message lists every problem. */
public final class InvalidScopeConfigException {
  private InvalidScopeConfigException() {}

  public static PermanentException of(List<ConfigProblem> problems) {
    String message =
        "invalid "
            + ScopeConfig.FILE_NAME
            + ": "
            + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
    return new PermanentException(Reason.INVALID_SCOPE_CONFIG, message);
  }
}
