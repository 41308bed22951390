-- Every API function, succeeding and failing, with distinctive plaintexts
-- ("Marker-Secret-..."); the tokens pwupdate issues are written to the file
-- named by psql variable tokens, so the log can be searched for them too.
-- Run by test/t/010_log_hygiene.sh.
\set ON_ERROR_STOP 0
CREATE EXTENSION IF NOT EXISTS pwupdate;

-- Partner logins and the generic API.
SELECT pwupdate.create_login('log_login', 'Marker-Secret-Login-1',
	'edebf627-ebce-4f77-8160-75db76154168') ->> 'login_sid' AS sid \gset
BEGIN;
SELECT set_config('request.jwt.claims',
	'{"sub": "p", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true);
SELECT pwupdate.patch_login(:'sid', '{"password": "Marker-Secret-Login-2"}');
SELECT pwupdate.put_login(:'sid', '{"login": "log_login", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
	"token_scopes": [], "password": "Marker-Secret-Login-3"}');
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims',
	'{"sub": "p", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true);
SELECT pwupdate.patch_login(:'sid', '{"password": "log_login Marker-Secret-Context"}');
ROLLBACK;
SELECT pwupdate.put_login(:'sid', '{"login": "other", "password": "Marker-Secret-ReadOnly"}');
SELECT pwupdate.patch('partner_login', :'sid', '{"password": "Marker-Secret-Generic"}');
SELECT pwupdate.check_password('partner_login', :'sid', 'Marker-Secret-Check-Wrong');
SELECT pwupdate.check_password('partner_login', :'sid', 'Marker-Secret-Generic');

-- Users: create, sign in (right and wrong), change by session cookie.
SELECT pwupdate.create_user('0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp', 'log.user@logcorp.example',
	'Marker-Secret-User-1');
SELECT pwupdate.sign_in('log.user@logcorp.example', 'Marker-Secret-User-Wrong');
SELECT s ->> 'session_token' AS session_token, s ->> 'csrf_token' AS csrf_token
FROM pwupdate.sign_in('log.user@logcorp.example', 'Marker-Secret-User-1') AS s \gset
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true),
	   set_config('request.cookies', json_build_object('AtmoAuthToken_logcorp', :'session_token')::text, true),
	   set_config('request.headers', json_build_object('x-csrf-token_logcorp', :'csrf_token')::text, true);
SELECT pwupdate.change_user_password('0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp',
	'{"OldPassword": "Marker-Secret-User-Old-Wrong", "NewPassword": "Marker-Secret-User-2"}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true),
	   set_config('request.cookies', json_build_object('AtmoAuthToken_logcorp', :'session_token')::text, true),
	   set_config('request.headers', json_build_object('x-csrf-token_logcorp', :'csrf_token')::text, true);
SELECT pwupdate.change_user_password('0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp',
	'{"OldPassword": "Marker-Secret-User-1", "NewPassword": "Marker-Secret-User-2"}');
COMMIT;

-- Password profile info, with an account member token.
SELECT pwupdate.create_realm('log realm') AS realm \gset
SELECT pwupdate.create_password_profile(:'realm', 'log profile') AS profile \gset
SELECT pwupdate.create_user_authentication_info(:'realm', 'Log User', 'log.profile@logcorp.example') AS uai \gset
SELECT pwupdate.create_password_profile_info(:'realm', :'uai',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'profile', 'username', 'log.profile', 'password', 'Marker-Secret-Profile-1')))
	-> 'data' ->> 'id' AS ppi \gset
SELECT pwupdate.create_account_member_token(:'realm', :'uai') AS member_token \gset
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', 'store', 'realm_id', :'realm')::text, true),
	   set_config('request.headers',
		   json_build_object('ep-account-management-authentication-token', :'member_token')::text, true);
SELECT pwupdate.update_password_profile_info(:'realm', :'uai', :'ppi',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'profile', 'password', 'Marker-Secret-Profile-2')));
SELECT pwupdate.update_password_profile_info(:'realm', :'uai', :'ppi',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'profile', 'password', 'log.profile Marker-Secret-Profile-3')));
ROLLBACK;

-- Customer password resets, once that API is installed.
SELECT to_regproc('pwupdate.reset_customer_password') IS NOT NULL AS have_resets \gset
\if :have_resets
SELECT pwupdate.create_customer('log.customer@logcorp.example', 'Marker-Secret-Customer-1');
SELECT r -> 'data' ->> 'id' AS reset_id, r -> 'data' -> 'attributes' ->> 'reset_password_token' AS reset_token
FROM pwupdate.create_customer_password_reset('log.customer@logcorp.example') AS r \gset
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', :'reset_id', 'attributes', jsonb_build_object(
		'customer_password', 'Marker-Secret-Customer-2', '_reset_password_token', :'reset_token'))));
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', :'reset_id', 'attributes', jsonb_build_object(
		'customer_password', 'Marker-Secret-Customer-3', '_reset_password_token', :'reset_token'))));
\else
\set reset_token ''
\endif

-- DBA maintenance, once installed.  Forced resets issue tokens, which
-- reset_password takes with a new password: a wrong token, a password the
-- policy refuses, the right token, the used one again; an id that names no
-- account.  import_hashes and check_hash_import take hashes made by other
-- systems, secrets too: they go to the tokens file with the tokens.
SELECT to_regproc('pwupdate.reset_password') IS NOT NULL AS have_maintenance \gset
\if :have_maintenance
\set import_bcrypt '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'
\set import_md5 '$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1'
SELECT pwupdate.create_login('log_forced_login', 'Marker-Secret-Forced-1',
	'edebf627-ebce-4f77-8160-75db76154168') ->> 'login_sid' AS forced_sid \gset
SELECT reset_token AS forced_login_token
FROM pwupdate.force_password_reset('partner_login', ARRAY[:'forced_sid']) \gset
SELECT reset_token AS forced_user_token
FROM pwupdate.force_password_reset('user', ARRAY['0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp']) \gset
SELECT * FROM pwupdate.force_password_reset('partner_login', ARRAY[:'forced_sid', 'no such login']);
SELECT pwupdate.reset_password('partner_login', :'forced_sid', 'Marker-Secret-Forced-WrongToken',
	'Marker-Secret-Forced-2');
SELECT pwupdate.reset_password('partner_login', :'forced_sid', :'forced_login_token',
	'log_forced_login Marker-Secret-Forced-3');
SELECT pwupdate.reset_password('partner_login', :'forced_sid', :'forced_login_token', 'Marker-Secret-Forced-4');
SELECT pwupdate.reset_password('partner_login', :'forced_sid', :'forced_login_token', 'Marker-Secret-Forced-5');
SELECT pwupdate.reset_password('user', '0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp', :'forced_user_token',
	'Marker-Secret-Forced-User');
SELECT pwupdate.check_password('partner_login', :'forced_sid', 'Marker-Secret-Forced-4');

SELECT * FROM pwupdate.check_hash_import('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', :'import_bcrypt'),
	jsonb_build_object('id', 'no such login', 'hash', :'import_md5'),
	jsonb_build_object('id', :'forced_sid', 'hash', 'Marker-Secret-Import-CheckNotAHash')));
SELECT pwupdate.import_hashes('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', :'import_bcrypt')));
SELECT pwupdate.import_hashes('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', 'Marker-Secret-Import-NotAHash')), true);
SELECT pwupdate.import_hashes('partner_login', jsonb_build_array(
	jsonb_build_object('id', :'forced_sid', 'hash', :'import_bcrypt')), true);
SELECT pwupdate.import_hashes('user', format('[{"id": "0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp", "hash": "%s"}]',
	:'import_md5')::jsonb, true);
SELECT * FROM pwupdate.hash_info(:'import_bcrypt');
\else
\set forced_login_token ''
\set forced_user_token ''
\set import_bcrypt ''
\set import_md5 ''
\endif

-- Written by psql itself: a statement would put the tokens in the log.
\o :tokens
\qecho :session_token
\qecho :csrf_token
\qecho :member_token
\qecho :reset_token
\qecho :forced_login_token
\qecho :forced_user_token
\qecho :import_bcrypt
\qecho :import_md5
\o
