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
ALTER TABLE core_auditentry SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE cases_caseevent SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE deadlines_deadline SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
