-- Partner logins (contract section 4): creation, the object's shape, and
-- the merge (PATCH) and replace (PUT) rules, as a trusted SQL caller.
-- Authorization by claims is in 11_logins_callers.
\set VERBOSITY default

-- Runs a statement and reports its result, or its error's SQLSTATE,
-- message and detail, on one line.
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

-- The seed's login.  login_sid is random; the seed's value is set here so
-- that outputs are stable.
SELECT pwupdate.create_login(login => 'carrierx_partner',
							 password => 'first Passphrase 41',
							 partner_sid => 'edebf627-ebce-4f77-8160-75db76154168',
							 token_scopes => '{partners.read,partners.update}')
	   - 'login_sid' AS created;
UPDATE pwupdate.partner_login SET login_sid = 'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de'
WHERE login = 'carrierx_partner';
\set sid '''abcf6b1f-7281-4da9-a4d6-3fb53e3a76de'''

-- token_scopes defaults to no scope.
SELECT pwupdate.create_login('plain_login', 'second Passphrase 42',
							 '00000000-0000-4000-8000-00000000000b') - 'login_sid' AS created;

-- Creation refuses what it cannot store, and never stores a weak password.
SELECT pg_temp.try($$SELECT pwupdate.create_login('carrierx_partner', 'third Passphrase 43', 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login(NULL, 'third Passphrase 43', 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', NULL, 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', 'third Passphrase 43', NULL)$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', 'third Passphrase 43', 'edebf627-ebce-4f77-8160-75db76154168', NULL)$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', 'third Passphrase 43', 'edebf627-ebce-4f77-8160-75db76154168', '{a,NULL}')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('', 'third Passphrase 43', 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', 'short', 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_login('new_login', 'my new_login pass', 'edebf627-ebce-4f77-8160-75db76154168')$$);
SELECT count(*) AS logins FROM pwupdate.partner_login;

-- The hash is stored, never the password, and never shown.
SELECT login, password_hash LIKE '$argon2id$%' AS hashed,
	   password_hash NOT LIKE '%Passphrase%' AS no_plaintext
FROM pwupdate.partner_login ORDER BY login;

-- get_login: the object of the contract, and nothing else.
SELECT pwupdate.get_login(:sid);
SELECT pg_temp.try($$SELECT pwupdate.get_login('00000000-0000-4000-8000-000000000000')$$);
SELECT pg_temp.try($$SELECT pwupdate.get_login(NULL)$$);

-- The seed's sample request, as PostgREST runs it for a partner whose token
-- carries oauth.update:
--   PATCH /oauth/logins/abcf6b1f-7281-4da9-a4d6-3fb53e3a76de
--   {"password":"myNewStrongPassword"}
-- and the seed's response, exactly: the object without the password.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set,
	   set_config('request.method', 'POST', true) IS NOT NULL AS method_set;
SELECT pwupdate.patch_login(login_sid => :sid, body => '{"password":"myNewStrongPassword"}') AS response \gset
SELECT jsonb_pretty(:'response');
SELECT :'response'::jsonb = '{
	"login": "carrierx_partner",
	"login_sid": "abcf6b1f-7281-4da9-a4d6-3fb53e3a76de",
	"partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
	"token_scopes": ["partners.read", "partners.update"]}' AS seed_response;
COMMIT;
SELECT pwupdate.check_password('partner_login', :sid, 'myNewStrongPassword') AS new_password_verifies,
	   pwupdate.check_password('partner_login', :sid, 'first Passphrase 41') AS old_password_verifies;

-- PATCH {} changes nothing, stores nothing, is not audited, and returns
-- the object.
SELECT updated_at AS updated_before FROM pwupdate.partner_login WHERE login_sid = :sid \gset
SELECT count(*) AS audit_before FROM pwupdate.audit \gset
SELECT pwupdate.patch_login(:sid, '{}');
SELECT updated_at = :'updated_before' AS row_untouched,
	   (SELECT count(*) FROM pwupdate.audit) = :audit_before AS not_audited
FROM pwupdate.partner_login WHERE login_sid = :sid;

-- Read-only fields sent with their current value are accepted (each alone,
-- then all at once, with an upper-case UUID that is the same value) ...
SELECT pwupdate.patch_login(:sid, '{"login": "carrierx_partner"}') ->> 'login' AS login;
SELECT pwupdate.patch_login(:sid, '{"login_sid": "abcf6b1f-7281-4da9-a4d6-3fb53e3a76de"}') ->> 'login' AS login;
SELECT pwupdate.patch_login(:sid, '{"partner_sid": "EDEBF627-EBCE-4F77-8160-75DB76154168"}') ->> 'login' AS login;
SELECT pwupdate.patch_login(:sid, '{"token_scopes": ["partners.read", "partners.update"]}') ->> 'login' AS login;
SELECT pwupdate.patch_login(:sid, pwupdate.get_login(:sid) || '{"password": "unchanged fields 44"}') ->> 'login' AS login;
SELECT updated_at > :'updated_before' AS password_write_touched_updated_at
FROM pwupdate.partner_login WHERE login_sid = :sid;

-- ... and with any other value they are refused (422), naming the field.
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": "someone_else"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login_sid": "00000000-0000-4000-8000-000000000000"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"partner_sid": "00000000-0000-4000-8000-00000000000b"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": ["partners.read"]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": ["partners.update", "partners.read"]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": []}')$$);
-- The refused body changed nothing, not even the password it carried.
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": "someone_else", "password": "refused along 45"}')$$);
SELECT pwupdate.check_password('partner_login', :sid, 'refused along 45') AS refused_password_stored;

-- Malformed bodies (400), naming the field as a JSON pointer.
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', NULL)$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '[]')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '"password"')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', 'null')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"passwd": "typo in the name 46"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"a/b~c": 1}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": 12345678901}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": null}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": ["a long password 47"]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": 42}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": null}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login_sid": "abcf6b1f72814da9a4d63fb53e3a76de"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"partner_sid": "not a uuid"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"partner_sid": true}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": "partners.read"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": {"0": "partners.read"}}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": ["partners.read", 7]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": ["partners.read", null]}')$$);
-- Shape errors (400) come before value errors (422), whatever the order.
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": "someone_else", "zzz": 1}')$$);

-- The password passes the policy, with the login as a context word (422).
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "short"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "CarrierX_Partner 2024"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "password1"}')$$);

-- PUT: the whole object.  login_sid may be left out ...
SELECT pwupdate.put_login(login_sid => :sid, body => '{
	"login": "carrierx_partner",
	"partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
	"token_scopes": ["partners.read", "partners.update"],
	"password": "replaced by put 48"}');
-- ... or sent with the argument's value.
SELECT pwupdate.put_login(:sid, pwupdate.get_login(:sid) || '{"password": "replaced by put 49"}');
SELECT pwupdate.check_password('partner_login', :sid, 'replaced by put 49') AS put_password_verifies;

-- PUT with each required field missing in turn (400 naming it), then with
-- all of them missing (400 naming each).
SELECT field, pg_temp.try(format('SELECT pwupdate.put_login(%L, %L)',
		'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de',
		'{"login": "carrierx_partner",
		  "partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
		  "token_scopes": ["partners.read", "partners.update"],
		  "password": "replaced by put 50"}'::jsonb - field)) AS result
FROM unnest(ARRAY['login', 'partner_sid', 'token_scopes', 'password']) AS field;
SELECT pg_temp.try($$SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login_sid": "abcf6b1f-7281-4da9-a4d6-3fb53e3a76de"}')$$);

-- PUT with a login_sid other than the argument's: an id mismatch (400).
SELECT pg_temp.try($$SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{
	"login_sid": "00000000-0000-4000-8000-000000000000", "login": "carrierx_partner",
	"partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
	"token_scopes": ["partners.read", "partners.update"], "password": "replaced by put 51"}')$$);

-- PUT with read-only fields changed (422), the password checked last.
SELECT field, pg_temp.try(format('SELECT pwupdate.put_login(%L, %L)',
		'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de',
		'{"login": "carrierx_partner",
		  "partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
		  "token_scopes": ["partners.read", "partners.update"],
		  "password": "replaced by put 52"}'::jsonb || value)) AS result
FROM (VALUES ('login', '{"login": "renamed"}'::jsonb),
			 ('partner_sid', '{"partner_sid": "00000000-0000-4000-8000-00000000000b"}'),
			 ('token_scopes', '{"token_scopes": ["oauth.manage"]}'),
			 ('password', '{"password": "carrierx_partner"}')) AS t(field, value);
SELECT pg_temp.try($$SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": 1, "partner_sid": 2, "token_scopes": 3, "password": 4}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": "carrierx_partner", "extra": true}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put_login('00000000-0000-4000-8000-000000000000', '{}')$$);
SELECT pwupdate.check_password('partner_login', :sid, 'replaced by put 49') AS last_good_password_kept;

-- Every success was audited, every failure and the no-op PATCH were not.
SELECT action, resource, resource_id = 'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de' AS seed_login,
	   actor_role = current_user AS by_me, actor_sub, channel
FROM pwupdate.audit WHERE resource = 'partner_login' ORDER BY id;
