-- Privileges: the API role and PUBLIC can read no table and run no
-- trusted-only function; no plaintext is left in any table.
CREATE ROLE regress_api IN ROLE pwupdate_api;
CREATE ROLE regress_nobody;

-- The functions the API role may execute: the API, nothing trusted-only.
SELECT p.oid::regprocedure AS api_function
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate' AND has_function_privilege('pwupdate_api', p.oid, 'EXECUTE')
ORDER BY p.oid::regprocedure::text;

-- PUBLIC executes nothing and reads nothing in the schema.
SELECT count(*) AS functions_for_public
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate' AND has_function_privilege('regress_nobody', p.oid, 'EXECUTE');
SELECT has_schema_privilege('regress_nobody', 'pwupdate', 'USAGE') AS public_schema_usage;

-- No table in the schema is readable by the API role or PUBLIC.
SELECT c.oid::regclass AS table_readable_by_api_or_public
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pwupdate' AND c.relkind IN ('r', 'p', 'v', 'm')
  AND (has_table_privilege('regress_api', c.oid, 'SELECT')
       OR has_table_privilege('regress_nobody', c.oid, 'SELECT')
       OR has_any_column_privilege('regress_api', c.oid, 'SELECT'));

SET ROLE regress_api;
SELECT pwupdate.hash_password('a password');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.verify_password('a password', 'x');
SELECT * FROM pwupdate.audit;
SELECT pwupdate.validate_password('a fine long passphrase') AS api_may_validate;
RESET ROLE;

SET ROLE regress_nobody;
SELECT pwupdate.validate_password('a fine long passphrase');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- A password hashed by any function leaves no plaintext in any table of the
-- database: search every text-like column for a distinctive plaintext.
CREATE TABLE regress_hashes AS
SELECT pwupdate.hash_password('Plaintext-Marker-7f3a') AS h;
SELECT pwupdate.validate_password('Plaintext-Marker-7f3b');
DO $$
DECLARE
	col record;
	hits bigint;
	total bigint := 0;
BEGIN
	FOR col IN
		SELECT c.oid::regclass AS tab, a.attname
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE %I::text LIKE $1', col.tab, col.attname)
			INTO hits USING '%Plaintext-Marker-7f3%';
		total := total + hits;
	END LOOP;
	RAISE NOTICE 'plaintext found in % rows', total;
END
$$;
DROP TABLE regress_hashes;

DROP ROLE regress_api;
DROP ROLE regress_nobody;
