-- Password profile info (contract section 5): realms, password profiles,
-- user authentication infos and password profile infos as a trusted SQL
-- caller sets them up, and the tables and registry entry behind them.
-- Updates are in 21_profiles_update, callers in 22_profiles_callers,
-- account member tokens in 23_profiles_member_tokens.
\set VERBOSITY default

-- A response with its timestamps checked by shape (ISO 8601, UTC,
-- milliseconds) and, for a new info, its random id checked by shape and
-- against the link.
CREATE FUNCTION pg_temp.shown(doc jsonb, new_id boolean DEFAULT false) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	field text;
BEGIN
	FOREACH field IN ARRAY ARRAY['created_at', 'updated_at'] LOOP
		IF doc #>> ARRAY['data', 'meta', field] ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' THEN
			doc := jsonb_set(doc, ARRAY['data', 'meta', field], '"<timestamp>"');
		END IF;
	END LOOP;
	IF new_id AND doc #>> '{data,id}' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	   AND right(doc #>> '{links,self}', 37) = '/' || (doc #>> '{data,id}') THEN
		doc := jsonb_set(jsonb_set(doc, '{data,id}', '"<new id>"'), '{links,self}',
						 to_jsonb(left(doc #>> '{links,self}', -36) || '<new id>'));
	END IF;
	RETURN doc;
END
$$;

-- The seed's realm, with the seed's id so that outputs are stable (ids are
-- random), and a second realm.
SELECT pwupdate.create_realm(name => 'Elastic Path store') AS realm \gset
SELECT :'realm' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS random_uuid;
UPDATE pwupdate.realm SET id = '12b33a5d-b536-47a8-987d-9cdba15f1647' WHERE id = :'realm';
SELECT pwupdate.create_realm('Other store') AS realm \gset
UPDATE pwupdate.realm SET id = 'eeeeeeee-0000-4000-8000-000000000000' WHERE id = :'realm';
\set realm '''12b33a5d-b536-47a8-987d-9cdba15f1647'''
\set other_realm '''eeeeeeee-0000-4000-8000-000000000000'''

-- Two password profiles in the seed's realm (the seed's request names the
-- first, its response the second), one in the other realm.
SELECT pwupdate.create_password_profile(realm_id => :realm, name => 'Default') AS profile \gset
UPDATE pwupdate.password_profile SET id = '486fa6f1-d85a-44a0-abdf-ff0076fffd6c' WHERE id = :'profile';
SELECT pwupdate.create_password_profile(:realm, 'Staff') AS profile \gset
UPDATE pwupdate.password_profile SET id = 'a760a1f3-5680-420e-bcc4-a924de8b1a11' WHERE id = :'profile';
SELECT pwupdate.create_password_profile(:other_realm, 'Outlet') AS profile \gset
UPDATE pwupdate.password_profile SET id = 'eeeeeeee-0000-4000-8000-0000000000f1' WHERE id = :'profile';
\set profile '''486fa6f1-d85a-44a0-abdf-ff0076fffd6c'''
\set staff_profile '''a760a1f3-5680-420e-bcc4-a924de8b1a11'''
\set other_profile '''eeeeeeee-0000-4000-8000-0000000000f1'''

-- The seed's user authentication info, a second member of the realm, and
-- one of the other realm.
SELECT pwupdate.create_user_authentication_info(realm_id => :realm, name => 'John Doe',
												email => 'johnny.d@example.com') AS uai \gset
UPDATE pwupdate.user_authentication_info SET id = 'a9dc5358-c3ee-44f9-a36c-3057213e750d' WHERE id = :'uai';
SELECT pwupdate.create_user_authentication_info(:realm, 'Jane Roe', 'jane.roe@example.com') AS uai \gset
UPDATE pwupdate.user_authentication_info SET id = 'bbbbbbbb-0000-4000-8000-0000000000b2' WHERE id = :'uai';
SELECT pwupdate.create_user_authentication_info(:other_realm, 'Eve', 'eve.other@example.com') AS uai \gset
UPDATE pwupdate.user_authentication_info SET id = 'eeeeeeee-0000-4000-8000-0000000000e3' WHERE id = :'uai';
\set uai '''a9dc5358-c3ee-44f9-a36c-3057213e750d'''
\set jane '''bbbbbbbb-0000-4000-8000-0000000000b2'''
\set eve '''eeeeeeee-0000-4000-8000-0000000000e3'''

-- The set-up functions refuse what they cannot store.
SELECT pwupdate.create_realm(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_realm('');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile(NULL, 'Default');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile(:realm, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile('00000000-0000-4000-8000-000000000000', 'Default');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info('00000000-0000-4000-8000-000000000000', 'Nobody', 'nobody@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, 'Nobody', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, '', 'nobody@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, 'Nobody', 'nobody.example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, 'Nobody', 'no body@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_user_authentication_info(:realm, 'Nobody', 'a@b@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM pwupdate.realm) AS realms,
	   (SELECT count(*) FROM pwupdate.password_profile) AS profiles,
	   (SELECT count(*) FROM pwupdate.user_authentication_info) AS infos;

-- create_password_profile_info: the seed's body, with a password that
-- passes the policy (the seed's own "password" is refused, see
-- 21_profiles_update).  The response has the seed's shape.
SELECT pg_temp.shown(pwupdate.create_password_profile_info(
	realm_id => :realm, user_authentication_info_id => :uai,
	body => '{"data": {"type": "user_authentication_password_profile_info",
					   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
					   "username": "john.doe", "password": "first pass phrase 1"}}'),
	new_id => true) AS created;
SELECT id AS info FROM pwupdate.password_profile_info WHERE username = 'john.doe' \gset
UPDATE pwupdate.password_profile_info SET id = '2b2dd626-9960-40c6-a9f9-d4af96eed3fb' WHERE id = :'info';
\set info '''2b2dd626-9960-40c6-a9f9-d4af96eed3fb'''

-- A new info reads as never updated: one timestamp for both.
SELECT created_at = updated_at AS same_timestamps FROM pwupdate.password_profile_info WHERE id = :info;

-- The username is optional (it stays null); the same member may have an
-- info in another profile, where usernames are counted apart.
SELECT pg_temp.shown(pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "a760a1f3-5680-420e-bcc4-a924de8b1a11",
			   "password": "staff pass phrase 2"}}'), true) AS without_username;
UPDATE pwupdate.password_profile_info SET id = 'aaaaaaaa-0000-4000-8000-0000000000c2'
WHERE user_authentication_info_id = :uai AND password_profile_id = :staff_profile;
SELECT pg_temp.shown(pwupdate.create_password_profile_info(:realm, :jane,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "a760a1f3-5680-420e-bcc4-a924de8b1a11",
			   "username": "john.doe", "password": "jane pass phrase 3"}}'), true) AS same_name_other_profile;
UPDATE pwupdate.password_profile_info SET id = 'bbbbbbbb-0000-4000-8000-0000000000c3'
WHERE user_authentication_info_id = :jane AND password_profile_id = :staff_profile;
SELECT pwupdate.create_password_profile_info(:realm, :jane,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
			   "username": "jane.roe", "password": "jane pass phrase 4"}}') #>> '{data,username}' AS jane;
SELECT id AS jane_info FROM pwupdate.password_profile_info WHERE username = 'jane.roe' \gset
UPDATE pwupdate.password_profile_info SET id = 'bbbbbbbb-0000-4000-8000-0000000000c4' WHERE id = :'jane_info';
SELECT pwupdate.create_password_profile_info(:other_realm, :eve,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "eeeeeeee-0000-4000-8000-0000000000f1",
			   "username": "john.doe", "password": "eve pass phrase 5"}}') #>> '{data,username}' AS other_realm;
UPDATE pwupdate.password_profile_info SET id = 'eeeeeeee-0000-4000-8000-0000000000c5' WHERE realm_id = :other_realm;

-- Creation errors: every class it can give.
-- 404: a user authentication info that is not one of the realm's.
SELECT pwupdate.create_password_profile_info(:realm, :eve,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, '00000000-0000-4000-8000-000000000000',
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(NULL, :uai, '{}');
\echo :LAST_ERROR_SQLSTATE
-- 400: password and password_profile_id are required; no id is taken.
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "new.one"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "username": "new.one", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "id": "2b2dd626-9960-40c6-a9f9-d4af96eed3fb", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai, NULL);
\echo :LAST_ERROR_SQLSTATE
-- 422: a profile of another realm, a password that fails the policy.
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "eeeeeeee-0000-4000-8000-0000000000f1", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "new.one", "password": "short12"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "new.one", "password": "my new.one secret"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.create_password_profile_info(:realm, :uai,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "password": "it is johnny.d again"}}');
\echo :LAST_ERROR_SQLSTATE
-- 409: the username is taken in that profile.
SELECT pwupdate.create_password_profile_info(:realm, :jane,
	'{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c", "username": "john.doe", "password": "refused pass phrase 6"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS infos FROM pwupdate.password_profile_info;

-- What is stored: a hash, never the password; the realm in every row.
SELECT p.name AS profile, i.username, u.name AS member, i.password_hash LIKE '$argon2id$%' AS hashed,
	   i.password_hash NOT LIKE '%phrase%' AS no_plaintext, i.realm_id = u.realm_id AS same_realm
FROM pwupdate.password_profile_info i
JOIN pwupdate.password_profile p ON p.id = i.password_profile_id
JOIN pwupdate.user_authentication_info u ON u.id = i.user_authentication_info_id
ORDER BY p.name, i.username, u.name;

-- The keys keep every row in its realm, whatever the path into the table.
UPDATE pwupdate.password_profile_info SET password_profile_id = :other_profile
WHERE id = 'aaaaaaaa-0000-4000-8000-0000000000c2';
\echo :LAST_ERROR_SQLSTATE
UPDATE pwupdate.password_profile_info SET user_authentication_info_id = :eve
WHERE id = 'aaaaaaaa-0000-4000-8000-0000000000c2';
\echo :LAST_ERROR_SQLSTATE

-- A password profile info is the registered resource "password_profile_info":
-- check_password verifies its password, and the generic get shows it to a
-- trusted caller with the columns the contract's response puts elsewhere.
SELECT name, table_name, key_column, noun, read_scopes, write_scopes, tenant_claim,
	   tenant_field, updated_column, builtin
FROM pwupdate.resource WHERE name = 'password_profile_info';
SELECT jsonb_object_keys(fields) AS field FROM pwupdate.resource WHERE name = 'password_profile_info' ORDER BY 1;
SELECT pwupdate.check_password('password_profile_info', :info, 'first pass phrase 1') AS right_password,
	   pwupdate.check_password('password_profile_info', :info, 'first pass phrase 2') AS wrong_password,
	   pwupdate.check_password('password_profile_info', '00000000-0000-4000-8000-000000000000', 'first pass phrase 1') AS unknown_id;
SELECT pwupdate.get('password_profile_info', :info) - 'created_at' - 'updated_at' AS generic_get;

-- Each creation of an info is audited; set-up of realms is not a
-- credential change.
SELECT action, count(*) FROM pwupdate.audit WHERE resource = 'password_profile_info' GROUP BY action;
