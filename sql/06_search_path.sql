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
-- What the reset and maintenance functions compare: expiry times, UUID
-- keys, and whether a stored hash is voided.
CREATE FUNCTION mallory.timestamptz_gt(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('> on timestamptz'); RETURN pg_catalog.timestamptz_gt($1, $2); END $$;
CREATE OPERATOR mallory.> (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = mallory.timestamptz_gt);
CREATE FUNCTION mallory.timestamptz_le(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('<= on timestamptz'); RETURN pg_catalog.timestamptz_le($1, $2); END $$;
CREATE OPERATOR mallory.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = mallory.timestamptz_le);
CREATE FUNCTION mallory.uuid_eq(uuid, uuid) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('= on uuid'); RETURN pg_catalog.uuid_eq($1, $2); END $$;
CREATE OPERATOR mallory.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = mallory.uuid_eq);
CREATE FUNCTION mallory.starts_with(text, text) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN PERFORM mallory.hijacked('starts_with'); RETURN pg_catalog.starts_with($1, $2); END $$;
CREATE TABLE mallory.audit (LIKE pwupdate.audit);
CREATE TABLE mallory.blocklist (word text, source text);
CREATE TABLE mallory.reset_token (resource text, resource_id text, token_digest text,
								  created_at timestamptz, expires_at timestamptz);
CREATE TABLE mallory.customer_password_reset (id text, customer_id text, token_digest text);
SET search_path = mallory, pg_catalog, public;
-- The traps work when something does use them:
SELECT lower('X') AS trap;
SELECT '2024-05-01'::timestamptz > '2024-04-30'::timestamptz AS trap_gt,
	   '2024-05-01'::timestamptz <= '2024-04-30'::timestamptz AS trap_le,
	   '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9'::uuid = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9'::uuid AS trap_uuid,
	   starts_with('!voided', '!') AS trap_starts_with;

-- Every kind of pwupdate function, as this role: core, policy, APIs, DBA
-- maintenance.  In a transaction that is rolled back, so the accounts do
-- not outlive the test.
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
-- Customer password resets: a customer, a reset read back, a wrong token
-- and the right one, the purge.
SELECT pwupdate.create_customer('mallory@customers.example', 'a perfectly fine passphrase') ->> 'email' AS created_customer;
SELECT r -> 'data' ->> 'id' AS reset_id, r -> 'data' -> 'attributes' ->> 'reset_password_token' AS reset_token
FROM pwupdate.create_customer_password_reset('mallory@customers.example', 'mallory ref') AS r \gset
SELECT pwupdate.get_customer_password_reset(:'reset_id') -> 'data' -> 'attributes' ->> 'reference' AS reset_read;
SAVEPOINT s;
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', :'reset_id', 'attributes', jsonb_build_object(
		'customer_password', 'another fine passphrase', '_reset_password_token', 'a wrong token'))));
ROLLBACK TO SAVEPOINT s;
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', :'reset_id', 'attributes', jsonb_build_object(
		'customer_password', 'another fine passphrase', '_reset_password_token', :'reset_token'))))
	-> 'data' -> 'attributes' ->> 'reset_password_at' IS NOT NULL AS customer_reset;
SELECT pwupdate.purge_expired_resets() AS purged_resets;
-- DBA maintenance: a forced reset, a wrong token and the right one; an
-- import checked, then done; one hash described (hash_info runs with the
-- caller's search_path, and runs no SQL); the report; the purge, which
-- runs as its caller (the sessions and reset tokens made above give its
-- batches rows to compare with their expiry).
SELECT pwupdate.create_login('mallory_forced', 'a perfectly fine passphrase',
	'1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9') ->> 'login_sid' AS forced_sid \gset
SELECT reset_token AS forced_token FROM pwupdate.force_password_reset('partner_login', ARRAY[:'forced_sid']) \gset
SAVEPOINT s;
SELECT pwupdate.reset_password('partner_login', :'forced_sid', 'a wrong token', 'another fine passphrase');
ROLLBACK TO SAVEPOINT s;
SELECT pwupdate.reset_password('partner_login', :'forced_sid', :'forced_token', 'another fine passphrase');
SELECT pwupdate.check_password('partner_login', :'forced_sid', 'another fine passphrase') AS forced_reset_took;
SELECT pg_catalog.count(*) AS forced_again FROM pwupdate.force_password_reset('partner_login', ARRAY[:'forced_sid']);
SELECT * FROM pwupdate.check_hash_import('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', '$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1'),
	jsonb_build_object('id', 'not a login', 'hash', 'not a hash')));
SELECT pwupdate.import_hashes('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', '$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1'))) AS imported;
SELECT pwupdate.check_password('partner_login', :'forced_sid', 'Imported md5 one') AS imported_hash_verifies;
SELECT * FROM pwupdate.hash_info('$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1');
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 AS reported FROM pwupdate.hash_report();
CALL pwupdate.purge_expired(batch_size => 1, progress_every => 0);
-- pwupdate wrote its audit rows and tokens to its own tables.
SELECT pg_catalog.count(*) AS rows_in_mallory_audit FROM mallory.audit;
SELECT pg_catalog.count(*) AS rows_in_mallory_reset_token FROM mallory.reset_token;
SELECT pg_catalog.count(*) AS rows_in_mallory_customer_password_reset FROM mallory.customer_password_reset;
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 AS audited_in_pwupdate
FROM pwupdate.audit WHERE actor_role OPERATOR(pg_catalog.=) 'regress_mallory';
ROLLBACK;
RESET search_path;
RESET ROLE;

DROP SCHEMA mallory CASCADE;
DROP FUNCTION public.lower(text);
REVOKE CREATE ON SCHEMA public FROM regress_mallory;
DROP ROLE regress_mallory;
