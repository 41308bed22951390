-- DBA maintenance: pwupdate.force_password_reset voids the passwords of a
-- set of accounts, ends users' sessions and issues one-time reset tokens to
-- the trusted caller; pwupdate.reset_password takes a token and the new
-- password.  (Two resets racing with one token:
-- test/t/070_maintenance_scripts.sh.)

CREATE ROLE regress_maint_dba IN ROLE pwupdate_admin;
CREATE ROLE regress_maint_api IN ROLE pwupdate_api;

CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
	state text;
	message text;
BEGIN
	EXECUTE statement INTO result;
	RETURN coalesce(nullif(result, ''), 'ok');
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
	RETURN state || ': ' || message;
END
$$;

SET pwupdate.lockout_threshold = 3;

SELECT pwupdate.create_user('2e2e2e2e-3f3f-4a4a-8b5b-6c6c6c6c6c61.resetcorp',
							'grace@resetcorp.example', 'Compiler pioneer 1952') AS grace \gset
SELECT pwupdate.create_user('2e2e2e2e-3f3f-4a4a-8b5b-6c6c6c6c6c62.resetcorp',
							'linus@resetcorp.example', 'Kernel hacker 1991') AS linus \gset
SELECT count(pwupdate.sign_in('grace@resetcorp.example', 'Compiler pioneer 1952'))
FROM generate_series(1, 2) AS sessions;

-- Two users at once; a user named twice is reset once.
SET ROLE regress_maint_dba;
CREATE TEMP TABLE issued AS
SELECT * FROM pwupdate.force_password_reset('user', ARRAY[:'grace', :'linus', :'grace']);
RESET ROLE;
SELECT id, reset_token ~ '^[A-Za-z0-9]{43}$' AS token_43_letters_and_digits,
	   expires_at > now() + interval '59 minutes' AND expires_at <= clock_timestamp() + interval '1 hour' AS expires_in_an_hour
FROM issued ORDER BY id;

-- The old password verifies no more, sessions ended, the report says voided.
SELECT pg_temp.try($$SELECT pwupdate.sign_in('grace@resetcorp.example', 'Compiler pioneer 1952')$$);
SELECT count(*) AS sessions FROM pwupdate.user_session WHERE user_id = :'grace';
SELECT (pwupdate.hash_info(password_hash)).* FROM pwupdate.user_account WHERE user_id = :'grace';
SELECT pwupdate.verify_password('Compiler pioneer 1952', password_hash) AS verifies,
	   pwupdate.needs_rehash(password_hash) AS needs_rehash
FROM pwupdate.user_account WHERE user_id = :'grace';

-- Only digests are stored.
SELECT count(*) AS tokens_in_clear FROM pwupdate.reset_token t JOIN issued i ON t.token_digest = i.reset_token;
SELECT count(*) AS digests FROM pwupdate.reset_token t
JOIN issued i ON t.token_digest = encode(sha256(convert_to(i.reset_token, 'UTF8')), 'hex')
			 AND t.resource = 'user' AND t.resource_id = i.id;

SELECT reset_token AS grace_token FROM issued WHERE id = :'grace' \gset
SELECT reset_token AS linus_token FROM issued WHERE id = :'linus' \gset

-- Failed sign-ins against the voided password lock the account out ...
SELECT n, pg_temp.try($$SELECT pwupdate.sign_in('grace@resetcorp.example', 'anything ' || $$ || n || $$)$$)
FROM generate_series(1, 4) AS n;

-- ... until the reset.  A wrong token, another account's token, an unknown
-- account: one error.  A password the policy refuses keeps the token.
SET ROLE regress_maint_dba;
SELECT pwupdate.reset_password('user', :'grace', 'wrong token', 'Nanoseconds of wire 11');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.reset_password('user', :'grace', :'linus_token', 'Nanoseconds of wire 11');
SELECT pwupdate.reset_password('user', 'no such user', :'grace_token', 'Nanoseconds of wire 11');
SELECT pwupdate.reset_password('user', :'grace', :'grace_token', 'grace at the keyboard');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.reset_password('user', :'grace', :'grace_token', 'Mine 2e2e2e2e-3f3f-4a4a-8b5b-6c6c6c6c6c61.resetcorp');
SELECT pwupdate.reset_password('user', :'grace', :'grace_token', 'short');
SELECT pwupdate.reset_password('user', :'grace', :'grace_token', 'Nanoseconds of wire 11');
-- Used once.
SELECT pwupdate.reset_password('user', :'grace', :'grace_token', 'Nanoseconds of wire 12');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- The new password works, and the lockout is over.
SELECT pwupdate.sign_in('grace@resetcorp.example', 'Nanoseconds of wire 11') ->> 'user_id' = :'grace' AS signed_in;
SELECT count(*) AS grace_tokens_left FROM pwupdate.reset_token WHERE resource = 'user' AND resource_id = :'grace';

-- A token ends when its account's password changes some other way, when a
-- newer reset replaces it, and when it expires.
SELECT pwupdate.change_user_password(:'linus', '{"NewPassword": "Penguin suit 2024"}');
SELECT pg_temp.try(format($$SELECT pwupdate.reset_password('user', %L, %L, 'Penguin suit 2025')$$,
						   :'linus', :'linus_token')) AS after_another_change;
SELECT reset_token AS first_token FROM pwupdate.force_password_reset('user', ARRAY[:'linus']) \gset
SELECT reset_token AS second_token FROM pwupdate.force_password_reset('user', ARRAY[:'linus']) \gset
SELECT pg_temp.try(format($$SELECT pwupdate.reset_password('user', %L, %L, 'Penguin suit 2025')$$,
						   :'linus', :'first_token')) AS replaced;
UPDATE pwupdate.reset_token SET expires_at = now() - interval '1 second'
WHERE resource = 'user' AND resource_id = :'linus';
SELECT pg_temp.try(format($$SELECT pwupdate.reset_password('user', %L, %L, 'Penguin suit 2025')$$,
						   :'linus', :'second_token')) AS expired;
-- Lowering pwupdate.reset_token_ttl shortens the tokens already issued.
SELECT reset_token AS third_token FROM pwupdate.force_password_reset('user', ARRAY[:'linus']) \gset
UPDATE pwupdate.reset_token SET created_at = now() - interval '20 minutes'
WHERE resource = 'user' AND resource_id = :'linus';
SET pwupdate.reset_token_ttl = '15min';
SELECT pg_temp.try(format($$SELECT pwupdate.reset_password('user', %L, %L, 'Penguin suit 2025')$$,
						   :'linus', :'third_token')) AS past_the_lowered_ttl;
RESET pwupdate.reset_token_ttl;
SELECT pg_temp.try(format($$SELECT pwupdate.reset_password('user', %L, %L, 'Penguin suit 2025')$$,
						   :'linus', :'third_token')) AS ttl_restored;

-- Partner logins: NOT NULL hash column, the login as context word.
SELECT pwupdate.create_login('reset-login', 'partner passphrase 1', 'c2c2c2c2-d3d3-4e4e-8f5f-a6a6a6a6a6a6') ->> 'login_sid' AS login \gset
SELECT reset_token AS login_token FROM pwupdate.force_password_reset('partner_login', ARRAY[:'login']) \gset
SELECT pwupdate.check_password('partner_login', :'login', 'partner passphrase 1') AS old_password_verifies;
SELECT pwupdate.reset_password('partner_login', :'login', :'login_token', 'new reset-login secret');
SELECT pwupdate.reset_password('partner_login', upper(:'login'), :'login_token', 'partner passphrase 2');
SELECT pwupdate.check_password('partner_login', :'login', 'partner passphrase 2') AS new_password_verifies;
SELECT pwupdate.get_login(:'login') ->> 'login' AS login_unchanged;

-- Password profile infos: the username and the member's email are
-- context words, as in update_password_profile_info.
SELECT pwupdate.create_realm('Reset realm') AS realm \gset
SELECT pwupdate.create_password_profile(:'realm', 'Default') AS profile \gset
SELECT pwupdate.create_user_authentication_info(:'realm', 'Ken', 'kthompson@resetcorp.example') AS member \gset
SELECT pwupdate.create_password_profile_info(:'realm', :'member',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'profile', 'username', 'unixken', 'password', 'Bell labs 1969'))) -> 'data' ->> 'id' AS info \gset
SELECT reset_token AS info_token FROM pwupdate.force_password_reset('password_profile_info', ARRAY[:'info']) \gset
SELECT pwupdate.reset_password('password_profile_info', :'info', :'info_token', 'unixken forever');
SELECT pwupdate.reset_password('password_profile_info', :'info', :'info_token', 'I am KThompson');
SELECT pwupdate.reset_password('password_profile_info', :'info', :'info_token', 'Plan 9 from Bell Labs');
SELECT pwupdate.check_password('password_profile_info', :'info', 'Plan 9 from Bell Labs') AS verifies;

-- A DBA's table with an integer key and a nullable password column.
CREATE TABLE regress_shop_accounts (id bigint PRIMARY KEY, email text NOT NULL, pw text);
SELECT pwupdate.register_resource('shop_account', 'regress_shop_accounts', 'id',
	'{"id": {"access": "read_only"}, "email": {"access": "read_only", "context_word": true},
	  "password": {"column": "pw", "access": "secret"}}') IS NOT NULL AS registered;
INSERT INTO regress_shop_accounts VALUES (1, 'one@shop.example', NULL), (2, 'two@shop.example', NULL);
SELECT id, reset_token IS NOT NULL AS issued FROM pwupdate.force_password_reset('shop_account', ARRAY['2', '1', '01']);
SELECT id, pw FROM regress_shop_accounts ORDER BY id;

-- Every id must name an account, or nothing is reset.
SELECT pwupdate.create_login('reset-untouched', 'untouched passphrase', 'c2c2c2c2-d3d3-4e4e-8f5f-a6a6a6a6a6a6') ->> 'login_sid' AS untouched \gset
SELECT * FROM pwupdate.force_password_reset('partner_login',
	ARRAY[:'untouched', 'not a uuid', '00000000-0000-4000-8000-000000000000', 'not a uuid']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.force_password_reset('partner_login', ARRAY[:'untouched'] ||
	ARRAY(SELECT '00000000-0000-4000-8000-0000000000' || lpad(n::text, 2, '0') FROM generate_series(1, 25) AS n));
SELECT pwupdate.check_password('partner_login', :'untouched', 'untouched passphrase') AS still_verifies;

-- Arguments and resources.
SELECT * FROM pwupdate.force_password_reset('partner_login', '{}');
SELECT * FROM pwupdate.force_password_reset('partner_login', ARRAY[NULL]::text[]);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.force_password_reset('partner_login', '{{a,b},{c,d}}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.force_password_reset('partner_login', NULL);
SELECT * FROM pwupdate.force_password_reset(NULL, '{}');
SELECT * FROM pwupdate.force_password_reset('nothing', '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.reset_password('user', :'grace', NULL, 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.reset_password('user', :'grace', 'x', NULL);

-- The audit trail: one row per account and action, never a token.
SELECT resource, action, count(*) FROM pwupdate.audit
WHERE action IN ('force_reset', 'reset_password') AND resource_id IN (:'grace', :'linus', :'login', :'info', '1', '2')
GROUP BY resource, action ORDER BY resource, action;
SELECT count(*) AS tokens_in_audit FROM pwupdate.audit a JOIN issued i
  ON a.resource_id = i.reset_token OR a.actor_sub = i.reset_token;

-- Trusted callers only.
SET ROLE regress_maint_api;
SELECT * FROM pwupdate.force_password_reset('user', ARRAY[:'grace']);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.reset_password('user', :'grace', 'x', 'Nanoseconds of wire 13');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

SELECT pwupdate.unregister_resource('shop_account');
DROP TABLE regress_shop_accounts, issued;
DROP ROLE regress_maint_dba;
DROP ROLE regress_maint_api;
