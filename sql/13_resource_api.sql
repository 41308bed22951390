-- A DBA's own table on the engine: the README's app.accounts example, then
-- every JSON type, merge and replace, tenants and scopes, check_password,
-- and who the store runs as.
\set VERBOSITY default

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
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

-- The application's own role owns its table and is one of pwupdate's DBAs.
CREATE ROLE regress_app_owner;
GRANT pwupdate_admin TO regress_app_owner;
GRANT CREATE ON DATABASE :"DBNAME" TO regress_app_owner;
CREATE ROLE regress_app_web;
GRANT pwupdate_api TO regress_app_web;
SET ROLE regress_app_owner;

-- The README's example, as it stands there.
CREATE SCHEMA app;
CREATE TABLE app.accounts (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username		text NOT NULL UNIQUE,
	email			text NOT NULL,
	display_name	text,
	tenant_id		uuid NOT NULL,
	roles			text[] NOT NULL DEFAULT '{}',
	active			boolean NOT NULL DEFAULT true,
	password_hash	text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);

SELECT pwupdate.register_resource(
	name => 'account',
	table_name => 'app.accounts',
	key_column => 'id',
	fields => '{
		"id":           {"access": "read_only"},
		"username":     {"access": "read_only", "required": true, "context_word": true},
		"email":        {"access": "writable", "required": true, "context_word": true},
		"display_name": {"access": "writable"},
		"active":       {"access": "writable", "required": true},
		"roles":        {"access": "read_only"},
		"tenant_id":    {"access": "read_only"},
		"updated_at":   {"access": "read_only"},
		"password":     {"column": "password_hash", "access": "secret"}
	}',
	read_scopes => '{accounts.read}',
	write_scopes => '{accounts.write}',
	tenant_claim => 'realm_id',
	tenant_field => 'tenant_id',
	updated_column => 'updated_at') -> 'fields' -> 'password' AS password_field;

INSERT INTO app.accounts (username, email, tenant_id, roles)
VALUES ('alice', 'alice@example.com', '11111111-0000-4000-8000-000000000000', '{admin}'),
	   ('bob', 'bob@example.com', '22222222-0000-4000-8000-000000000000', '{}');

-- GET, PATCH and PUT, as a trusted caller.  updated_at is left out of the
-- shown objects (it is now()) and checked for its shape instead.
SELECT pwupdate.get('account', '1') - 'updated_at' AS account;
SELECT (pwupdate.get('account', '1') ->> 'updated_at') ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS iso_timestamp;
SELECT pwupdate.patch('account', '1', '{"display_name": "Alice", "password": "wonderland tea party"}') - 'updated_at' AS patched;
SELECT pwupdate.check_password('account', '1', 'wonderland tea party') AS verifies;
-- A PUT of what a GET returned, with changes: updated_at is accepted as
-- shown (to the millisecond), the absent optional display_name becomes
-- null, the absent password keeps its value.
SELECT pwupdate.put('account', '1', (pwupdate.get('account', '1') - 'display_name') || '{"email": "alice@example.org"}') - 'updated_at' AS put;
SELECT display_name IS NULL AS display_name_cleared,
	   password_hash IS NOT NULL AS password_kept
FROM app.accounts WHERE id = 1;
SELECT pg_temp.try($$SELECT pwupdate.put('account', '1', '{"username": "alice"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.put('account', '1', '{"id": 2, "username": "alice", "email": "a@example.org", "active": true}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"id": 2}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"updated_at": "2000-01-01T00:00:00.000Z"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"roles": ["admin", "owner"]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"active": "yes"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"active": null}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"created_at": "2000-01-01T00:00:00.000Z"}')$$);
-- Both context words count; the new email when the body changes it.
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"password": "ALICE rocks 2024"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"email": "zebra@example.org", "password": "my zebra@example.org"}')$$);
-- A constraint of the table fails with PostgreSQL's own error, but the row
-- it would list holds the password hash: that detail is not shown.
ALTER TABLE app.accounts ADD CONSTRAINT email_has_at CHECK (email LIKE '%@%');
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{"email": "nowhere"}')$$);
-- Ids that cannot be keys are simply not found; so are unknown resources.
SELECT pg_temp.try($$SELECT pwupdate.get('account', '99')$$);
SELECT pg_temp.try($$SELECT pwupdate.get('account', 'abc')$$);
SELECT pg_temp.try($$SELECT pwupdate.get('account', NULL)$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1.5', '{}')$$);
SELECT pg_temp.try($$SELECT pwupdate.get('acount', '1')$$);
SELECT pg_temp.try($$SELECT pwupdate.get(NULL, '1')$$);

-- Claims callers: the realm tenant and the scopes of the description.
RESET ROLE;
SET ROLE regress_app_web;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "realm-1-app", "scope": "accounts.read", "realm_id": "11111111-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.get('account', '1') ->> 'username' AS own_realm;
SELECT pg_temp.try($$SELECT pwupdate.get('account', '2')$$) AS other_realm,
	   pg_temp.try($$SELECT pwupdate.get('account', '3')$$) AS missing;
SELECT pg_temp.try($$SELECT pwupdate.patch('account', '1', '{}')$$);
SELECT pg_temp.try($$SELECT pwupdate.check_password('account', '1', 'wonderland tea party')$$);
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "realm-1-app", "scopes": ["accounts.write"], "realm_id": "11111111-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.patch('account', '1', '{"password": "through the looking glass"}') ->> 'username' AS patched;
SELECT pg_temp.try($$SELECT pwupdate.put('account', '2', '{}')$$);
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', '{"realm_id": "11111111-0000-4000-8000-000000000000"}', true) IS NOT NULL AS claims_set;
SELECT pg_temp.try($$SELECT pwupdate.get('account', '1')$$);
COMMIT;
SELECT pg_temp.try($$SELECT pwupdate.get('account', '1')$$);
RESET ROLE;

-- check_password: right, wrong, unknown, unparsable and hashless ids.
SELECT pwupdate.check_password('account', '1', 'through the looking glass') AS right_password,
	   pwupdate.check_password('account', '1', 'wonderland tea party') AS old_password,
	   pwupdate.check_password('account', '99', 'through the looking glass') AS unknown_id,
	   pwupdate.check_password('account', 'x', 'through the looking glass') AS unparsable_id,
	   pwupdate.check_password('account', '2', 'through the looking glass') AS no_hash;
-- A hash from older settings is upgraded once the password verifies, and
-- only then.
UPDATE app.accounts SET password_hash = crypt('bob builds 4 ever', gen_salt('bf', 4)) WHERE id = 2;
SELECT pwupdate.check_password('account', '2', 'bob builds for ever') AS wrong_password,
	   left(password_hash, 4) AS hash_kept
FROM app.accounts WHERE id = 2;
SELECT pwupdate.check_password('account', '2', 'bob builds 4 ever') AS right_password;
SELECT left(password_hash, 10) AS hash_upgraded,
	   pwupdate.check_password('account', '2', 'bob builds 4 ever') AS still_verifies
FROM app.accounts WHERE id = 2;
SELECT pg_temp.try($$SELECT pwupdate.check_password('nothing', '1', 'x')$$);

-- Every JSON type, on a second table whose rows belong to the claims'
-- subject and that any claims caller may change (no scope needed).
SET ROLE regress_app_owner;
CREATE TABLE app.gadgets (
	code		varchar(12) PRIMARY KEY,
	owner		text NOT NULL,
	label		varchar(10),
	amount		integer,
	enabled		boolean,
	seen_at		timestamp,
	tags		varchar(20)[],
	meta		jsonb,
	part		uuid,
	written_by	name,
	CHECK (amount > -100)
);
-- Who writes the rows: the trigger sees the table's owner, never the
-- extension's superuser.
CREATE FUNCTION app.note_writer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.written_by := current_user;
	RETURN NEW;
END
$$;
CREATE TRIGGER note_writer BEFORE UPDATE ON app.gadgets
	FOR EACH ROW EXECUTE FUNCTION app.note_writer();
SELECT pwupdate.register_resource('gadget', 'app.gadgets', 'code', '{
	"code": {"access": "read_only"}, "owner": {"access": "read_only"},
	"label": {"access": "writable"}, "amount": {"access": "writable"},
	"enabled": {"access": "writable"}, "seen_at": {"access": "writable"},
	"tags": {"access": "writable"}, "meta": {"access": "writable"},
	"part": {"access": "writable"}}',
	write_scopes => '{}', tenant_claim => 'sub', tenant_field => 'owner') -> 'fields' -> 'seen_at' AS inferred;
-- The same table without scopes: claims callers cannot use it at all.
SELECT pwupdate.register_resource('gadget_internal', 'app.gadgets', 'code', '{"code": {"access": "read_only"}}') ->> 'read_scopes' AS no_scopes;
INSERT INTO app.gadgets (code, owner) VALUES ('g1', 'user-1'), ('g2', 'user-2');
RESET ROLE;

SET ROLE regress_app_web;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "user-1"}', true) IS NOT NULL AS claims_set;
SELECT pwupdate.patch('gadget', 'g1', '{"label": "blue", "amount": 12.0, "enabled": true,
	"seen_at": "2024-05-01T14:00:00.1234+02:00", "tags": ["a", "b"], "meta": {"x": [1, null]},
	"part": "AAAAAAAA-1111-4222-8333-444444444444"}');
SELECT pwupdate.patch('gadget', 'g1', '{"meta": "just a string", "amount": -3}') -> 'meta' AS meta;
SELECT pwupdate.put('gadget', 'g1', '{"code": "g1", "owner": "user-1", "meta": [1, 2]}');
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"amount": 1.5}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"amount": "12"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"amount": 99999999999999999999}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"enabled": 1}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"seen_at": "now"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"seen_at": "2024-13-01T00:00:00Z"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"seen_at": 1714572000}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"tags": [["a"]]}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"part": "aaaaaaaa-1111-4222-8333-44444444444"}')$$);
-- Column constraints stay the table's: PostgreSQL's own errors.
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"label": "far too long a label"}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"amount": 3000000000}')$$);
SELECT pg_temp.try($$SELECT pwupdate.patch('gadget', 'g1', '{"amount": -1000}')$$);
-- Another subject's row, and the resource without scopes.
SELECT pg_temp.try($$SELECT pwupdate.get('gadget', 'g2')$$);
SELECT pg_temp.try($$SELECT pwupdate.get('gadget_internal', 'g1')$$);
COMMIT;
RESET ROLE;
SELECT code, written_by FROM app.gadgets ORDER BY code;

-- The audit: every write and every rehash, with the key as id.
SELECT action, resource, resource_id,
	   CASE actor_role WHEN current_user THEN '(superuser)' ELSE actor_role END AS actor_role,
	   actor_sub
FROM pwupdate.audit
WHERE resource IN ('account', 'gadget') ORDER BY id;

-- Unregistering leaves the table alone.
SELECT pwupdate.unregister_resource('gadget') AND pwupdate.unregister_resource('gadget_internal')
	   AND pwupdate.unregister_resource('account') AS unregistered;
SELECT count(*) AS accounts_left FROM app.accounts;

DROP SCHEMA app CASCADE;
REVOKE CREATE ON DATABASE :"DBNAME" FROM regress_app_owner;
DROP ROLE regress_app_owner, regress_app_web;
