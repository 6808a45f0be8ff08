-- The trace context (W3C traceparent) of the request that made the job: planning and finalizing,
-- which run later from the admission loop or another replica, continue that trace.
alter table orchestrator.job add column trace_parent text;
