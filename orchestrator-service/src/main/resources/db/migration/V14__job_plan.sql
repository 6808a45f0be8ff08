-- What a job decided at planning (each scope's action and reason, estimated LLM tokens) and the
-- oldest commit its scopes build on. A job that did not name its mode has none until planning
-- decides it (incremental when the repository has a successful run, full otherwise).
alter table job add column baseline_sha text;
alter table job add column plan jsonb;
alter table job alter column mode drop not null;
