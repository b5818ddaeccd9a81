-- Per-table storage settings for the tables that grow or churn most (run as the owner role after each
-- `migrate`; idempotent):  psql "$OWNER_DATABASE_URL" -f deploy/postgresql/tables.sql

-- The task queue: every task is inserted, updated (running, done) and later deleted: vacuum early and often.
ALTER TABLE django_tasks_database_dbtaskresult SET (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_cost_limit = 2000);
-- The rollups: a counter row is updated at every case event. Room on each page keeps those updates HOT (no index
-- change), and vacuum reclaims the dead versions quickly.
ALTER TABLE stats_tally SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
-- Sessions: written at sign-in, expired rows removed by clearsessions.
ALTER TABLE django_session SET (autovacuum_vacuum_scale_factor = 0.02);
-- Append-mostly history: vacuum for the visibility map (index-only scans) after 2% new rows, analyse at 1%.
-- These tables are partitioned by year (docs/runbook.md, section 18): the settings go on each year's table (a
-- partitioned parent holds no rows and takes none); a year made later copies them from the year before it.
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT i.inhrelid::regclass FROM pg_inherits i
      WHERE i.inhparent IN ('core_auditentry'::regclass, 'cases_caseevent'::regclass, 'intake_consultation'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_insert_scale_factor = 0.02, '
                   'autovacuum_analyze_scale_factor = 0.01)', part);
  END LOOP;
END $$;
ALTER TABLE deadlines_deadline SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
