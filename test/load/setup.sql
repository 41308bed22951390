-- Accounts for the load tests (soak and crash), and a log of every change
-- the load makes, written in the same transaction as the change.  The log
-- keeps the number n behind each password ('load passphrase <n>'), never a
-- password.
CREATE EXTENSION IF NOT EXISTS pwupdate;
CREATE SCHEMA load;

CREATE TABLE load.logins (n int PRIMARY KEY, sid uuid NOT NULL);
INSERT INTO load.logins
SELECT g, (pwupdate.create_login('load_login_' || g, 'load passphrase 0',
		'a3e1c1f0-5d2b-4d8e-9c3a-000000000001') ->> 'login_sid')::uuid
FROM generate_series(1, 20) AS g;

CREATE TABLE load.users (n int PRIMARY KEY, user_id text NOT NULL, email text NOT NULL);
INSERT INTO load.users
SELECT g, format('00000000-0000-4000-8000-%s.loadcorp', lpad(g::text, 12, '0')),
	   format('load.user%s@loadcorp.example', g)
FROM generate_series(1, 20) AS g;
SELECT count(pwupdate.create_user(user_id, email, 'load passphrase 0')) FROM load.users;

-- Users that only sign in: their password never changes under the load.
CREATE TABLE load.signin_users (n int PRIMARY KEY, email text NOT NULL);
INSERT INTO load.signin_users
SELECT g, format('load.signin%s@loadcorp.example', g) FROM generate_series(1, 5) AS g;
SELECT count(pwupdate.create_user(format('00000000-0000-4000-9000-%s.loadcorp', lpad(n::text, 12, '0')),
								  email, 'load passphrase 0'))
FROM load.signin_users;

-- Password profile infos (seed 001): one realm with one password profile,
-- and 20 user authentication infos with one info each, set up as a back
-- office would, through the trusted functions.  The load changes them as
-- the realm's store front, so it needs each info's whole path.
SELECT pwupdate.create_realm('Load store') AS realm \gset
SELECT pwupdate.create_password_profile(:'realm', 'Default') AS profile \gset
CREATE TABLE load.infos (
	n			int PRIMARY KEY,
	realm_id	uuid NOT NULL,
	member_id	uuid NOT NULL,
	profile_id	uuid NOT NULL,
	username	text NOT NULL,
	info_id		uuid
);
INSERT INTO load.infos (n, realm_id, member_id, profile_id, username)
SELECT g, :'realm', pwupdate.create_user_authentication_info(:'realm', 'Load member ' || g,
		format('load.member%s@loadstore.example', g)),
	   :'profile', 'load_member_' || g
FROM generate_series(1, 20) AS g;
UPDATE load.infos
SET info_id = (pwupdate.create_password_profile_info(realm_id, member_id,
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', profile_id, 'username', username, 'password', 'load passphrase 0')))
	#>> '{data,id}')::uuid;
ALTER TABLE load.infos ALTER info_id SET NOT NULL;

-- Customer password resets (seed 002): a pool of resets, one per customer.
-- Any password change of a customer voids their other open resets, so of
-- two resets of one customer in the pool the second would fail once the
-- first is used; with one each, only its own use ends a reset.  Customers
-- start without a password, like customers who get theirs through a reset.
-- The token is shown once, by the create call: the pool keeps it for the
-- load to present (test data).  A reset is used once, so the pool must
-- outlast the load: the load uses one reset in 14 transactions, and the
-- soak and crash scripts set :resets to 150 per second of load, enough
-- for 2,100 transactions per second (past that, picks find no reset and
-- do nothing).
\if :{?resets}
\else
\set resets 2000
\endif
CREATE TABLE load.resets (
	n			int PRIMARY KEY,
	customer_id text NOT NULL,
	email		text NOT NULL,
	reset_id	text,
	token		text,
	used		boolean NOT NULL DEFAULT false
);
INSERT INTO load.resets (n, customer_id, email)
SELECT g, pwupdate.create_customer(email) ->> 'id', email
FROM generate_series(1, :resets) AS g,
	 format('load.customer%s@loadshop.example', g) AS email;
-- In a statement of its own: create_customer_password_reset looks the
-- customer up with the statement's snapshot, which does not show customers
-- created earlier in the same statement.
UPDATE load.resets
SET (reset_id, token) = (SELECT r #>> '{data,id}', r #>> '{data,attributes,reset_password_token}'
						 FROM pwupdate.create_customer_password_reset(email) AS r);
ALTER TABLE load.resets ALTER reset_id SET NOT NULL, ALTER token SET NOT NULL;
-- Each pick takes the first unused reset: index only those.
CREATE INDEX ON load.resets (n) WHERE NOT used;

CREATE TABLE load.changes (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	resource	text NOT NULL,
	resource_id text NOT NULL,
	action		text NOT NULL,
	n			bigint NOT NULL
);
-- verify.sql looks up each account's changes, the last one first.
CREATE INDEX ON load.changes (resource_id, id);
