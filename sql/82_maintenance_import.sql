-- DBA maintenance: pwupdate.import_hashes sets the hashes of existing
-- accounts from hashes made by other systems, all rows or none;
-- pwupdate.check_hash_import lists every row it would refuse.  Imported
-- hashes verify, and are upgraded at their first successful verification.

CREATE ROLE regress_maint_dba IN ROLE pwupdate_admin;
CREATE ROLE regress_maint_api IN ROLE pwupdate_api;

-- A migration: the accounts come first, with a voided password (any value
-- starting with "!"), then their hashes.
INSERT INTO pwupdate.user_account (user_id, email, password_hash) VALUES
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp', 'one@importcorp.example', '!voided'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b52.importcorp', 'two@importcorp.example', '!voided'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b53.importcorp', 'three@importcorp.example', '!voided'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b54.importcorp', 'four@importcorp.example', '!voided'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b55.importcorp', 'five@importcorp.example', '!voided'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b56.importcorp', 'six@importcorp.example', '!voided');
SELECT pwupdate.create_user('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b57.importcorp',
							'seven@importcorp.example', 'Already here 2024') AS seven \gset

CREATE TEMP TABLE hashes (id text, hash text);
INSERT INTO hashes VALUES
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp', '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b52.importcorp', '$2b$05$QzNT/GFgrsX0wPUZ5zMhBeuIiGcAHz4qABCflktgIBUt.s1XYm.LW'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b53.importcorp', '$2a$04$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1LK'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b54.importcorp', '$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b55.importcorp', '_J9..wGaKzV16s0nHHY2'),
	('1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b56.importcorp', 'SnAvNTB92A.62');
GRANT SELECT ON hashes TO regress_maint_dba;

SET ROLE regress_maint_dba;
SELECT * FROM pwupdate.check_hash_import('user',
	(SELECT jsonb_agg(jsonb_build_object('id', id, 'hash', hash)) FROM hashes));
SELECT pwupdate.import_hashes('user',
	(SELECT jsonb_agg(jsonb_build_object('id', id, 'hash', hash)) FROM hashes)) AS imported;
RESET ROLE;

-- One audit row per account.
SELECT resource_id, action, actor_role, channel FROM pwupdate.audit
WHERE resource = 'user' AND resource_id LIKE '%.importcorp' AND action = 'import' ORDER BY id;

-- What was imported, as the report and hash_info see it.
SELECT u.email, (pwupdate.hash_info(u.password_hash)).*
FROM pwupdate.user_account AS u WHERE u.user_id LIKE '%.importcorp' ORDER BY u.user_id;

-- Each imported hash verifies its password (and no other) at sign-in, and
-- is upgraded to the current algorithm then.
SELECT email, pwupdate.sign_in(email, password) ->> 'user_id' = u.user_id AS signed_in
FROM (VALUES ('one@importcorp.example', 'rasmuslerdorf'),
			 ('two@importcorp.example', 'Imported bcrypt two'),
			 ('three@importcorp.example', 'Imported bcrypt one'),
			 ('four@importcorp.example', 'Imported md5 one'),
			 ('five@importcorp.example', 'Imported xdes one'),
			 ('six@importcorp.example', 'Imported des')) AS v(email, password)
JOIN pwupdate.user_account AS u USING (email) ORDER BY email;
SELECT u.email, (pwupdate.hash_info(u.password_hash)).algorithm, (pwupdate.hash_info(u.password_hash)).needs_rehash
FROM pwupdate.user_account AS u WHERE u.user_id LIKE '%.importcorp' ORDER BY u.user_id;
SELECT pwupdate.sign_in('one@importcorp.example', 'rasmuslerdorf2');
\echo :LAST_ERROR_SQLSTATE

-- Partner logins get hashes of their own too, and check_password verifies
-- them (upgrading the hash, audited as "rehash").
SELECT pwupdate.create_login('import-argon2i', 'placeholder passphrase', 'a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4') ->> 'login_sid' AS login \gset
SELECT count(*) FROM pwupdate.force_password_reset('partner_login', ARRAY[:'login']);
SELECT pwupdate.import_hashes('partner_login', jsonb_build_array(jsonb_build_object('id', :'login',
	'hash', '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'))) AS imported;
SELECT pwupdate.check_password('partner_login', :'login', 'wrong') AS wrong,
	   pwupdate.check_password('partner_login', :'login', 'password') AS right;
SELECT action FROM pwupdate.audit WHERE resource_id = :'login' ORDER BY id;

-- Every problem of every row, in one error, without a hash in it: nothing
-- is imported.
CREATE TEMP TABLE bad (n int, row jsonb);
INSERT INTO bad VALUES
	(1, jsonb_build_object('id', :'seven', 'hash', '$2a$04$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1LK')),
	(2, '{"id": "1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp", "hash": "not a hash"}'),
	(3, '{"id": "1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b59.importcorp", "hash": "SnAvNTB92A.62"}'),
	(4, '{"hash": "SnAvNTB92A.62"}'),
	(5, '{"id": "x"}'),
	(6, '{"id": null, "hash": "SnAvNTB92A.62"}'),
	(7, '{"id": "x", "hash": 12}'),
	(8, '{"id": "x", "hash": "SnAvNTB92A.62", "email": "x@example.com"}'),
	(9, '"SnAvNTB92A.62"'),
	(10, '{"id": "1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp", "hash": "!voided"}'),
	(11, '{"id": "1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp", "hash": "$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1"}'),
	(12, '{"id": "1d1d1d1d-2e2e-4f3f-8a4a-5b5b5b5b5b51.importcorp", "hash": "$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1"}'),
	(13, jsonb_build_object('id', repeat('long id ', 10), 'hash', 'SnAvNTB92A.62'));
GRANT SELECT ON bad TO regress_maint_dba;
SET ROLE regress_maint_dba;
SELECT pwupdate.import_hashes('user', (SELECT jsonb_agg(row ORDER BY n) FROM bad));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.check_hash_import('user', (SELECT jsonb_agg(row ORDER BY n) FROM bad));
RESET ROLE;
SELECT count(*) AS audit_rows_after_refusal FROM pwupdate.audit
WHERE action = 'import' AND resource_id LIKE '%.importcorp';

-- The account that has a password gets the new hash only with overwrite;
-- a user's sessions end then, like at any password change.
SELECT pwupdate.sign_in('seven@importcorp.example', 'Already here 2024') IS NOT NULL AS signed_in;
SELECT count(*) AS sessions FROM pwupdate.user_session WHERE user_id = :'seven';
SELECT pwupdate.import_hashes('user', (SELECT jsonb_agg(row) FROM bad WHERE n = 1));
SELECT pwupdate.import_hashes('user', (SELECT jsonb_agg(row) FROM bad WHERE n = 1), overwrite => true) AS imported;
SELECT count(*) AS sessions FROM pwupdate.user_session WHERE user_id = :'seven';
SELECT pwupdate.sign_in('seven@importcorp.example', 'Imported bcrypt one') ->> 'user_id' = :'seven' AS signed_in;

-- More than 100 invalid rows: the error lists 100, check_hash_import all.
SELECT pwupdate.import_hashes('user', (SELECT jsonb_agg(jsonb_build_object('id', 'missing ' || n, 'hash', 'SnAvNTB92A.62'))
									  FROM generate_series(1, 103) AS n));
SELECT count(*) AS problems FROM pwupdate.check_hash_import('user',
	(SELECT jsonb_agg(jsonb_build_object('id', 'missing ' || n, 'hash', 'SnAvNTB92A.62'))
	 FROM generate_series(1, 103) AS n));

-- A DBA's table with an integer key and a nullable password: ids may be
-- JSON numbers, and NULL counts as no password yet.
CREATE TABLE regress_shop_accounts (id bigint PRIMARY KEY, email text NOT NULL, pw text,
									updated_at timestamptz);
SELECT pwupdate.register_resource('shop_account', 'regress_shop_accounts', 'id',
	'{"id": {"access": "read_only"}, "email": {"access": "read_only"},
	  "password": {"column": "pw", "access": "secret"}}',
	updated_column => 'updated_at') IS NOT NULL AS registered;
INSERT INTO regress_shop_accounts VALUES (1, 'one@shop.example', NULL), (2, 'two@shop.example', NULL);
SELECT pwupdate.import_hashes('shop_account',
	'[{"id": 1, "hash": "$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1"}, {"id": "2", "hash": "SnAvNTB92A.62"}]') AS imported;
SELECT id, (pwupdate.hash_info(pw)).algorithm, updated_at IS NOT NULL AS updated FROM regress_shop_accounts ORDER BY id;
SELECT pwupdate.check_password('shop_account', '1', 'Imported md5 one') AS verifies;
SELECT * FROM pwupdate.check_hash_import('shop_account',
	'[{"id": 1.5, "hash": "SnAvNTB92A.62"}, {"id": "one", "hash": "SnAvNTB92A.62"}, {"id": 3, "hash": "SnAvNTB92A.62"},
	  {"id": 2, "hash": "SnAvNTB92A.62"}]');
-- UUID keys compare as UUIDs.
SELECT row_number, problem FROM pwupdate.check_hash_import('partner_login',
	jsonb_build_array(jsonb_build_object('id', :'login', 'hash', 'SnAvNTB92A.62'),
					  jsonb_build_object('id', upper(:'login'), 'hash', 'SnAvNTB92A.62')), true);

-- Nothing to import is fine.
SELECT pwupdate.import_hashes('user', '[]') AS imported;

-- Arguments and resources.
SELECT pwupdate.import_hashes('user', '{"id": "x", "hash": "SnAvNTB92A.62"}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.import_hashes('user', '"x"');
SELECT pwupdate.import_hashes('user', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.import_hashes(NULL, '[]');
SELECT pwupdate.import_hashes('user', '[]', NULL);
SELECT pwupdate.import_hashes('no_such_resource', '[]');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE regress_shop_notes (id bigint PRIMARY KEY, note text);
SELECT pwupdate.register_resource('shop_note', 'regress_shop_notes', 'id',
	'{"id": {"access": "read_only"}, "note": {"access": "writable", "nullable": true}}') IS NOT NULL AS registered;
SELECT pwupdate.import_hashes('shop_note', '[]');
\echo :LAST_ERROR_SQLSTATE

-- Trusted callers only.
SET ROLE regress_maint_api;
SELECT pwupdate.import_hashes('user', '[]');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.check_hash_import('user', '[]');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

SELECT pwupdate.unregister_resource('shop_account'), pwupdate.unregister_resource('shop_note');
DROP TABLE regress_shop_accounts, regress_shop_notes, hashes, bad;
DROP ROLE regress_maint_dba;
DROP ROLE regress_maint_api;
