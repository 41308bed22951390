-- Force a password reset of accounts whose ids come on standard input,
-- one per line: their passwords are voided (nothing verifies any more),
-- users' sessions end, and each account gets a one-time reset token.
--
--   psql -X -d mydb -v resource=user -f maintenance/force_reset.sql < ids.txt > tokens.csv
--
-- Standard output is CSV with the columns id, reset_token, expires_at: the
-- only copy of the tokens, so keep the file private (umask 077) and
-- delete it once each token has reached its account holder, whose new
-- password your application then sets with pwupdate.reset_password.
-- Every id must name an account, or nothing is reset (psql exits with
-- status 3).  Run it as a member of pwupdate_admin.
\set ON_ERROR_STOP on
\set QUIET on

\if :{?resource}
\else
\warn 'usage: psql -v resource=<resource> -f maintenance/force_reset.sql < ids.txt > tokens.csv'
DO $$ BEGIN RAISE EXCEPTION 'psql variable "resource" is not set'; END $$;
\endif

SET application_name = 'pwupdate force reset';

BEGIN;
CREATE TEMP TABLE reset_ids (
	n	bigint GENERATED ALWAYS AS IDENTITY,
	id	text
) ON COMMIT DROP;
\copy reset_ids (id) FROM pstdin WITH (FORMAT csv)

\pset format csv
SELECT r.*
FROM pwupdate.force_password_reset(:'resource',
	ARRAY(SELECT id FROM reset_ids WHERE id <> '' ORDER BY n)) AS r;
COMMIT;
