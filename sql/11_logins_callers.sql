-- Partner logins: who may call what (contract sections 2 and 4).  Claims
-- callers act as PostgREST would: the role switched to is a member of
-- pwupdate_api, and request.jwt.claims is set for the transaction.
\set VERBOSITY default

CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
	state text;
	message text;
	detail text;
BEGIN
	EXECUTE statement INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
							detail = PG_EXCEPTION_DETAIL;
	RETURN state || ' ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

CREATE ROLE regress_logins_web;				-- PostgREST's authenticated role
GRANT pwupdate_api TO regress_logins_web;
CREATE ROLE regress_logins_dba;				-- a back-office role
GRANT pwupdate_admin TO regress_logins_dba;
CREATE ROLE regress_logins_nobody;			-- neither

-- Two partners, one login each, with stable ids.
SELECT pwupdate.create_login('partner_a_login', 'partner A passphrase', 'aaaaaaaa-0000-4000-8000-000000000000', '{oauth.read}') IS NOT NULL AS created;
SELECT pwupdate.create_login('partner_b_login', 'partner B passphrase', 'bbbbbbbb-0000-4000-8000-000000000000') IS NOT NULL AS created;
UPDATE pwupdate.partner_login SET login_sid = 'aaaaaaaa-0000-4000-8000-0000000000a1' WHERE login = 'partner_a_login';
UPDATE pwupdate.partner_login SET login_sid = 'bbbbbbbb-0000-4000-8000-0000000000b1' WHERE login = 'partner_b_login';
DELETE FROM pwupdate.audit;

SET ROLE regress_logins_web;

-- Partner A with oauth.update: reads and changes its own login.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "partner-a-app", "scope": "oauth.update", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT set_config('request.method', 'POST', true) IS NOT NULL AS via_postgrest;
SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1');
SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"password": "partner A second one"}');
SELECT pwupdate.put_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"login": "partner_a_login", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000", "token_scopes": ["oauth.read"], "password": "partner A third one"}') ->> 'login' AS put;
-- Partner B's login is "not found", exactly like a login that does not exist.
SELECT pg_temp.try($$SELECT pwupdate.get_login('bbbbbbbb-0000-4000-8000-0000000000b1')$$) AS other_partner,
	   pg_temp.try($$SELECT pwupdate.get_login('cccccccc-0000-4000-8000-0000000000c1')$$) AS missing;
SELECT pg_temp.try($$SELECT pwupdate.patch_login('bbbbbbbb-0000-4000-8000-0000000000b1', '{"password": "hijacked passphrase"}')$$) AS other_partner,
	   pg_temp.try($$SELECT pwupdate.patch_login('cccccccc-0000-4000-8000-0000000000c1', '{"password": "hijacked passphrase"}')$$) AS missing;
SELECT pg_temp.try($$SELECT pwupdate.put_login('bbbbbbbb-0000-4000-8000-0000000000b1', '{}')$$) AS other_partner,
	   pg_temp.try($$SELECT pwupdate.put_login('cccccccc-0000-4000-8000-0000000000c1', '{}')$$) AS missing;
-- Trusted-only functions are refused to claims callers.
SELECT pg_temp.try($$SELECT pwupdate.create_login('sneaky', 'partner A passphrase', 'aaaaaaaa-0000-4000-8000-000000000000')$$);
COMMIT;

-- oauth.manage works as well, in "scope" or in a "scopes" array.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "partner-a-app", "scope": "partners.read oauth.manage", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"password": "partner A fourth one"}') ->> 'login' AS patched;
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "partner-a-app", "scopes": ["oauth.update"], "partner_sid": "AAAAAAAA-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"password": "partner A fifth one"}') ->> 'login' AS patched;
COMMIT;

-- oauth.read reads but does not write (403); no scope does neither.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "partner-a-app", "scope": "oauth.read", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1') ->> 'login' AS read;
SELECT pg_temp.try($$SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{}')$$);
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "partner-a-app", "scope": "partners.read partners.update", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"password": "partner A sixth one"}')$$);
-- The scope is checked before the login is looked up: no existence leaks.
SELECT pg_temp.try($$SELECT pwupdate.patch_login('cccccccc-0000-4000-8000-0000000000c1', '{}')$$);
COMMIT;

-- Claims without a partner_sid see no login at all.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "someone", "scope": "oauth.manage"}', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1')$$);
COMMIT;

-- Claims without a subject are anonymous: 401.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "web_anon", "scope": "oauth.manage", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"password": "anonymous passphrase"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{}')$$);
COMMIT;

-- No claims and not in pwupdate_admin: permission denied.  PostgREST
-- leaves '' behind on a reused connection; it counts as no claims.
SELECT pg_temp.try($$SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1')$$);
BEGIN;
SELECT set_config('request.jwt.claims', '', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{}')$$);
COMMIT;
RESET ROLE;

-- A role outside both pwupdate roles cannot even call the functions.
SET ROLE regress_logins_nobody;
SELECT pg_temp.try($$SELECT pwupdate.get_login('aaaaaaaa-0000-4000-8000-0000000000a1')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{}')$$);
RESET ROLE;

-- Trusted SQL callers (pwupdate_admin, no claims) act on any partner's login.
SET ROLE regress_logins_dba;
SELECT pwupdate.get_login('bbbbbbbb-0000-4000-8000-0000000000b1') ->> 'login' AS read;
SELECT pwupdate.patch_login('bbbbbbbb-0000-4000-8000-0000000000b1', '{"password": "partner B second one"}') ->> 'login' AS patched;
SELECT pwupdate.put_login('aaaaaaaa-0000-4000-8000-0000000000a1', '{"login": "partner_a_login", "partner_sid": "aaaaaaaa-0000-4000-8000-000000000000", "token_scopes": ["oauth.read"], "password": "partner A by the dba"}') ->> 'login' AS put;
SELECT pwupdate.create_login('partner_b_second', 'partner B passphrase', 'bbbbbbbb-0000-4000-8000-000000000000') ->> 'login' AS created;
SELECT pwupdate.check_password('partner_login', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'partner A by the dba') AS verifies;
-- Behind the gateway (with claims) the role decides too: a back office
-- whose JWT names a role granted pwupdate_admin is trusted, whatever its
-- scopes and partner, and its subject is audited.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "dba-app", "scope": "oauth.read"}', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.check_password('partner_login', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'partner A by the dba')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('partner_a_office', 'partner A passphrase', 'aaaaaaaa-0000-4000-8000-000000000000') ->> 'login'$$);
SELECT pg_temp.try($$SELECT pwupdate.get_login('bbbbbbbb-0000-4000-8000-0000000000b1') ->> 'login'$$);
COMMIT;
-- The hash column is out of reach; the other columns can be listed.
SELECT pg_temp.try($$SELECT password_hash FROM pwupdate.partner_login$$);
SELECT login, partner_sid FROM pwupdate.partner_login ORDER BY login;
RESET ROLE;

SET ROLE regress_logins_web;
SELECT pg_temp.try($$SELECT login FROM pwupdate.partner_login$$);
SELECT pg_temp.try($$SELECT name FROM pwupdate.resource$$);
RESET ROLE;

-- Who may execute what.
SELECT p.oid::regprocedure AS function,
	   has_function_privilege('pwupdate_api', p.oid, 'EXECUTE') AS api,
	   has_function_privilege('pwupdate_admin', p.oid, 'EXECUTE') AS admin,
	   has_function_privilege('regress_logins_nobody', p.oid, 'EXECUTE') AS others,
	   p.prosecdef AS definer, p.provolatile AS volatility
FROM pg_proc p
WHERE p.pronamespace = 'pwupdate'::regnamespace
  AND p.proname IN ('create_login', 'get_login', 'patch_login', 'put_login',
					'get', 'patch', 'put', 'check_password',
					'register_resource', 'unregister_resource')
ORDER BY p.proname;
SELECT c.relname AS hash_table,
	   has_column_privilege('pwupdate_admin', c.oid, 'password_hash', 'SELECT') AS admin,
	   has_column_privilege('pwupdate_api', c.oid, 'password_hash', 'SELECT') AS api,
	   has_column_privilege('regress_logins_nobody', c.oid, 'password_hash', 'SELECT') AS others
FROM pg_class c WHERE c.oid = 'pwupdate.partner_login'::regclass;

-- The audit names each caller; failures left no row.
SELECT action, CASE WHEN action = 'create' THEN '(new login)' ELSE resource_id END AS resource_id,
	   actor_role, actor_sub, channel
FROM pwupdate.audit ORDER BY id;

DROP ROLE regress_logins_web, regress_logins_dba, regress_logins_nobody;
