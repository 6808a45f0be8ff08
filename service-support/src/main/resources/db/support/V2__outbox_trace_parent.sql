-- The trace context (W3C traceparent) of the work that wrote the event, so the record the relay
-- publishes later, from another thread or replica, continues that trace in its headers.
alter table outbox add column trace_parent text;
