package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.scope.Scope;
import java.util.List;

/** What a job will do: the commit it documents and the scopes at that commit. */
public record Plan(String commitSha, List<Scope> scopes) {
  public Plan {
    scopes = List.copyOf(scopes);
  }
}
