-- The documentation pull request a job opened, once it has.
alter table job add column pull_request jsonb;
