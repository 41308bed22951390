-- Import password hashes made by another system into existing accounts,
-- from CSV on standard input with a header line and the columns id, hash:
--
--   psql -X -d mydb -v resource=user -f maintenance/import_hashes.sql < hashes.csv
--   psql -X -d mydb -v resource=partner_login -v overwrite=true -f maintenance/import_hashes.sql < hashes.csv
--
-- Formats: bcrypt ($2a$, $2b$, $2y$), Argon2id and Argon2i PHC strings,
-- and pgcrypto's md5-crypt ($1$), extended DES (_) and DES.  The accounts
-- must exist; their password must be unset (NULL, or voided by a forced
-- reset) unless overwrite=true.  Every invalid row is listed first, and
-- then nothing is imported (psql exits with status 3); otherwise all rows
-- are, in one transaction.  Run it as a member of pwupdate_admin.
\set ON_ERROR_STOP on
\set QUIET on

\if :{?resource}
\else
\warn 'usage: psql -v resource=<resource> [-v overwrite=true] -f maintenance/import_hashes.sql < file.csv'
DO $$ BEGIN RAISE EXCEPTION 'psql variable "resource" is not set'; END $$;
\endif
\if :{?overwrite}
\else
\set overwrite false
\endif

SET application_name = 'pwupdate import';

BEGIN;
CREATE TEMP TABLE import_rows (
	n		bigint GENERATED ALWAYS AS IDENTITY,
	id		text,
	hash	text
) ON COMMIT DROP;
\copy import_rows (id, hash) FROM pstdin WITH (FORMAT csv, HEADER true)
SELECT count(*) AS rows_read FROM import_rows;

-- Row numbers below count the data lines of the file, from 1.
CREATE TEMP VIEW import_json AS
SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', id, 'hash', hash)) ORDER BY n),
				'[]') AS rows
FROM import_rows;

\echo 'Invalid rows:'
SELECT c.* FROM import_json, pwupdate.check_hash_import(:'resource', import_json.rows, :overwrite) AS c;

SELECT pwupdate.import_hashes(:'resource', import_json.rows, :overwrite) AS imported FROM import_json;
COMMIT;
