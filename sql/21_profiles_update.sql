-- Password profile info (contract section 5): update_password_profile_info
-- and get_password_profile_info: the seed's request, every rule of the
-- body, every error class, and the response.  Uses the realms, profiles,
-- members and infos of 20_profiles_create; callers other than trusted SQL
-- are in 22_profiles_callers.
\set VERBOSITY default

-- A response with its timestamps checked by shape (ISO 8601, UTC, ms).
CREATE FUNCTION pg_temp.shown(doc jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	field text;
BEGIN
	FOREACH field IN ARRAY ARRAY['created_at', 'updated_at'] LOOP
		IF doc #>> ARRAY['data', 'meta', field] ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' THEN
			doc := jsonb_set(doc, ARRAY['data', 'meta', field], '"<timestamp>"');
		END IF;
	END LOOP;
	RETURN doc;
END
$$;

-- A timestamp as the API shows it.
CREATE FUNCTION pg_temp.iso(ts timestamptz) RETURNS text LANGUAGE sql AS $$
	SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

\set realm '''12b33a5d-b536-47a8-987d-9cdba15f1647'''
\set other_realm '''eeeeeeee-0000-4000-8000-000000000000'''
\set uai '''a9dc5358-c3ee-44f9-a36c-3057213e750d'''
\set jane '''bbbbbbbb-0000-4000-8000-0000000000b2'''
\set info '''2b2dd626-9960-40c6-a9f9-d4af96eed3fb'''
\set jane_info '''bbbbbbbb-0000-4000-8000-0000000000c4'''
DELETE FROM pwupdate.audit;

-- Links are absolute with pwupdate.base_url: the seed's host.
SET pwupdate.base_url = 'https://useast.api.elasticpath.com';

-- The seed's sample request, as PostgREST runs it for the store front's
-- token (claims of the realm):
--   PUT .../authentication-realms/12b33a5d-b536-47a8-987d-9cdba15f1647/user-authentication-info/a9dc5358-c3ee-44f9-a36c-3057213e750d/user-authentication-password-profile-info/2b2dd626-9960-40c6-a9f9-d4af96eed3fb
--   {"data": {"type": "user_authentication_password_profile_info",
--             "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
--             "username": "john.doe", "password" : "password"}}
-- The seed's password, "password", is one of the most common passwords:
-- the policy refuses it (422) and nothing changes.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set,
	   set_config('request.method', 'POST', true) IS NOT NULL AS via_postgrest;
SELECT pwupdate.update_password_profile_info(
	realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
	user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d',
	password_profile_info_id => '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password" : "password"}}');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- The same request with a password the policy accepts answers the seed's
-- response.  (The seed's example response shows another
-- password_profile_id than its request; the stored, requested one is shown.)
SELECT created_at AS created_before, updated_at AS updated_before
FROM pwupdate.password_profile_info WHERE id = :info \gset
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "store-front", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}', true) IS NOT NULL AS claims_set,
	   set_config('request.method', 'POST', true) IS NOT NULL AS via_postgrest;
SELECT pwupdate.update_password_profile_info(
	realm_id => '12b33a5d-b536-47a8-987d-9cdba15f1647',
	user_authentication_info_id => 'a9dc5358-c3ee-44f9-a36c-3057213e750d',
	password_profile_info_id => '2b2dd626-9960-40c6-a9f9-d4af96eed3fb',
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password" : "correct horse battery staple"}}') AS response \gset
SELECT jsonb_pretty(pg_temp.shown(:'response'));
SELECT pg_temp.shown(:'response') = '{
	"data": {
		"id": "2b2dd626-9960-40c6-a9f9-d4af96eed3fb",
		"username": "john.doe",
		"meta": {"created_at": "<timestamp>", "updated_at": "<timestamp>"},
		"type": "user_authentication_password_profile_info",
		"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"},
	"links": {
		"self": "https://useast.api.elasticpath.com/authentication-realms/12b33a5d-b536-47a8-987d-9cdba15f1647/user-authentication-info/a9dc5358-c3ee-44f9-a36c-3057213e750d/user-authentication-password-profile-info/2b2dd626-9960-40c6-a9f9-d4af96eed3fb"}}' AS seed_response;
COMMIT;

-- The password changed; created_at never moves, updated_at moved, and the
-- response's meta shows the stored timestamps in UTC with milliseconds.
SELECT pwupdate.check_password('password_profile_info', :info, 'correct horse battery staple') AS new_password,
	   pwupdate.check_password('password_profile_info', :info, 'first pass phrase 1') AS old_password;
SELECT created_at = :'created_before' AS created_kept,
	   updated_at > :'updated_before' AS updated_moved,
	   :'response'::jsonb #>> '{data,meta,created_at}' = pg_temp.iso(created_at) AS created_shown,
	   :'response'::jsonb #>> '{data,meta,updated_at}' = pg_temp.iso(updated_at) AS updated_shown
FROM pwupdate.password_profile_info WHERE id = :info;

-- get_password_profile_info answers the same document.
SELECT pwupdate.get_password_profile_info(realm_id => :realm, user_authentication_info_id => :uai,
										  password_profile_info_id => :info) = :'response'::jsonb AS get_same;

-- Absent optional fields keep their values.  Only the required members:
-- nothing changes, nothing is stored or audited, updated_at stays.
SELECT updated_at AS updated_before FROM pwupdate.password_profile_info WHERE id = :info \gset
SELECT count(*) AS audit_before FROM pwupdate.audit \gset
SELECT pg_temp.shown(pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}')) AS unchanged;
SELECT updated_at = :'updated_before' AS updated_kept,
	   (SELECT count(*) FROM pwupdate.audit) = :audit_before AS not_audited,
	   pwupdate.check_password('password_profile_info', :info, 'correct horse battery staple') AS password_kept
FROM pwupdate.password_profile_info WHERE id = :info;
-- The same with data.id equal to the path's (in any case), and with the
-- current username: still no change.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "id": "2b2dd626-9960-40c6-a9f9-d4af96eed3fb", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}') #>> '{data,username}' AS same_id;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "id": "2B2DD626-9960-40C6-A9F9-D4AF96EED3FB", "password_profile_id": "486FA6F1-D85A-44A0-ABDF-FF0076FFFD6C", "username": "john.doe"}}') #>> '{data,username}' AS same_id_upper_case;
SELECT updated_at = :'updated_before' AS updated_kept,
	   (SELECT count(*) FROM pwupdate.audit) = :audit_before AS not_audited
FROM pwupdate.password_profile_info WHERE id = :info;

-- The username alone: the password stays; updated_at moves.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "johnny"}}') #>> '{data,username}' AS username;
SELECT updated_at > :'updated_before' AS updated_moved,
	   pwupdate.check_password('password_profile_info', :info, 'correct horse battery staple') AS password_kept
FROM pwupdate.password_profile_info WHERE id = :info;
-- The password alone: the username stays.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "kq7#mzpw"}}') #>> '{data,username}' AS username_kept;
SELECT pwupdate.check_password('password_profile_info', :info, 'kq7#mzpw') AS eight_characters_accepted;
-- Another profile of the realm, and back; null removes the username.
SELECT (pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "a760a1f3-5680-420e-bcc4-a924de8b1a11", "username": "john.staff"}}') -> 'data') - 'meta' AS moved_to_staff;
SELECT (pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": null}}') -> 'data') - 'meta' AS username_removed;
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "john.doe"}}') #>> '{data,username}' AS username_back;

-- 400, a body that is not the documented shape; the DETAIL names the
-- field.  Members are checked before "type", "type" before the fields.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '[]');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '"data"');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{"data": null}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{"data": [{"type": "user_authentication_password_profile_info"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}, "links": {"self": "/x"}}');
\echo :LAST_ERROR_SQLSTATE
-- type: required, a string, exactly the contract's value.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info, '{"data": {}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "missing the type 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": null, "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": ["user_authentication_password_profile_info"], "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user-authentication-password-profile-info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "User_Authentication_Password_Profile_Info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
-- password_profile_id: required, a UUID.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "username": "john.doe", "password": "missing the profile 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": null}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": 486}}');
\echo :LAST_ERROR_SQLSTATE
-- data.id: if present, the path's id.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "id": "bbbbbbbb-0000-4000-8000-0000000000c4", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "id": "2b2dd626", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "id": null, "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
-- Anything else in data is an error, also what a response shows.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "meta": {}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "realm_id": "12b33a5d-b536-47a8-987d-9cdba15f1647"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "attributes": {"username": "john.doe"}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "Username": "john.doe"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "a/b~c": 1}}');
\echo :LAST_ERROR_SQLSTATE
-- username and password: strings; the password never null.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": 42}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": 1234567890}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": null}}');
\echo :LAST_ERROR_SQLSTATE

-- 422, valid shape but invalid value.  The password profile must be one
-- of the realm's: another realm's and an unknown one get one error.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "eeeeeeee-0000-4000-8000-0000000000f1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "00000000-0000-4000-8000-000000000000"}}');
\echo :LAST_ERROR_SQLSTATE
-- A username has 1 to 255 characters.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": ""}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', '486fa6f1-d85a-44a0-abdf-ff0076fffd6c', 'username', repeat('é', 256))));
\echo :LAST_ERROR_SQLSTATE
SELECT length(pwupdate.update_password_profile_info(:realm, :jane, :jane_info,
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', '486fa6f1-d85a-44a0-abdf-ff0076fffd6c', 'username', repeat('é', 255)))) #>> '{data,username}') AS longest_username;
SELECT pwupdate.update_password_profile_info(:realm, :jane, :jane_info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "jane.roe"}}') #>> '{data,username}' AS jane_again;
-- The password: at least 8 characters, then the policy, with the username
-- (the new one when the body changes it) and the email's local part as
-- context words.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "kq7#mzp"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "i am John.Doe, ok"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "j.d.new", "password": "still j.d.new here"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "johnny.d was here"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "abcabcabcabc"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', '486fa6f1-d85a-44a0-abdf-ff0076fffd6c', 'password', repeat('xy1', 50))));
\echo :LAST_ERROR_SQLSTATE

-- 409: a username taken in the password profile, by a body that keeps the
-- profile or by one that moves to a profile where the name is taken.
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "jane.roe", "password": "taken name pass 1"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "a760a1f3-5680-420e-bcc4-a924de8b1a11"}}');
\echo :LAST_ERROR_SQLSTATE

-- 404: the path must lead to the info: its realm, its user authentication
-- info, its id.  A trusted caller gets the same answer for each.
SELECT pwupdate.update_password_profile_info(:realm, :jane, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:other_realm, :uai, :info,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, '00000000-0000-4000-8000-000000000000',
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.update_password_profile_info(:realm, :uai, NULL, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.get_password_profile_info(:realm, :jane, :info);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.get_password_profile_info(NULL, :uai, :info);
\echo :LAST_ERROR_SQLSTATE

-- None of the refused bodies changed anything.
SELECT username, password_profile_id,
	   pwupdate.check_password('password_profile_info', :info, 'kq7#mzpw') AS password_kept
FROM pwupdate.password_profile_info WHERE id = :info;

-- Relative links without pwupdate.base_url, and a trailing "/" of it is
-- not doubled.
RESET pwupdate.base_url;
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{links,self}' AS relative_link;
SET pwupdate.base_url = 'https://api.example.com/v2/';
SELECT pwupdate.get_password_profile_info(:realm, :uai, :info) #>> '{links,self}' AS link;
RESET pwupdate.base_url;

-- Every change was audited once, as "update"; refusals and changes of
-- nothing left no row.
SELECT resource, resource_id, action, actor_sub, channel FROM pwupdate.audit ORDER BY id;
