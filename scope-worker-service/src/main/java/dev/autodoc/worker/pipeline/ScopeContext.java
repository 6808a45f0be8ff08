package dev.autodoc.worker.pipeline;

import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.worker.persistence.PreviousRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/** What the steps of one scope run share: the request, the workspace and each step's results. */
public final class ScopeContext implements AutoCloseable {
  private final ScopeRequested request;
  private final RepositoryRef repository;
  private final int attempt;
  private final Path workspace;
  private final BooleanSupplier cancelled;
  private Repository git;
  private List<ScannedFile> files = List.of();
  private ScanInventory inventory;
  private dev.autodoc.worker.docs.pages.DocContext docs;
  private List<dev.autodoc.worker.docs.pages.Page> pages = List.of();
  private String readme;
  private TokenUsage tokens = TokenUsage.NONE;
  private List<dev.autodoc.worker.docs.embeddings.Chunk> chunks = List.of();
  private Optional<PreviousRun> previous = Optional.empty();
  private final Map<String, PreviousRun.StoredPage> kept = new ConcurrentHashMap<>();

  /** A file the scan selected: its path relative to the repository and to the scope. */
  public record ScannedFile(
      String repositoryPath, String scopePath, ObjectId blob, String language, long bytes) {}

  public ScopeContext(
      ScopeRequested request, int attempt, Path workspace, BooleanSupplier cancelled) {
    this.request = request;
    this.repository = RepositoryRef.parse(request.repositoryUrl());
    this.attempt = attempt;
    this.workspace = workspace;
    this.cancelled = cancelled;
  }

  public ScopeRequested request() {
    return request;
  }

  public RepositoryRef repository() {
    return repository;
  }

  public int attempt() {
    return attempt;
  }

  /** This run's private directory; removed when the run ends. */
  public Path workspace() {
    return workspace;
  }

  /** True once this run has lost its claim or the job was cancelled: steps stop early. */
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }

  public Repository git() {
    if (git == null) {
      throw new IllegalStateException("the fetch step has not run");
    }
    return git;
  }

  void git(Repository git) {
    this.git = git;
  }

  public List<ScannedFile> files() {
    return files;
  }

  public ScanInventory inventory() {
    return inventory;
  }

  /** A documented file whose declarations were not read, counted with the reason. */
  void unparsed(String scopePath, String reason) {
    inventory = inventory.withSkipped(scopePath, reason);
  }

  void scanned(List<ScannedFile> files, ScanInventory inventory) {
    this.files = List.copyOf(files);
    this.inventory = inventory;
  }

  /** What the extract step learned: declarations, structure, files and purpose. */
  public dev.autodoc.worker.docs.pages.DocContext docs() {
    if (docs == null) {
      throw new IllegalStateException("the extract step has not run");
    }
    return docs;
  }

  void extracted(dev.autodoc.worker.docs.pages.DocContext docs) {
    this.docs = docs;
  }

  public List<dev.autodoc.worker.docs.pages.Page> pages() {
    return pages;
  }

  /** The distilled scope README, or null before the generate step. */
  public String readme() {
    return readme;
  }

  void generated(List<dev.autodoc.worker.docs.pages.Page> pages) {
    this.pages = List.copyOf(pages);
  }

  /** Adds LLM tokens spent on this scope (structure, pages, README). */
  synchronized void used(TokenUsage usage) {
    tokens = tokens.plus(usage);
  }

  /** The LLM tokens this run used so far; zero for the static agent. */
  public synchronized TokenUsage tokens() {
    return tokens;
  }

  void distilled(String readme, List<dev.autodoc.worker.docs.embeddings.Chunk> chunks) {
    this.readme = readme;
    this.chunks = List.copyOf(chunks);
  }

  /** The embedded chunks of every page, after the embed step. */
  public List<dev.autodoc.worker.docs.embeddings.Chunk> chunks() {
    return chunks;
  }

  /** The run an incremental request builds on, once loaded; empty for a full run. */
  public Optional<PreviousRun> previous() {
    return previous;
  }

  public void previous(PreviousRun previous) {
    this.previous = Optional.of(previous);
  }

  /** A page this run kept from the previous run unchanged, by its stored path. */
  public Optional<PreviousRun.StoredPage> kept(String storedPath) {
    return Optional.ofNullable(kept.get(storedPath));
  }

  void keep(PreviousRun.StoredPage page) {
    kept.put(page.path(), page);
  }

  @Override
  public void close() {
    if (git != null) {
      git.close();
    }
  }
}
