package dev.autodoc.worker.pipeline;

/**
 * One step of the scope pipeline. A step is blocking and runs on a worker thread; it reads what
 * earlier steps left in the context and adds its own results. It signals failure with an {@link
 * dev.autodoc.common.error.AutodocException}: transient failures are retried by the pipeline,
 * permanent ones fail the scope at once.
 */
public interface PipelineStep {
  /**
   * The step's name, used for its policy ({@code autodoc.worker.steps.<name>.*}) and in progress
   * events.
   */
  String name();

  void run(ScopeContext context) throws Exception;
}
