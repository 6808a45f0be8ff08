package dev.autodoc.worker.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the files the scan selected into this run's workspace, and nothing else: regular files
 * only, at paths checked to stay inside the workspace.
 */
@ApplicationScoped
public class CheckoutStep implements PipelineStep {
  @Override
  public String name() {
    return "checkout";
  }

  @Override
  public void run(ScopeContext context) throws IOException {
    Path root = context.workspace().resolve("files");
    Files.createDirectories(root);
    for (ScopeContext.ScannedFile file : context.files()) {
      if (context.cancelled()) {
        return;
      }
      Path target = root.resolve(file.scopePath()).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("path leaves the workspace: " + file.scopePath());
      }
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        context.git().open(file.blob()).copyTo(out);
      }
    }
  }
}
