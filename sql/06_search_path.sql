-- A malicious role cannot hijack pwupdate through objects of its own that
-- shadow built-in ones: in public, or in a schema it puts first on its
-- search_path (even before pg_catalog).  pwupdate's functions pin their
-- search_path and qualify what they call.
CREATE ROLE regress_mallory LOGIN IN ROLE pwupdate_admin;
CREATE SCHEMA mallory AUTHORIZATION regress_mallory;
GRANT CREATE ON SCHEMA public TO regress_mallory;

SET ROLE regress_mallory;
-- Functions and operators named like the ones pwupdate's SQL uses; each
-- raises a NOTICE if it ever runs, which would show in this output.
CREATE FUNCTION mallory.hijacked(what text) RETURNS void LANGUAGE plpgsql
	AS $$ BEGIN RAISE NOTICE 'hijacked through %', what; END $$;
CREATE FUNCTION mallory.lower(text) RETURNS text LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('lower'); RETURN $1; END $$;
CREATE FUNCTION mallory.now() RETURNS timestamptz LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('now'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION mallory.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('clock_timestamp'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION mallory.gen_random_uuid() RETURNS uuid LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('gen_random_uuid'); RETURN pg_catalog.gen_random_uuid(); END $$;
CREATE FUNCTION mallory.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('='); RETURN pg_catalog.texteq($1, $2); END $$;
CREATE OPERATOR mallory.= (LEFTARG = text, RIGHTARG = text, FUNCTION = mallory.text_eq);
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('public.lower'); RETURN $1; END $$;
CREATE TABLE mallory.audit (LIKE pwupdate.audit);
CREATE TABLE mallory.blocklist (word text, source text);
SET search_path = mallory, pg_catalog, public;
-- The traps work when something does use them:
SELECT lower('X') AS trap;

-- Every kind of pwupdate function, as this role: core, policy, APIs.  In a
-- transaction that is rolled back, so the accounts do not outlive the test.
BEGIN;
SELECT pwupdate.validate_password('a perfectly fine passphrase', '{"login": "mallory"}') IS NULL AS validated;
SAVEPOINT s;
SELECT pwupdate.validate_password('password1');
ROLLBACK TO SAVEPOINT s;
SELECT pwupdate.verify_password('pw', pwupdate.hash_password('pw')) AS verified;
SELECT pwupdate.create_login('mallory_login', 'a perfectly fine passphrase',
	'1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9') ->> 'login' AS created_login;
SELECT pwupdate.patch('partner_login',
	(SELECT login_sid::text FROM pwupdate.partner_login WHERE login OPERATOR(pg_catalog.=) 'mallory_login'),
	'{"password": "another fine passphrase"}') ->> 'login' AS patched;
SELECT pwupdate.create_user('2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d.mallory', 'mallory@mallory.example',
	'a perfectly fine passphrase') AS created_user;
SELECT pwupdate.sign_in('mallory@mallory.example', 'a perfectly fine passphrase') ? 'session_token' AS signed_in;
SELECT pwupdate.create_realm('mallory realm') IS NOT NULL AS realm_created;
-- pwupdate wrote its audit rows to its own table.
SELECT pg_catalog.count(*) AS rows_in_mallory_audit FROM mallory.audit;
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 AS audited_in_pwupdate
FROM pwupdate.audit WHERE actor_role OPERATOR(pg_catalog.=) 'regress_mallory';
ROLLBACK;
RESET search_path;
RESET ROLE;

DROP SCHEMA mallory CASCADE;
DROP FUNCTION public.lower(text);
REVOKE CREATE ON SCHEMA public FROM regress_mallory;
DROP ROLE regress_mallory;
