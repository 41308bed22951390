-- Password profile info (seed 001, Elastic Path): a DBA sets up a realm,
-- a password profile and a user, then the seed's PUT as PostgREST runs it
-- for the store front's token, each error class, and the account member
-- token.  Runs after 01_core.sql, which created the extension.
\set VERBOSITY default

-- Links in responses start with this (empty: relative links).
SET pwupdate.base_url = 'https://useast.api.elasticpath.com';

-- A DBA (trusted SQL caller) sets everything up.  Ids are random; the
-- seed's are set here so that the responses read like the seed's.
SELECT pwupdate.create_realm(name => 'Elastic Path store') AS realm \gset
UPDATE pwupdate.realm SET id = '12b33a5d-b536-47a8-987d-9cdba15f1647' WHERE id = :'realm';
SELECT pwupdate.create_password_profile(realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
										name => 'Default') AS profile \gset
UPDATE pwupdate.password_profile SET id = '486fa6f1-d85a-44a0-abdf-ff0076fffd6c' WHERE id = :'profile';
SELECT pwupdate.create_user_authentication_info(realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
												name => 'John Doe', email => 'johnny.d@example.com') AS uai \gset
UPDATE pwupdate.user_authentication_info SET id = 'a9dc5358-c3ee-44f9-a36c-3057213e750d' WHERE id = :'uai';
SELECT pwupdate.create_user_authentication_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
												'Jane Roe', 'jane.roe@example.com') AS jane \gset
SELECT jsonb_pretty(pwupdate.create_password_profile_info(
	realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
	user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d',
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password": "first pass phrase 1"}}')) AS created;
UPDATE pwupdate.password_profile_info SET id = '2b2dd626-9960-40c6-a9f9-d4af96eed3fb'
WHERE username = 'john.doe';
SELECT pwupdate.create_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647', :'jane',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', '486fa6f1-d85a-44a0-abdf-ff0076fffd6c',
		'username', 'jane.roe', 'password', 'second pass phrase 2'))) #>> '{data,username}' AS created;

-- The seed's request:
--   curl -X PUT https://useast.api.elasticpath.com/v2/authentication-realms/12b33a5d-b536-47a8-987d-9cdba15f1647/user-authentication-info/a9dc5358-c3ee-44f9-a36c-3057213e750d/user-authentication-password-profile-info/2b2dd626-9960-40c6-a9f9-d4af96eed3fb \
--     -H "Authorization: Bearer XXXX" -H "Content-Type: application/json" \
--     -d '{"data": {"type": "user_authentication_password_profile_info",
--                   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
--                   "username": "john.doe", "password" : "password"}}'
-- through PostgREST it is POST /rpc/update_password_profile_info with
--   {"realm_id": "12b33a5d-...", "user_authentication_info_id": "a9dc5358-...",
--    "password_profile_info_id": "2b2dd626-...", "body": {"data": {...}}}
-- and the token's claims name the realm.  The seed's own password,
-- "password", is one of the most common passwords: the policy refuses it.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.update_password_profile_info(
	realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
	user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d',
	password_profile_info_id => '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password" : "password"}}');
ROLLBACK;

-- The same request with a password that passes answers the seed's response.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
SELECT jsonb_pretty(pwupdate.update_password_profile_info(
	realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
	user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d',
	password_profile_info_id => '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password" : "correct horse battery staple"}}')) AS response;
-- A PUT of the required members only: absent fields keep their values.
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}') -> 'data' AS unchanged;
COMMIT;
SELECT pwupdate.check_password('password_profile_info', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
							   'correct horse battery staple') AS new_password_verifies;

-- Each error class, with the SQLSTATE that PostgREST turns into the status.
\set VERBOSITY verbose
\set SHOW_CONTEXT never
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
-- 400: type is required (so is password_profile_id)
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "john.doe"}}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
-- 400: data.id differs from the path's
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"type": "user_authentication_password_profile_info", "id": "00000000-0000-4000-8000-000000000000",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
-- 422: a password of 7 characters
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "kq7#mzp"}}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
-- 422: a password profile that is not one of the realm's
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "00000000-0000-4000-8000-000000000000"}}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set;
-- 409: the username is taken in that password profile
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "jane.roe"}}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "other-store", "realm_id": "00000000-0000-4000-8000-000000000001"}', true) IS NOT NULL AS claims_set;
-- 404: another realm's token, exactly like a missing info
SELECT pwupdate.get_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb');
ROLLBACK;

-- The account member token: issued by a DBA for John, sent by the store
-- front in the header EP-Account-Management-Authentication-Token.
\set VERBOSITY default
SELECT pwupdate.create_account_member_token(realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
											user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d') AS member_token \gset
SELECT length(:'member_token') AS token_length;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set,
	   set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'member_token')::text, true) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
	'a9dc5358-c3ee-44f9-a36c-3057213e750d', '2b2dd626-9960-40c6-a9f9-d4af96eed3fb') #>> '{data,username}' AS johns_info;
COMMIT;
\set VERBOSITY verbose
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set,
	   set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'member_token')::text, true) IS NOT NULL AS header_set;
-- 401: John's token on Jane's info
SELECT pwupdate.update_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647', :'jane',
	(SELECT id FROM pwupdate.password_profile_info WHERE username = 'jane.roe'),
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
ROLLBACK;
\set VERBOSITY default
SELECT pwupdate.revoke_account_member_token(:'member_token') AS revoked;

-- Every change is in the audit trail; no secret is.
SELECT action, resource, resource_id, actor_sub, channel FROM pwupdate.audit
WHERE resource IN ('password_profile_info', 'user_authentication_info') ORDER BY id;
RESET pwupdate.base_url;
