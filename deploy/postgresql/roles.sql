-- Roles and database for 法援平台 (docs/runbook.md, step 5; docs/deployment.md, "Database role").
-- Run once as the superuser on the database host:
--   sudo -u postgres psql -v owner_password="'...'" -v app_password="'...'" -f deploy/postgresql/roles.sql
-- Optional names (defaults: fayuan, fayuan_owner, fayuan_app):  -v db=... -v owner=... -v app=...
--
-- The owner role owns the schema and every table: migrations run as it (manage.py migrate with its URL), never
-- the application. The application role owns nothing and may SELECT, INSERT, UPDATE, DELETE: no TRUNCATE on any
-- table (TRUNCATE bypasses the row triggers that keep core_auditentry and core_auditseal append-only), no DDL.
\set ON_ERROR_STOP on
\if :{?db}
\else
  \set db fayuan
\endif
\if :{?owner}
\else
  \set owner fayuan_owner
\endif
\if :{?app}
\else
  \set app fayuan_app
\endif

CREATE ROLE :"owner" LOGIN PASSWORD :owner_password;
CREATE ROLE :"app" LOGIN PASSWORD :app_password;
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0;
-- One statement of the application runs at most 60 s: a runaway query does not hold a worker and a connection
-- for ever (gunicorn gives up on the request at 120 s anyway). A long maintenance command run by hand lifts it for
-- its own session: PGOPTIONS='-c statement_timeout=0' manage.py stats_rebuild. No lock_timeout: a case event
-- rightly waits for tally_rebuild's table lock, and the audit sealer for the appends in flight.
ALTER ROLE :"app" IN DATABASE :"db" SET statement_timeout = '60s';

\connect :"db"
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Every table and sequence the owner creates from now on (the migrations):
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
-- Tables that already exist (re-running this part after a restore made by another role is harmless):
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app";
REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM :"app";
