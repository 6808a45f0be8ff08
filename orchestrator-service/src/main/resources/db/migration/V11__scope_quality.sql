-- The quality summary each scope reports with its pages.
alter table job_scope add column quality jsonb;
