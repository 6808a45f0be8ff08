-- The LLM tokens each scope reported with its pages.
alter table job_scope add column tokens jsonb;
