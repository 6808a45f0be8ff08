-- The trace context (W3C traceparent) the JobCompleted was consumed in, so every attempt, whenever
-- and wherever it is sent, is a span of the job's trace.
alter table callback.delivery add column trace_parent text;
