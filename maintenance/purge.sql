-- Purge what has expired: user sessions, account member tokens and the
-- reset tokens of forced resets, in batches, committing after each one.
-- Safe to run while the API is under load; meant for cron:
--
--   psql -X -d mydb -f maintenance/purge.sql
--   psql -X -d mydb -v batch_size=50000 -v progress_every=20 -f maintenance/purge.sql
--
-- Run it as a member of pwupdate_admin, and not with --single-transaction
-- (in one transaction the batches cannot commit).  Progress goes to
-- standard error as NOTICEs every progress_every batches of a table; the
-- counts per table come last, as JSON.
\set ON_ERROR_STOP on
\set QUIET on

\if :{?batch_size}
\else
\set batch_size 10000
\endif
\if :{?progress_every}
\else
\set progress_every 10
\endif

SET application_name = 'pwupdate purge';
-- Rows in use are skipped, but never wait long for a table lock either.
SET lock_timeout = '10s';

CALL pwupdate.purge_expired(batch_size => :batch_size, progress_every => :progress_every);
