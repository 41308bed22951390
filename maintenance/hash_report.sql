-- Report the stored password hashes of every account resource (the
-- registered resources with a secret field, and users): how many per
-- algorithm and parameter set, and how many need a rehash under the
-- current settings.  Reads each table once; no hash is verified.
--
--   psql -X -d mydb -f maintenance/hash_report.sql
--
-- Run it as a member of pwupdate_admin.  A hash that needs a rehash is
-- upgraded at its account's next successful sign-in or check_password;
-- "voided" and "none" accounts need a new password (force_reset.sql),
-- "unrecognized" values never verify.
\set ON_ERROR_STOP on
\set QUIET on

SET application_name = 'pwupdate hash report';

CREATE TEMP TABLE hash_report AS SELECT * FROM pwupdate.hash_report();

\echo 'Hashes per resource, algorithm and parameter set:'
SELECT * FROM hash_report;

\echo 'Totals per resource:'
SELECT resource,
	   sum(hashes) AS hashes,
	   sum(needs_rehash) AS needs_rehash,
	   sum(hashes) FILTER (WHERE algorithm IN ('voided', 'none')) AS without_password,
	   sum(hashes) FILTER (WHERE algorithm = 'unrecognized') AS unrecognized
FROM hash_report
GROUP BY resource
ORDER BY resource;
