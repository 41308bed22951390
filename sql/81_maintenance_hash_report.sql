-- DBA maintenance: pwupdate.hash_info names one hash's algorithm and
-- parameter set; pwupdate.hash_report counts every account resource's
-- hashes per parameter set, with how many need a rehash.  Nothing is
-- verified: no key derivation runs.

CREATE ROLE regress_maint_dba IN ROLE pwupdate_admin;
CREATE ROLE regress_maint_nobody;
CREATE ROLE regress_maint_api IN ROLE pwupdate_api;

CREATE TEMP TABLE samples (label text PRIMARY KEY, hash text);
INSERT INTO samples VALUES
	('argon2id, production', '$argon2id$v=19$m=19456,t=2,p=1$KuryNzyN5lQavJQriCxLdA$o0Qxzt3uy5qFQSeLMworLG7hn8D3L8+DqkS+ea5z9dc'),
	('argon2id, test settings', '$argon2id$v=19$m=64,t=1,p=1$oB+wrwsNeDgulmTQxrzdNg$5bvO5gQx70o+Mbsjo2K13+SaKTQZJp4/4Dpzw3A+iyU'),
	('argon2i, 4 lanes', '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'),
	('bcrypt $2a$ (pgcrypto)', '$2a$04$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1LK'),
	('bcrypt $2b$', '$2b$05$QzNT/GFgrsX0wPUZ5zMhBeuIiGcAHz4qABCflktgIBUt.s1XYm.LW'),
	('bcrypt $2y$ (PHP)', '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'),
	('bcrypt $2x$', '$2x$04$1eIBZzFVTkAzbWhKzWOqDusM4QgcsjMLCLGNMg/mDHK36NxX7XI.u'),
	('md5-crypt', '$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1'),
	('extended DES', '_J9..wGaKzV16s0nHHY2'),
	('DES', 'SnAvNTB92A.62'),
	('voided', '!voided'),
	('voided, other text', '!'),
	('empty', ''),
	('plain text', 'correct horse battery staple'),
	('bcrypt, truncated', '$2a$04$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1L'),
	('bcrypt, cost 3', '$2a$03$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1LK'),
	('argon2id, bad base64', '$argon2id$v=19$m=64,t=1,p=1$oB+wrwsNeDgulmTQxrzdNg$5bvO5gQx70o*Mbsjo2K13+SaKTQZJp4/4Dpzw3A+iyU'),
	('argon2id, version 16', '$argon2id$v=16$m=64,t=1,p=1$oB+wrwsNeDgulmTQxrzdNg$5bvO5gQx70o+Mbsjo2K13+SaKTQZJp4/4Dpzw3A+iyU'),
	('md5-crypt, short digest', '$1$USP8WwHP$2wZP4.no6F4L/29Zvpal'),
	('PostgreSQL md5 role password', 'md5a3556571e93b0d20722ba62be61e8c2d');
GRANT SELECT ON samples TO regress_maint_dba;

-- Under the test settings (argon2id, m=64, t=1): only the hash made with
-- them needs no rehash; voided and unrecognized values need a new password,
-- not a rehash.
SET ROLE regress_maint_dba;
SELECT label, (pwupdate.hash_info(hash)).* FROM samples ORDER BY label;
SELECT pwupdate.hash_info(NULL) IS NULL AS null_in_null_out;

-- With bcrypt at cost 4 configured, a bcrypt hash of cost 4 needs no
-- rehash, one of another cost does, and $2x$ (the marker of the old
-- crypt_blowfish bug) always does.
RESET ROLE;
SET pwupdate.algorithm = 'bcrypt';
SET pwupdate.bcrypt_cost = 4;
SELECT label, (pwupdate.hash_info(hash)).needs_rehash
FROM samples WHERE label LIKE 'bcrypt%' OR label LIKE 'argon2id%' ORDER BY label;
RESET pwupdate.algorithm;
RESET pwupdate.bcrypt_cost;

-- hash_info and needs_rehash agree on every recognized hash.
SELECT label FROM samples
WHERE (pwupdate.hash_info(hash)).algorithm NOT IN ('voided', 'unrecognized')
  AND (pwupdate.hash_info(hash)).needs_rehash <> pwupdate.needs_rehash(hash);

-- The report, on accounts of this test only: every account table is
-- emptied in a transaction that is rolled back at the end.
BEGIN;
DO $$
DECLARE
	t regclass;
BEGIN
	FOR t IN SELECT table_name FROM pwupdate.resource
			 UNION SELECT 'pwupdate.user_account'::regclass
	LOOP
		EXECUTE format('DELETE FROM %s', t);
	END LOOP;
END
$$;

SET ROLE regress_maint_dba;
SELECT * FROM pwupdate.hash_report();
RESET ROLE;

-- Partner logins: two made by pwupdate, one imported from pgcrypto, 10,000
-- with the production parameters, a voided one and an unrecognized one.
SELECT pwupdate.create_login('report-' || n, 'report passphrase ' || n,
							 '7e7e7e7e-8f8f-4a9a-8b0b-1c1c1c1c1c1c') IS NOT NULL AS created
FROM generate_series(1, 2) AS n;
INSERT INTO pwupdate.partner_login (login, partner_sid, password_hash)
SELECT 'report-prod-' || n, '7e7e7e7e-8f8f-4a9a-8b0b-1c1c1c1c1c1c',
	   (SELECT hash FROM samples WHERE label = 'argon2id, production')
FROM generate_series(1, 10000) AS n;
INSERT INTO pwupdate.partner_login (login, partner_sid, password_hash)
SELECT 'report-' || label, '7e7e7e7e-8f8f-4a9a-8b0b-1c1c1c1c1c1c', hash
FROM samples WHERE label IN ('bcrypt $2a$ (pgcrypto)', 'voided', 'plain text');

-- Users: legacy crypt(3) formats and a PHP bcrypt hash.
INSERT INTO pwupdate.user_account (user_id, email, password_hash)
SELECT '0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4' || n || '.reportcorp',
	   'user' || n || '@reportcorp.example', hash
FROM (SELECT row_number() OVER (ORDER BY label) AS n, hash FROM samples
	  WHERE label IN ('md5-crypt', 'extended DES', 'DES', 'bcrypt $2y$ (PHP)')) AS s;

-- A DBA's own table whose password column may be NULL.
CREATE TABLE regress_shop_accounts (
	id		bigint PRIMARY KEY,
	email	text NOT NULL,
	pw		text
);
SELECT pwupdate.register_resource('shop_account', 'regress_shop_accounts', 'id',
	'{"id": {"access": "read_only"}, "email": {"access": "read_only"},
	  "password": {"column": "pw", "access": "secret"}}') IS NOT NULL AS registered;
INSERT INTO regress_shop_accounts VALUES
	(1, 'one@shop.example', NULL),
	(2, 'two@shop.example', NULL),
	(3, 'three@shop.example', (SELECT hash FROM samples WHERE label = 'argon2i, 4 lanes'));

SET ROLE regress_maint_dba;
SELECT * FROM pwupdate.hash_report();
RESET ROLE;

-- Raising the settings to the production parameters: the 10,000 no longer
-- need a rehash, the two made under the test settings do.
SET pwupdate.argon2_memory = '19456kB';
SET pwupdate.argon2_iterations = 2;
SELECT resource, algorithm, parameters, hashes, needs_rehash
FROM pwupdate.hash_report() WHERE algorithm = 'argon2id';
RESET pwupdate.argon2_memory;
RESET pwupdate.argon2_iterations;

-- A resource without a secret field is not an account resource.
CREATE TABLE regress_shop_notes (id bigint PRIMARY KEY, note text);
SELECT pwupdate.register_resource('shop_note', 'regress_shop_notes', 'id',
	'{"id": {"access": "read_only"}, "note": {"access": "writable", "nullable": true}}') IS NOT NULL AS registered;
SELECT DISTINCT resource FROM pwupdate.hash_report() ORDER BY resource;
ROLLBACK;

-- Trusted callers only.
SET ROLE regress_maint_nobody;
SELECT * FROM pwupdate.hash_report();
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_maint_api;
SELECT * FROM pwupdate.hash_report();
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pwupdate.hash_info('!voided');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

DROP TABLE samples;
DROP ROLE regress_maint_dba;
DROP ROLE regress_maint_nobody;
DROP ROLE regress_maint_api;
