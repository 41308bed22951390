-- Password profile info (contract sections 2 and 5): who may call what,
-- and realm isolation.  Claims callers act as PostgREST would: the role
-- switched to is a member of pwupdate_api, and request.jwt.claims names
-- the realm (set for the session here, so that each error stands alone).
-- Uses the realms, members and infos of 20_profiles_create.
\set VERBOSITY default

CREATE ROLE regress_profiles_web;			-- PostgREST's authenticated role
GRANT pwupdate_api TO regress_profiles_web;
CREATE ROLE regress_profiles_dba;			-- a back-office role
GRANT pwupdate_admin TO regress_profiles_dba;
CREATE ROLE regress_profiles_nobody;		-- neither

\set realm '''12b33a5d-b536-47a8-987d-9cdba15f1647'''
\set other_realm '''eeeeeeee-0000-4000-8000-000000000000'''
\set uai '''a9dc5358-c3ee-44f9-a36c-3057213e750d'''
\set jane '''bbbbbbbb-0000-4000-8000-0000000000b2'''
\set eve '''eeeeeeee-0000-4000-8000-0000000000e3'''
\set info '''2b2dd626-9960-40c6-a9f9-d4af96eed3fb'''
\set eve_info '''eeeeeeee-0000-4000-8000-0000000000c5'''
DELETE FROM pwupdate.audit;

SET ROLE regress_profiles_web;

-- The realm's store front reads and changes its members' infos; the
-- contract names no scope, so none is needed.
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{data,username}' AS read;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "store front pass 1"}}') #>> '{data,username}' AS updated;
-- The realm claim is compared as a UUID.
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12B33A5D-B536-47A8-987D-9CDBA15F1647"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{data,username}' AS read;

-- Realm isolation: whatever leads elsewhere is "not found", exactly like an
-- info that does not exist.  Another realm in the path:
SELECT pwupdate.get_password_profile_info(:other_realm, :eve, :eve_info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:other_realm, :eve, :eve_info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "eeeeeeee-0000-4000-8000-0000000000f1", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
-- another realm's info under this realm's path:
SELECT pwupdate.get_password_profile_info(:realm, :eve, :eve_info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :eve_info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
-- another member's info, an info that does not exist:
SELECT pwupdate.update_password_profile_info(:realm, :jane, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.get_password_profile_info(:realm, :uai, '00000000-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE
-- The other realm's store front, on this realm's info:
SELECT set_config('request.jwt.claims', '{"sub": "other-front", "realm_id": "eeeeeeee-0000-4000-8000-000000000000"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.get_password_profile_info(:other_realm, :eve, :eve_info) #>> '{data,username}' AS own_realm;
-- Claims without a realm, or with one that is not a UUID, see nothing.
SELECT set_config('request.jwt.claims', '{"sub": "store-front"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "store"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{}');
\echo :LAST_ERROR_SQLSTATE

-- The realm is checked before the body: no body error leaks existence.
SELECT set_config('request.jwt.claims', '{"sub": "other-front", "realm_id": "eeeeeeee-0000-4000-8000-000000000000"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '[]');
\echo :LAST_ERROR_SQLSTATE

-- The API role may not execute the trusted-only functions.
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.create_realm('sneaky');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile(:realm, 'sneaky');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, 'sneaky', 'sneaky@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_account_member_token(:realm, :uai);
\echo :LAST_ERROR_SQLSTATE
-- The generic functions on this resource are for trusted callers: claims
-- go through the contract's functions, which check the path and the
-- account member token.
SELECT pwupdate.get('password_profile_info', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.patch('password_profile_info', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb', '{"password": "generic path pass 1"}');
\echo :LAST_ERROR_SQLSTATE

-- Claims without a subject are anonymous: 401.
SELECT set_config('request.jwt.claims', '{"role": "web_anon", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', false) IS NOT NULL AS claims_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "anonymous pass 1"}}');
\echo :LAST_ERROR_SQLSTATE

-- No claims (PostgREST leaves '' behind) and not in pwupdate_admin: 42501.
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_cleared;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{}');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- A role outside both pwupdate roles cannot even call the functions.
SET ROLE regress_profiles_nobody;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Trusted SQL callers (pwupdate_admin, no claims) set up and change
-- everything, in any realm.
SET ROLE regress_profiles_dba;
SELECT pwupdate.create_realm('Back office') AS dba_realm \gset
SELECT pwupdate.create_password_profile(:'dba_realm', 'Default') AS dba_profile \gset
SELECT pwupdate.create_user_authentication_info(:'dba_realm', 'Clerk', 'clerk@example.com') AS dba_uai \gset
SELECT pwupdate.create_password_profile_info(:'dba_realm', :'dba_uai',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'dba_profile', 'username', 'clerk', 'password', 'back office pass 1'))) #>> '{data,username}' AS created;
SELECT pwupdate.update_password_profile_info(:other_realm, :eve, :eve_info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "eeeeeeee-0000-4000-8000-0000000000f1", "password": "reset by the dba 1"}}') #>> '{data,username}' AS updated;
SELECT pwupdate.check_password('password_profile_info', :eve_info, 'reset by the dba 1') AS verifies;
-- The hash is out of reach; the other columns can be listed.
SELECT password_hash FROM pwupdate.password_profile_info;
\echo :LAST_ERROR_SQLSTATE
SELECT token_digest FROM pwupdate.account_member_token;
\echo :LAST_ERROR_SQLSTATE
SELECT username, password_profile_id FROM pwupdate.password_profile_info WHERE realm_id = :other_realm;
SELECT name, email FROM pwupdate.user_authentication_info WHERE realm_id = :other_realm;
RESET ROLE;

SET ROLE regress_profiles_web;
SELECT username FROM pwupdate.password_profile_info;
\echo :LAST_ERROR_SQLSTATE
SELECT name FROM pwupdate.realm;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Who may execute what.
SELECT p.oid::regprocedure AS function,
	   has_function_privilege('pwupdate_api', p.oid, 'EXECUTE') AS api,
	   has_function_privilege('pwupdate_admin', p.oid, 'EXECUTE') AS admin,
	   has_function_privilege('regress_profiles_nobody', p.oid, 'EXECUTE') AS others,
	   p.prosecdef AS definer, p.provolatile AS volatility
FROM pg_proc p
WHERE p.pronamespace = 'pwupdate'::regnamespace
  AND p.proname IN ('create_realm', 'create_password_profile', 'create_user_authentication_info',
					'create_password_profile_info', 'get_password_profile_info',
					'update_password_profile_info', 'create_account_member_token',
					'revoke_account_member_token', 'revoke_account_member_tokens',
					'purge_expired_account_member_tokens')
ORDER BY p.proname;
SELECT c.relname AS secret_table, a.attname AS secret_column,
	   has_column_privilege('pwupdate_admin', c.oid, a.attname, 'SELECT') AS admin,
	   has_column_privilege('pwupdate_api', c.oid, a.attname, 'SELECT') AS api,
	   has_column_privilege('regress_profiles_nobody', c.oid, a.attname, 'SELECT') AS others
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE (c.oid, a.attname) IN (('pwupdate.password_profile_info'::regclass, 'password_hash'),
							 ('pwupdate.account_member_token'::regclass, 'token_digest'))
ORDER BY 1;

-- The audit names each caller; refusals left no row.
SELECT action, CASE WHEN action = 'create' THEN '(new info)' ELSE resource_id END AS resource_id,
	   actor_role, actor_sub, channel
FROM pwupdate.audit ORDER BY id;

DROP ROLE regress_profiles_web, regress_profiles_dba, regress_profiles_nobody;
