-- The bench schema: the two hashes every row is given (each made once),
-- helpers for the scripts, PostgREST's roles, and the realm and password
-- profile of seed 001.  The files in load/ then write :rows of every
-- resource straight into pwupdate's tables, as a superuser (not through
-- the API), all at the same time.
--
-- Row n belongs to population ((n - 1) % 4) + 1:
--   1  production hash, never changed: sign-ins, verifications, refusals
--   2  minimal-cost hash, changed by the minimal-cost runs
--   3  minimal-cost hash, never changed
--   4  production hash, changed by the production runs
-- Scripts pick a row of one population with
-- \set n 4 * random(0, :quarter - 1) + :stable (or + :writable); bench/run
-- sets stable=1 writable=4 at production cost, stable=3 writable=2 at
-- minimal cost.  So a verification always meets a hash of the parameters
-- in force (nothing is rehashed on the way), and a changed password never
-- breaks a later sign-in.  Every row's password is 'Bench passphrase 0'.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE SCHEMA bench;

-- Minimal cost: the least that pwupdate.argon2_memory and
-- pwupdate.argon2_iterations accept.  Production: the defaults.
CREATE TABLE bench.premade (
	pop		int PRIMARY KEY,
	hash	text NOT NULL
);
SELECT pwupdate.hash_password('Bench passphrase 0') AS production_hash \gset
SET pwupdate.argon2_memory = '8kB';
SET pwupdate.argon2_iterations = 1;
SELECT pwupdate.hash_password('Bench passphrase 0') AS minimal_hash \gset
RESET pwupdate.argon2_memory;
RESET pwupdate.argon2_iterations;
INSERT INTO bench.premade
VALUES (1, :'production_hash'), (2, :'minimal_hash'), (3, :'minimal_hash'), (4, :'production_hash');

-- Names for creations, so that no two runs ask for the same login.
CREATE SEQUENCE bench.serial;

-- Scripts logged in as PostgREST's authenticator call these helpers too.
GRANT USAGE ON SCHEMA bench TO PUBLIC;

-- The bare hash work, for the baselines.  SECURITY DEFINER, so that a
-- baseline can run in the same pgbench session as an API script, whatever
-- role that logs in as (pwupdate's hash functions are for pwupdate_admin).
CREATE FUNCTION bench.hash_password(password text)
RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT pwupdate.hash_password(password) $$;
CREATE FUNCTION bench.verify_premade(password text, pop int)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT pwupdate.verify_password(password, hash) FROM bench.premade AS p WHERE p.pop = $2 $$;

-- Run a statement and expect it to fail with one of the given SQLSTATEs
-- (or to succeed, for NULL), so that pgbench can time refusals: pgbench
-- stops a client at the first error.  Anything else is raised again.
CREATE FUNCTION bench.expect(states text[], query text, VARIADIC args text[])
RETURNS text
LANGUAGE plpgsql
AS $$
BEGIN
	EXECUTE query USING args;
	IF states IS NOT NULL THEN
		RAISE EXCEPTION 'expected SQLSTATE %, got success', states;
	END IF;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	IF states IS NULL OR NOT SQLSTATE = ANY (states) THEN
		RAISE;
	END IF;
	RETURN SQLSTATE;
END
$$;

-- The backend's private resident memory, in kB.
CREATE FUNCTION bench.rss_anon_kb()
RETURNS bigint
LANGUAGE sql
AS $$
	SELECT substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s*(\d+)')::bigint
$$;

-- PostgREST's roles: the claims scripts log in as the authenticator and
-- switch to "authenticated" or "anon", as PostgREST does.
SELECT count(*) FROM pwupdate.setup_postgrest() \gset

INSERT INTO pwupdate.realm (id, name)
VALUES ('b0000000-0000-4000-8000-0000000000a1', 'Bench realm');
INSERT INTO pwupdate.password_profile (id, realm_id, name)
VALUES ('b0000000-0000-4000-8000-0000000000b1', 'b0000000-0000-4000-8000-0000000000a1', 'Default');
