-- Password profile info (contract section 5): the account member token.
-- When a request carries the header EP-Account-Management-Authentication-
-- Token ("ep-account-management-authentication-token" in request.headers),
-- it must be a live token of the user authentication info in the path
-- (401 otherwise).  Tokens are issued by the trusted-only
-- create_account_member_token, stored as digests, expire, and can be
-- revoked or purged.  Uses the realms, members and infos of
-- 20_profiles_create.
\set VERBOSITY default

\set realm '''12b33a5d-b536-47a8-987d-9cdba15f1647'''
\set other_realm '''eeeeeeee-0000-4000-8000-000000000000'''
\set uai '''a9dc5358-c3ee-44f9-a36c-3057213e750d'''
\set jane '''bbbbbbbb-0000-4000-8000-0000000000b2'''
\set eve '''eeeeeeee-0000-4000-8000-0000000000e3'''
\set info '''2b2dd626-9960-40c6-a9f9-d4af96eed3fb'''
\set jane_info '''bbbbbbbb-0000-4000-8000-0000000000c4'''
DELETE FROM pwupdate.audit;

-- The digest a token is stored under.
CREATE FUNCTION pg_temp.digest(token text) RETURNS text LANGUAGE sql AS $$
	SELECT encode(sha256(convert_to(token, 'UTF8')), 'hex')
$$;

-- Tokens for John and for Jane: 43 letters and digits (256 bits), shown
-- once, stored only as SHA-256 digests, valid for pwupdate.member_token_ttl
-- (one hour by default).
SELECT pwupdate.create_account_member_token(realm_id => :realm, user_authentication_info_id => :uai) AS john_token \gset
SELECT pwupdate.create_account_member_token(:realm, :jane) AS jane_token \gset
SELECT :'john_token' ~ '^[A-Za-z0-9]{43}$' AS token_shape, :'john_token' <> :'jane_token' AS distinct_tokens;
SELECT count(*) AS tokens,
	   bool_and(token_digest IN (pg_temp.digest(:'john_token'), pg_temp.digest(:'jane_token'))) AS digests_only,
	   bool_and(expires_at - created_at BETWEEN interval '59 minutes' AND interval '61 minutes') AS one_hour
FROM pwupdate.account_member_token;

-- A store front of the realm acting for John, with his token: it reaches
-- John's infos ...
SELECT set_config('request.jwt.claims', '{"sub": "account-app", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', false) IS NOT NULL AS claims_set;
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'john_token')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{data,username}' AS read;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "account member pass 1"}}') #>> '{data,username}' AS updated;
-- ... and nobody else's: with John's token, Jane's info is refused (401).
SELECT pwupdate.get_password_profile_info(:realm, :jane, :jane_info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :jane, :jane_info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
-- A made-up token, an empty header, a token with a character changed:
-- the same error.
SELECT set_config('request.headers', '{"ep-account-management-authentication-token": "not-a-token"}', false) IS NOT NULL AS header_set;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "hijacked pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.headers', '{"ep-account-management-authentication-token": ""}', false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token',
	overlay(:'john_token' placing CASE WHEN left(:'john_token', 1) = 'A' THEN 'B' ELSE 'A' END from 1 for 1))::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
-- The token is checked before the info is looked up: an unknown info
-- under a wrong token is 401 too, so the header leaks nothing.
SELECT pwupdate.get_password_profile_info(:realm, :uai, '00000000-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE
-- Claims of another realm are "not found" before the token is looked at.
SELECT set_config('request.jwt.claims', '{"sub": "account-app", "realm_id": "eeeeeeee-0000-4000-8000-000000000000"}', false) IS NOT NULL AS claims_set;
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'john_token')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"sub": "account-app", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', false) IS NOT NULL AS claims_set;

-- Wrong tokens do not count towards the lockout: nobody guesses 256 bits,
-- and counting would let anyone with claims of the realm lock John out.
SET pwupdate.lockout_threshold = 2;
SELECT set_config('request.headers', '{"ep-account-management-authentication-token": "guess-1"}', false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'john_token')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{data,username}' AS still_open;
RESET pwupdate.lockout_threshold;

-- An expired token is refused with the same error.
UPDATE pwupdate.account_member_token SET expires_at = clock_timestamp() - interval '1 second'
WHERE token_digest = pg_temp.digest(:'john_token');
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "expired token pass 1"}}');
\echo :LAST_ERROR_SQLSTATE

-- Other headers do not matter, and without the header the realm's claims
-- reach every member: the header restricts, it grants nothing.
SELECT set_config('request.headers', '{"authorization": "Bearer x", "x-request-id": "42"}', false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :jane, :jane_info) #>> '{data,username}' AS without_header;

-- A trusted SQL caller's request.headers are checked the same way.
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_cleared;
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'jane_token')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :jane, :jane_info) #>> '{data,username}' AS trusted_with_token;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.headers', '', false) IS NOT NULL AS header_cleared;

-- Revoking one token: true once, then false; the token no longer works.
SELECT pwupdate.revoke_account_member_token(token => :'jane_token') AS revoked,
	   pwupdate.revoke_account_member_token(:'jane_token') AS again,
	   pwupdate.revoke_account_member_token('never issued') AS unknown;
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'jane_token')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :jane, :jane_info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.headers', '', false) IS NOT NULL AS header_cleared;

-- Revoking every token of a member (John has his expired one and two new
-- ones), and the members that are not the realm's.
SELECT pwupdate.create_account_member_token(:realm, :uai) AS john_second \gset
SELECT pwupdate.create_account_member_token(:realm, :uai) IS NOT NULL AS issued;
SELECT pwupdate.revoke_account_member_tokens(realm_id => :realm, user_authentication_info_id => :uai) AS revoked,
	   pwupdate.revoke_account_member_tokens(:realm, :uai) AS again;
SELECT set_config('request.headers', jsonb_build_object('ep-account-management-authentication-token', :'john_second')::text, false) IS NOT NULL AS header_set;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.headers', '', false) IS NOT NULL AS header_cleared;
SELECT pwupdate.revoke_account_member_tokens(:realm, :eve);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.revoke_account_member_tokens(:realm, NULL);
\echo :LAST_ERROR_SQLSTATE

-- Issuing needs a member of the realm, and both arguments.
SELECT pwupdate.create_account_member_token(:realm, :eve);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_account_member_token(:realm, '00000000-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_account_member_token(NULL, :uai);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.revoke_account_member_token(NULL);
\echo :LAST_ERROR_SQLSTATE

-- pwupdate.member_token_ttl sets the lifetime of new tokens; purging
-- deletes the expired ones and keeps the live ones.
SET pwupdate.member_token_ttl = '10min';
SELECT pwupdate.create_account_member_token(:realm, :uai) IS NOT NULL AS issued;
SELECT pwupdate.create_account_member_token(:other_realm, :eve) IS NOT NULL AS issued;
RESET pwupdate.member_token_ttl;
SELECT bool_and(expires_at - created_at BETWEEN interval '9 minutes' AND interval '11 minutes') AS ten_minutes
FROM pwupdate.account_member_token;
UPDATE pwupdate.account_member_token SET expires_at = clock_timestamp() - interval '1 second'
WHERE user_authentication_info_id = :eve;
SELECT pwupdate.purge_expired_account_member_tokens() AS purged,
	   pwupdate.purge_expired_account_member_tokens() AS again;
SELECT user_authentication_info_id, expires_at > clock_timestamp() AS live FROM pwupdate.account_member_token;

-- Issuing and revoking are audited, never with a token.
SELECT resource, resource_id, action, actor_sub, channel FROM pwupdate.audit ORDER BY id;
SELECT count(*) AS audit_rows_with_a_token FROM pwupdate.audit
WHERE concat_ws(' ', resource_id, action, actor_role, actor_sub) ~ '[A-Za-z0-9]{43}';
