/* pwupdate--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION pwupdate" to load this file. \quit

/*
 * The control file pins the extension to pg_catalog and this script creates
 * schema pwupdate as a member object: a schema named in the control file
 * would be created outside the extension and survive DROP EXTENSION.
 *
 * Conventions of this script:
 * - every object is schema-qualified; nothing depends on search_path;
 * - functions that touch tables are SECURITY DEFINER with a pinned
 *   search_path, and tables are readable by neither API role nor PUBLIC;
 * - EXECUTE is revoked from PUBLIC on every function at the end of the
 *   script, so each grant below is deliberate.
 */

DO $$
BEGIN
	IF pg_catalog.current_setting('server_encoding') <> 'UTF8' THEN
		RAISE EXCEPTION 'pwupdate requires a UTF8 database'
			USING ERRCODE = 'feature_not_supported',
				  DETAIL = 'Passwords are NFKC-normalized, which needs Unicode text.';
	END IF;
END
$$;

DO $$
BEGIN
	IF pg_catalog.current_setting('shared_preload_libraries') !~ '(^|[\s,])pwupdate($|[\s,])' THEN
		RAISE WARNING 'pwupdate is not in shared_preload_libraries'
			USING DETAIL = 'Failed attempts are not counted, so accounts are never locked out, and statements are logged unmasked until pwupdate is loaded in a backend.',
				  HINT = 'Add pwupdate to shared_preload_libraries and restart the server.';
	END IF;
END
$$;

-- The schema belongs to the extension, so DROP EXTENSION removes it too.
CREATE SCHEMA pwupdate;

-- Cluster-wide roles: created once, kept when the extension is dropped.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pwupdate_admin') THEN
		CREATE ROLE pwupdate_admin NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pwupdate_api') THEN
		CREATE ROLE pwupdate_api NOLOGIN;
	END IF;
	-- Login roles whose request.jwt.claims are believed (PostgREST's authenticator).
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pwupdate_gateway') THEN
		CREATE ROLE pwupdate_gateway NOLOGIN;
	END IF;
END
$$;

REVOKE ALL ON SCHEMA pwupdate FROM PUBLIC;
GRANT USAGE ON SCHEMA pwupdate TO pwupdate_admin, pwupdate_api;

--------------------------------------------------------------------------
-- Password core: hashing and verification
--------------------------------------------------------------------------

CREATE FUNCTION pwupdate.hash_password(password text)
RETURNS text
AS 'MODULE_PATHNAME', 'pwupdate_hash_password'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE COST 10000;

COMMENT ON FUNCTION pwupdate.hash_password(text) IS
'Hashes a password with pwupdate.algorithm (Argon2id by default) after NFKC normalization.';

CREATE FUNCTION pwupdate.verify_password(password text, hash text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_verify_password'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10000;

COMMENT ON FUNCTION pwupdate.verify_password(text, text) IS
'Checks a password against an Argon2id, bcrypt or legacy crypt(3) hash in constant time.';

CREATE FUNCTION pwupdate.needs_rehash(hash text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_needs_rehash'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pwupdate.needs_rehash(text) IS
'Tells whether a hash was made with another algorithm or other parameters than the current settings.';

GRANT EXECUTE ON FUNCTION
	pwupdate.hash_password(text),
	pwupdate.verify_password(text, text),
	pwupdate.needs_rehash(text)
TO pwupdate_admin;

--------------------------------------------------------------------------
-- Password policy
--------------------------------------------------------------------------

-- Commonly used passwords, lower-cased and NFKC-normalized.
CREATE TABLE pwupdate.blocklist (
	word	text PRIMARY KEY
			CHECK (word = pg_catalog.lower(pg_catalog.normalize(word, 'NFKC'))),
	source	text NOT NULL DEFAULT 'dba'
);

COMMENT ON TABLE pwupdate.blocklist IS
'Passwords refused by the policy; matched case-insensitively.';

-- Words a DBA added are dumped; the packaged list is loaded again on install.
SELECT pg_catalog.pg_extension_config_dump('pwupdate.blocklist',
										   'WHERE source <> ''john-data''');

GRANT SELECT, INSERT, DELETE ON pwupdate.blocklist TO pwupdate_admin;

CREATE FUNCTION pwupdate.load_blocklist(path text DEFAULT '/usr/share/john/password.lst',
										source text DEFAULT 'dba')
RETURNS bigint
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	WITH lines AS (
		SELECT line
		FROM pg_catalog.regexp_split_to_table(pg_catalog.pg_read_file(path), E'\r?\n') AS line
		WHERE line <> '' AND line NOT LIKE '#!comment:%'
	), added AS (
		INSERT INTO pwupdate.blocklist (word, source)
		SELECT DISTINCT pg_catalog.lower(pg_catalog.normalize(line, 'NFKC')), source
		FROM lines
		ON CONFLICT (word) DO NOTHING
		RETURNING 1
	)
	SELECT pg_catalog.count(*) FROM added
$$;

COMMENT ON FUNCTION pwupdate.load_blocklist(text, text) IS
'Adds the words of a file (one per line; John the Ripper''s "#!comment:" lines skipped) to the blocklist. Superuser only.';

-- Out of the box: John the Ripper's list from Debian's john-data, if installed.
SELECT pwupdate.load_blocklist('/usr/share/john/password.lst', 'john-data')
WHERE (pg_catalog.pg_stat_file('/usr/share/john/password.lst', true)).size IS NOT NULL;

CREATE FUNCTION pwupdate.validate_password(password text, context jsonb DEFAULT '{}')
RETURNS void
AS 'MODULE_PATHNAME', 'pwupdate_validate_password'
LANGUAGE C STABLE STRICT
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.validate_password(text, jsonb) IS
'Checks a password against the policy without storing it. context: {"login": "...", ...} names words the password must not contain.';

GRANT EXECUTE ON FUNCTION pwupdate.validate_password(text, jsonb)
TO pwupdate_admin, pwupdate_api;

--------------------------------------------------------------------------
-- Audit trail
--------------------------------------------------------------------------

CREATE TABLE pwupdate.audit (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at			timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	resource	text NOT NULL,
	resource_id text NOT NULL,
	action		text NOT NULL,
	actor_role	text,
	actor_sub	text,
	channel		text NOT NULL CHECK (channel IN ('sql', 'postgrest'))
);

COMMENT ON TABLE pwupdate.audit IS
'One row per successful credential change; never holds a secret.';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.audit', '');

GRANT SELECT ON pwupdate.audit TO pwupdate_admin;

--------------------------------------------------------------------------
-- Caller identity
--------------------------------------------------------------------------

CREATE FUNCTION pwupdate.current_caller()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_current_caller'
LANGUAGE C STABLE;

COMMENT ON FUNCTION pwupdate.current_caller() IS
'Shows how pwupdate sees the caller: trusted, user, anonymous or untrusted, with role, subject, tenants and scopes.';

GRANT EXECUTE ON FUNCTION pwupdate.current_caller() TO pwupdate_admin, pwupdate_api;

--------------------------------------------------------------------------
-- Partner logins (seed 000)
--------------------------------------------------------------------------

/*
 * The resource registry.  A resource describes a table behind a JSON
 * object: its key, and for each field the column, JSON type and access.
 * The engine (get, patch, put, check_password) works on any registered
 * resource.  Rows are written by register_resource(), which checks them
 * against the catalogs; the extension's own resources are marked builtin
 * and left out of dumps, since the script registers them again.
 */
CREATE TABLE pwupdate.resource (
	name			text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
	table_name		regclass NOT NULL,
	key_column		name NOT NULL,
	fields			jsonb NOT NULL CHECK (pg_catalog.jsonb_typeof(fields) = 'object'),
	noun			text NOT NULL,
	read_scopes		text[],
	write_scopes	text[],
	tenant_claim	text CHECK (tenant_claim IN ('sub', 'partner_sid', 'realm_id')),
	tenant_field	text,
	updated_column	name,
	builtin			boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE pwupdate.resource IS
'Registered resources: tables that pwupdate.get, patch, put and check_password work on. Written by register_resource().';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.resource', 'WHERE NOT builtin');

GRANT SELECT ON pwupdate.resource TO pwupdate_admin;

CREATE FUNCTION pwupdate.register_resource(
	name text,
	table_name regclass,
	key_column name,
	fields jsonb,
	noun text DEFAULT NULL,
	read_scopes text[] DEFAULT NULL,
	write_scopes text[] DEFAULT NULL,
	tenant_claim text DEFAULT NULL,
	tenant_field text DEFAULT NULL,
	updated_column name DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_register_resource'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.register_resource(text, regclass, name, jsonb, text, text[], text[], text, text, name) IS
'Describes a table for pwupdate.get, patch, put and check_password: key, fields ({"name": {"column", "type", "access", "required", "nullable", "context_word"}}), scopes, tenant claim. Trusted callers only; returns the stored description.';

CREATE FUNCTION pwupdate.unregister_resource(name text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_unregister_resource'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.unregister_resource(text) IS
'Forgets a registered resource (not the extension''s own); false when there was none. Trusted callers only.';

CREATE FUNCTION pwupdate.get(resource text, id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_get'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.get(text, text) IS
'Returns one object of a registered resource, secrets left out.';

CREATE FUNCTION pwupdate.patch(resource text, id text, body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_patch'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.patch(text, text, jsonb) IS
'Merges a body into one object of a registered resource (only the fields sent change) and returns the object.';

CREATE FUNCTION pwupdate.put(resource text, id text, body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_put'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.put(text, text, jsonb) IS
'Replaces one object of a registered resource with a body holding every required field, and returns the object.';

CREATE FUNCTION pwupdate.check_password(resource text, id text, password text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_check_password'
LANGUAGE C VOLATILE STRICT COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.check_password(text, text, text) IS
'Verifies a password against the secret of one object of a registered resource, upgrading its hash when needed; an unknown id costs the same. Trusted callers only.';

GRANT EXECUTE ON FUNCTION
	pwupdate.get(text, text),
	pwupdate.patch(text, text, jsonb),
	pwupdate.put(text, text, jsonb)
TO pwupdate_admin, pwupdate_api;

GRANT EXECUTE ON FUNCTION
	pwupdate.register_resource(text, regclass, name, jsonb, text, text[], text[], text, text, name),
	pwupdate.unregister_resource(text),
	pwupdate.check_password(text, text, text)
TO pwupdate_admin;

-- CarrierX partner logins: the first resource described this way.
CREATE TABLE pwupdate.partner_login (
	login_sid		uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	login			text NOT NULL UNIQUE CHECK (login <> ''),
	partner_sid		uuid NOT NULL,
	token_scopes	text[] NOT NULL DEFAULT '{}'
					CHECK (pg_catalog.array_position(token_scopes, NULL) IS NULL),
	password_hash	text NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.now()
);

CREATE INDEX ON pwupdate.partner_login (partner_sid);

COMMENT ON TABLE pwupdate.partner_login IS
'Partner logins (CarrierX). password_hash is readable by no role but the owner.';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.partner_login', '');

REVOKE ALL ON pwupdate.partner_login FROM PUBLIC;
GRANT SELECT (login_sid, login, partner_sid, token_scopes, created_at, updated_at)
	ON pwupdate.partner_login TO pwupdate_admin;

SELECT pwupdate.register_resource(
	name => 'partner_login',
	table_name => 'pwupdate.partner_login',
	key_column => 'login_sid',
	fields => '{
		"login_sid":    {"access": "read_only"},
		"login":        {"access": "read_only", "required": true, "context_word": true},
		"partner_sid":  {"access": "read_only", "required": true},
		"token_scopes": {"access": "read_only", "required": true},
		"password":     {"column": "password_hash", "access": "secret", "required": true}
	}',
	noun => 'login',
	read_scopes => '{oauth.read}',
	write_scopes => '{oauth.manage,oauth.update}',
	tenant_claim => 'partner_sid',
	tenant_field => 'partner_sid',
	updated_column => 'updated_at');

CREATE FUNCTION pwupdate.create_login(login text, password text, partner_sid uuid,
									  token_scopes text[] DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_create_login'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_login(text, text, uuid, text[]) IS
'Creates a partner login; the password passes the policy with the login as a context word. Trusted callers only.';

CREATE FUNCTION pwupdate.get_login(login_sid uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_get_login'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.get_login(uuid) IS
'Returns a partner login: {"login", "login_sid", "partner_sid", "token_scopes"}. Claims need oauth.read, oauth.update or oauth.manage and the login''s partner_sid.';

CREATE FUNCTION pwupdate.patch_login(login_sid uuid, body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_patch_login'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.patch_login(uuid, jsonb) IS
'Updates a partner login with the fields sent (PATCH): only password can change; read-only fields are accepted with their current value. Claims need oauth.manage or oauth.update and the login''s partner_sid.';

CREATE FUNCTION pwupdate.put_login(login_sid uuid, body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_put_login'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.put_login(uuid, jsonb) IS
'Replaces a partner login (PUT): login, partner_sid, token_scopes and password are required; login_sid, if sent, must equal the argument. Claims need oauth.manage or oauth.update and the login''s partner_sid.';

GRANT EXECUTE ON FUNCTION
	pwupdate.get_login(uuid),
	pwupdate.patch_login(uuid, jsonb),
	pwupdate.put_login(uuid, jsonb)
TO pwupdate_admin, pwupdate_api;

GRANT EXECUTE ON FUNCTION pwupdate.create_login(text, text, uuid, text[])
TO pwupdate_admin;

--------------------------------------------------------------------------
-- Password profile info (seed 001)
--------------------------------------------------------------------------

/*
 * Elastic Path's authentication realms.  Everything below a realm carries
 * the realm's id, and the foreign keys include it, so that a row can never
 * point into another realm: a password profile info's profile and user
 * authentication info are of its own realm.
 */
CREATE TABLE pwupdate.realm (
	id			uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	name		text NOT NULL CHECK (name <> ''),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);

COMMENT ON TABLE pwupdate.realm IS
'Authentication realms (Elastic Path): the tenant of password profiles, user authentication infos and their password profile infos.';

CREATE TABLE pwupdate.password_profile (
	id			uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	realm_id	uuid NOT NULL REFERENCES pwupdate.realm (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (name <> ''),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	UNIQUE (realm_id, id)
);

COMMENT ON TABLE pwupdate.password_profile IS
'Password profiles of a realm: each holds usernames that are unique within it.';

CREATE TABLE pwupdate.user_authentication_info (
	id			uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	realm_id	uuid NOT NULL REFERENCES pwupdate.realm (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (name <> ''),
	email		text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	UNIQUE (realm_id, id)
);

COMMENT ON TABLE pwupdate.user_authentication_info IS
'User authentication infos of a realm (Elastic Path): the user a password profile info belongs to.';

-- The username's bounds are also checked by update_password_profile_info,
-- which reports them as an invalid value (422) before anything is stored.
CREATE TABLE pwupdate.password_profile_info (
	id							uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	realm_id					uuid NOT NULL,
	user_authentication_info_id uuid NOT NULL,
	password_profile_id			uuid NOT NULL,
	username					text CHECK (pg_catalog.length(username) BETWEEN 1 AND 255),
	password_hash				text NOT NULL,
	created_at					timestamptz NOT NULL DEFAULT pg_catalog.now(),
	updated_at					timestamptz NOT NULL DEFAULT pg_catalog.now(),
	FOREIGN KEY (realm_id, user_authentication_info_id)
		REFERENCES pwupdate.user_authentication_info (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, password_profile_id)
		REFERENCES pwupdate.password_profile (realm_id, id) ON DELETE CASCADE,
	-- Taking a username is decided here, also between concurrent updates.
	CONSTRAINT password_profile_info_username_key UNIQUE (password_profile_id, username)
);

CREATE INDEX password_profile_info_user_idx
	ON pwupdate.password_profile_info (realm_id, user_authentication_info_id);

COMMENT ON TABLE pwupdate.password_profile_info IS
'Password profile infos (Elastic Path): a username and password of a user authentication info in a password profile. Holds password hashes: no grants.';

-- Account management authentication tokens: digests only; revoked tokens
-- are deleted.  Not dumped, so a restore ends every token.
CREATE TABLE pwupdate.account_member_token (
	id							uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	realm_id					uuid NOT NULL,
	user_authentication_info_id uuid NOT NULL,
	token_digest				text NOT NULL UNIQUE,
	created_at					timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	expires_at					timestamptz NOT NULL,
	FOREIGN KEY (realm_id, user_authentication_info_id)
		REFERENCES pwupdate.user_authentication_info (realm_id, id) ON DELETE CASCADE
);

CREATE INDEX account_member_token_member_idx
	ON pwupdate.account_member_token (realm_id, user_authentication_info_id);
CREATE INDEX account_member_token_expires_at_idx
	ON pwupdate.account_member_token (expires_at);

COMMENT ON TABLE pwupdate.account_member_token IS
'Account management authentication tokens of account members: SHA-256 digests, never the tokens. No grants.';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.realm', '');
SELECT pg_catalog.pg_extension_config_dump('pwupdate.password_profile', '');
SELECT pg_catalog.pg_extension_config_dump('pwupdate.user_authentication_info', '');
SELECT pg_catalog.pg_extension_config_dump('pwupdate.password_profile_info', '');

REVOKE ALL ON pwupdate.realm, pwupdate.password_profile, pwupdate.user_authentication_info,
	pwupdate.password_profile_info, pwupdate.account_member_token FROM PUBLIC;
GRANT SELECT ON pwupdate.realm, pwupdate.password_profile, pwupdate.user_authentication_info
	TO pwupdate_admin;
GRANT SELECT (id, realm_id, user_authentication_info_id, password_profile_id, username,
			  created_at, updated_at)
	ON pwupdate.password_profile_info TO pwupdate_admin;

/*
 * The body's members are the fields (the envelope adds "type"); the realm,
 * the user authentication info and the timestamps are shown by the API
 * functions around the fields, never taken from a body.  No scopes: claims
 * callers go through the contract's functions, which check the realm, the
 * user authentication info and the account member token; the generic
 * get/patch/put on this resource are for trusted callers.
 */
SELECT pwupdate.register_resource(
	name => 'password_profile_info',
	table_name => 'pwupdate.password_profile_info',
	key_column => 'id',
	fields => '{
		"id":                          {"access": "read_only"},
		"username":                    {"access": "writable", "context_word": true},
		"password_profile_id":         {"access": "writable", "required": true},
		"password":                    {"column": "password_hash", "access": "secret"},
		"realm_id":                    {"access": "read_only"},
		"user_authentication_info_id": {"access": "read_only"},
		"created_at":                  {"access": "read_only"},
		"updated_at":                  {"access": "read_only"}
	}',
	noun => 'password profile info',
	tenant_claim => 'realm_id',
	tenant_field => 'realm_id',
	updated_column => 'updated_at');

CREATE FUNCTION pwupdate.create_realm(name text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pwupdate_create_realm'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_realm(text) IS
'Creates an authentication realm and returns its id. Trusted callers only.';

CREATE FUNCTION pwupdate.create_password_profile(realm_id uuid, name text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pwupdate_create_password_profile'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_password_profile(uuid, text) IS
'Creates a password profile in a realm and returns its id. Trusted callers only.';

CREATE FUNCTION pwupdate.create_user_authentication_info(realm_id uuid, name text, email text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'pwupdate_create_user_authentication_info'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_user_authentication_info(uuid, text, text) IS
'Creates a user authentication info in a realm and returns its id; its email is a context word of its passwords. Trusted callers only.';

CREATE FUNCTION pwupdate.create_password_profile_info(realm_id uuid,
													  user_authentication_info_id uuid,
													  body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_create_password_profile_info'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_password_profile_info(uuid, uuid, jsonb) IS
'Creates a password profile info from {"data": {"type": "user_authentication_password_profile_info", "password_profile_id", "username", "password"}}; password and password_profile_id are required. Trusted callers only.';

CREATE FUNCTION pwupdate.get_password_profile_info(realm_id uuid,
												   user_authentication_info_id uuid,
												   password_profile_info_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_get_password_profile_info'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.get_password_profile_info(uuid, uuid, uuid) IS
'Returns a password profile info: {"data": {"id", "username", "meta", "type", "password_profile_id"}, "links": {"self"}}. Claims need the realm_id of the path; the header ep-account-management-authentication-token, if sent, must be a live token of this user authentication info.';

CREATE FUNCTION pwupdate.update_password_profile_info(realm_id uuid,
													  user_authentication_info_id uuid,
													  password_profile_info_id uuid,
													  body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_update_password_profile_info'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.update_password_profile_info(uuid, uuid, uuid, jsonb) IS
'Updates a password profile info (PUT) from {"data": {"type", "password_profile_id", "username", "password", "id"}}: type and password_profile_id required, absent username and password keep their values. Claims need the realm_id of the path; the header ep-account-management-authentication-token, if sent, must be a live token of this user authentication info.';

CREATE FUNCTION pwupdate.create_account_member_token(realm_id uuid,
													 user_authentication_info_id uuid)
RETURNS text
AS 'MODULE_PATHNAME', 'pwupdate_create_account_member_token'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_account_member_token(uuid, uuid) IS
'Issues an account management authentication token for a user authentication info, valid for pwupdate.member_token_ttl; the token is shown only here. Trusted callers only.';

CREATE FUNCTION pwupdate.revoke_account_member_token(token text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_revoke_account_member_token'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.revoke_account_member_token(text) IS
'Ends one account management authentication token; returns whether it existed. Trusted callers only.';

CREATE FUNCTION pwupdate.revoke_account_member_tokens(realm_id uuid,
													  user_authentication_info_id uuid)
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_revoke_account_member_tokens'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.revoke_account_member_tokens(uuid, uuid) IS
'Ends every account management authentication token of a user authentication info; returns how many there were. Trusted callers only.';

CREATE FUNCTION pwupdate.purge_expired_account_member_tokens()
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_purge_expired_account_member_tokens'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.purge_expired_account_member_tokens() IS
'Deletes expired account management authentication tokens; returns how many. Trusted callers only; meant for a periodic maintenance job.';

GRANT EXECUTE ON FUNCTION
	pwupdate.get_password_profile_info(uuid, uuid, uuid),
	pwupdate.update_password_profile_info(uuid, uuid, uuid, jsonb)
TO pwupdate_api, pwupdate_admin;

GRANT EXECUTE ON FUNCTION
	pwupdate.create_realm(text),
	pwupdate.create_password_profile(uuid, text),
	pwupdate.create_user_authentication_info(uuid, text, text),
	pwupdate.create_password_profile_info(uuid, uuid, jsonb),
	pwupdate.create_account_member_token(uuid, uuid),
	pwupdate.revoke_account_member_token(text),
	pwupdate.revoke_account_member_tokens(uuid, uuid),
	pwupdate.purge_expired_account_member_tokens()
TO pwupdate_admin;

--------------------------------------------------------------------------
-- Customer password resets (seed 002)
--------------------------------------------------------------------------

-- Commerce Layer's customers.  Ids are short random strings like the
-- seed's "xYZkjABcde"; a customer created without a password gets one
-- through a reset.
CREATE TABLE pwupdate.customer (
	id				text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9]{10}$'),
	email			text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	password_hash	text,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);

CREATE UNIQUE INDEX customer_email_key ON pwupdate.customer (pg_catalog.lower(email));

COMMENT ON TABLE pwupdate.customer IS
'Customers of seed 002 (Commerce Layer). password_hash is readable by no role but the owner.';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.customer', '');

REVOKE ALL ON pwupdate.customer FROM PUBLIC;
GRANT SELECT (id, email, created_at, updated_at) ON pwupdate.customer TO pwupdate_admin;

/*
 * One row per reset: the token's SHA-256 digest, never the token.  A reset
 * is open until it is used (reset_password_at), voided by another password
 * change of its customer (voided_at) or expired.  It expires at expires_at,
 * set from pwupdate.reset_token_ttl when it is created, or earlier when the
 * setting is lowered later.  Resets are not dumped: a restore voids them.
 */
CREATE TABLE pwupdate.customer_password_reset (
	id					text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9]{10}$'),
	customer_id			text NOT NULL REFERENCES pwupdate.customer (id)
						ON UPDATE CASCADE ON DELETE CASCADE,
	token_digest		text NOT NULL CHECK (token_digest ~ '^[0-9a-f]{64}$'),
	reference			text,
	reference_origin	text,
	metadata			jsonb NOT NULL DEFAULT '{}'
						CHECK (pg_catalog.jsonb_typeof(metadata) = 'object'),
	created_at			timestamptz NOT NULL,
	updated_at			timestamptz NOT NULL,
	expires_at			timestamptz NOT NULL,
	reset_password_at	timestamptz,
	voided_at			timestamptz,
	CHECK (reset_password_at IS NULL OR voided_at IS NULL)
);

CREATE INDEX customer_password_reset_open_idx ON pwupdate.customer_password_reset (customer_id)
	WHERE reset_password_at IS NULL AND voided_at IS NULL;
CREATE INDEX customer_password_reset_expires_at_idx
	ON pwupdate.customer_password_reset (expires_at);

COMMENT ON TABLE pwupdate.customer_password_reset IS
'Customer password resets: SHA-256 digests of one-time tokens, never the tokens. token_digest is readable by no role but the owner.';

REVOKE ALL ON pwupdate.customer_password_reset FROM PUBLIC;
GRANT SELECT (id, customer_id, reference, reference_origin, metadata, created_at, updated_at,
			  expires_at, reset_password_at, voided_at)
	ON pwupdate.customer_password_reset TO pwupdate_admin;

/*
 * Any password change of a customer voids their open resets, whatever made
 * it: a reset (whose own row is already used when this runs), the generic
 * pwupdate.patch/put('customer', ...), or a DBA's UPDATE.  A change is a new
 * hash that moves updated_at; the transparent rehash of check_password keeps
 * updated_at and voids nothing.  A new email address voids them too: the
 * token went to the old one.
 */
CREATE FUNCTION pwupdate.void_customer_password_resets()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	now timestamptz := pg_catalog.clock_timestamp();
BEGIN
	UPDATE pwupdate.customer_password_reset
	SET voided_at = now, updated_at = now
	WHERE customer_id OPERATOR(pg_catalog.=) NEW.id
	  AND reset_password_at IS NULL AND voided_at IS NULL;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION pwupdate.void_customer_password_resets() IS
'Trigger: voids the open password resets of a customer whose password or email changed.';

CREATE TRIGGER void_password_resets
AFTER UPDATE OF password_hash, email ON pwupdate.customer
FOR EACH ROW
WHEN ((OLD.password_hash IS DISTINCT FROM NEW.password_hash
	   AND OLD.updated_at IS DISTINCT FROM NEW.updated_at)
	  OR OLD.email IS DISTINCT FROM NEW.email)
EXECUTE FUNCTION pwupdate.void_customer_password_resets();

-- A customer is a registered resource, so that check_password('customer',
-- ...) verifies (and upgrades) a customer's password, and trusted callers
-- can read and change customers with get, patch and put.
SELECT pwupdate.register_resource(
	name => 'customer',
	table_name => 'pwupdate.customer',
	key_column => 'id',
	fields => '{
		"id":         {"access": "read_only"},
		"email":      {"access": "read_only", "context_word": true},
		"password":   {"column": "password_hash", "access": "secret"},
		"created_at": {"access": "read_only"},
		"updated_at": {"access": "read_only"}
	}',
	updated_column => 'updated_at');

CREATE FUNCTION pwupdate.create_customer(email text, password text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_create_customer'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_customer(text, text) IS
'Creates a customer: {"id", "email", "created_at", "updated_at"}. The password, if given, passes the policy with the email''s local part as a context word; without one the customer sets it through a reset. Trusted callers only.';

CREATE FUNCTION pwupdate.create_customer_password_reset(customer_email text,
														reference text DEFAULT NULL,
														reference_origin text DEFAULT NULL,
														metadata jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_create_customer_password_reset'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_customer_password_reset(text, text, text, jsonb) IS
'Starts a password reset for the customer with this email and returns it as a JSON:API resource; the only place its one-time token (attributes.reset_password_token) appears. Trusted callers only.';

CREATE FUNCTION pwupdate.get_customer_password_reset(id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_get_customer_password_reset'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.get_customer_password_reset(text) IS
'Returns a customer password reset as a JSON:API resource, with reset_password_token null. Trusted callers only.';

CREATE FUNCTION pwupdate.reset_customer_password(id text, body jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_reset_customer_password'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.reset_customer_password(text, jsonb) IS
'Sets a customer''s password with a reset''s one-time token: {"data": {"type": "customer_password_resets", "id", "attributes": {"customer_password", "_reset_password_token", "reference_origin"}}}. Anyone holding the token may call it; a wrong, expired or used token is one 422 error.';

CREATE FUNCTION pwupdate.purge_expired_resets()
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_purge_expired_resets'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.purge_expired_resets() IS
'Deletes the customer password resets past their expiry, used or not; returns how many. Trusted callers only; meant for a periodic maintenance job.';

GRANT EXECUTE ON FUNCTION pwupdate.reset_customer_password(text, jsonb)
TO pwupdate_api, pwupdate_admin;

GRANT EXECUTE ON FUNCTION
	pwupdate.create_customer(text, text),
	pwupdate.create_customer_password_reset(text, text, text, jsonb),
	pwupdate.get_customer_password_reset(text),
	pwupdate.purge_expired_resets()
TO pwupdate_admin;

--------------------------------------------------------------------------
-- User password change (seed 003)
--------------------------------------------------------------------------

-- PostgREST answers "Accept: text/plain" with the raw text of a function
-- whose result has this media-type domain (PostgREST 12 and later).
CREATE DOMAIN pwupdate."text/plain" AS text;

COMMENT ON DOMAIN pwupdate."text/plain" IS
'Plain text result: served as text/plain by PostgREST when the client accepts it.';

-- The key and hash column names (user_id, password_hash) are what
-- pwupdate.check_password expects of a registered resource.
CREATE TABLE pwupdate.user_account (
	user_id			text PRIMARY KEY
					CHECK (user_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]+$'),
	fed				text NOT NULL
					GENERATED ALWAYS AS (pg_catalog.substring(user_id, '\.([^.]+)$')) STORED,
	email			text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	password_hash	text NOT NULL,
	site_admin		boolean NOT NULL DEFAULT false,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	updated_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);

CREATE UNIQUE INDEX user_account_email_key
	ON pwupdate.user_account (pg_catalog.lower(email));

COMMENT ON TABLE pwupdate.user_account IS
'Users of seed 003 (Akana); ids are "<uuid>.<fed>". Holds password hashes: no grants.';

SELECT pg_catalog.pg_extension_config_dump('pwupdate.user_account', '');

-- Sessions end by deletion; they are not dumped, so a restore signs
-- everyone out.
CREATE TABLE pwupdate.user_session (
	id				uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	user_id			text NOT NULL REFERENCES pwupdate.user_account (user_id)
					ON UPDATE CASCADE ON DELETE CASCADE,
	token_digest	text NOT NULL UNIQUE,
	csrf_digest		text NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	expires_at		timestamptz NOT NULL
);

CREATE INDEX user_session_user_id_idx ON pwupdate.user_session (user_id);
CREATE INDEX user_session_expires_at_idx ON pwupdate.user_session (expires_at);

COMMENT ON TABLE pwupdate.user_session IS
'Sign-in sessions of users: SHA-256 digests of the session and CSRF tokens, never the tokens. No grants.';

CREATE FUNCTION pwupdate.create_user(user_id text, email text, password text,
									 site_admin boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'pwupdate_create_user'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.create_user(text, text, text, boolean) IS
'Creates a user "<uuid>.<fed>" whose password passes the policy (context words: user id, email); returns the user id. Trusted callers only.';

CREATE FUNCTION pwupdate.sign_in(email text, password text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_sign_in'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.sign_in(text, text) IS
'Verifies a user''s email and password and opens a session: returns the cookie name, session token, CSRF header name, CSRF token and expiry. Wrong email or password: one 403 error.';

CREATE FUNCTION pwupdate.change_user_password(user_id text, body jsonb)
RETURNS pwupdate."text/plain"
AS 'MODULE_PATHNAME', 'pwupdate_change_user_password'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.change_user_password(text, jsonb) IS
'Changes a user''s password from {"OldPassword", "NewPassword"}: self with the old password, a site admin or a trusted caller without it. Ends the user''s other sessions; returns the user id as plain text.';

CREATE FUNCTION pwupdate.list_user_sessions(user_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pwupdate_list_user_sessions'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.list_user_sessions(text) IS
'Lists a user''s live sessions as [{"session_id", "created_at", "expires_at"}], without tokens. Trusted callers only.';

CREATE FUNCTION pwupdate.revoke_user_session(session_id uuid)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pwupdate_revoke_user_session'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.revoke_user_session(uuid) IS
'Ends one session; returns whether it existed. Trusted callers only.';

CREATE FUNCTION pwupdate.revoke_user_sessions(user_id text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_revoke_user_sessions'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.revoke_user_sessions(text) IS
'Ends every session of a user; returns how many there were. Trusted callers only.';

CREATE FUNCTION pwupdate.purge_expired_sessions()
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_purge_expired_sessions'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.purge_expired_sessions() IS
'Deletes expired sessions; returns how many. Trusted callers only; meant for a periodic maintenance job.';

GRANT EXECUTE ON FUNCTION
	pwupdate.sign_in(text, text),
	pwupdate.change_user_password(text, jsonb)
TO pwupdate_api, pwupdate_admin;

GRANT EXECUTE ON FUNCTION
	pwupdate.create_user(text, text, text, boolean),
	pwupdate.list_user_sessions(text),
	pwupdate.revoke_user_session(uuid),
	pwupdate.revoke_user_sessions(text),
	pwupdate.purge_expired_sessions()
TO pwupdate_admin;

--------------------------------------------------------------------------
-- DBA maintenance
--------------------------------------------------------------------------

/*
 * Functions for DBAs and their psql scripts (maintenance/): purging what
 * has expired, a report of the stored hashes, bulk import of hashes made
 * elsewhere, and forced password resets.  They work on "accounts": the rows
 * of every registered resource with a secret field, and the users of seed
 * 003 under the name 'user'.  All are trusted-only.
 */

/*
 * A procedure, so that it can commit after each batch.  PostgreSQL allows
 * no transaction control in a SECURITY DEFINER procedure or in one with a
 * SET clause, so it runs as its caller: the C code checks that the caller
 * is trusted and runs each batch as the table's owner with search_path
 * pinned to pg_catalog, pg_temp.
 */
CREATE PROCEDURE pwupdate.purge_expired(batch_size integer DEFAULT 10000,
										progress_every integer DEFAULT 10,
										INOUT purged jsonb DEFAULT NULL)
AS 'MODULE_PATHNAME', 'pwupdate_purge_expired'
LANGUAGE C;

COMMENT ON PROCEDURE pwupdate.purge_expired(integer, integer, jsonb) IS
'Deletes expired sessions, account member tokens and reset tokens in batches of batch_size rows, committing after each batch (outside a transaction block) and skipping rows others have locked; a NOTICE every progress_every batches of a table. Returns {"user_session": n, ...}. Trusted callers only.';

-- "ALL FUNCTIONS" at the end of the script does not cover procedures.
REVOKE ALL ON PROCEDURE pwupdate.purge_expired(integer, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE pwupdate.purge_expired(integer, integer, jsonb) TO pwupdate_admin;

CREATE FUNCTION pwupdate.hash_info(hash text, OUT algorithm text, OUT parameters text,
								   OUT needs_rehash boolean)
AS 'MODULE_PATHNAME', 'pwupdate_hash_info'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pwupdate.hash_info(text) IS
'Names a stored hash''s algorithm and parameter set from its text, without verifying anything, and tells whether it needs a rehash.';

CREATE FUNCTION pwupdate.hash_report()
RETURNS TABLE (resource text, algorithm text, parameters text, hashes bigint, needs_rehash bigint)
AS 'MODULE_PATHNAME', 'pwupdate_hash_report'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.hash_report() IS
'Counts the stored hashes of every account resource (registered resources with a secret, and users) per algorithm and parameter set, with how many need a rehash. Trusted callers only.';

GRANT EXECUTE ON FUNCTION
	pwupdate.hash_info(text),
	pwupdate.hash_report()
TO pwupdate_admin;

CREATE FUNCTION pwupdate.check_hash_import(resource text, hashes jsonb,
										   overwrite boolean DEFAULT false)
RETURNS TABLE (row_number integer, id text, problem text)
AS 'MODULE_PATHNAME', 'pwupdate_check_hash_import'
LANGUAGE C STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.check_hash_import(text, jsonb, boolean) IS
'Lists every row import_hashes would refuse, with its number, id and problem; imports nothing. Trusted callers only.';

CREATE FUNCTION pwupdate.import_hashes(resource text, hashes jsonb,
									   overwrite boolean DEFAULT false)
RETURNS bigint
AS 'MODULE_PATHNAME', 'pwupdate_import_hashes'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.import_hashes(text, jsonb, boolean) IS
'Sets the password hashes of existing accounts from [{"id": ..., "hash": ...}]: bcrypt ($2a$, $2b$, $2y$), Argon2id, Argon2i and pgcrypto''s md5-crypt, extended DES and DES. All rows or none; accounts that have a password need overwrite. Returns how many. Trusted callers only.';

GRANT EXECUTE ON FUNCTION
	pwupdate.check_hash_import(text, jsonb, boolean),
	pwupdate.import_hashes(text, jsonb, boolean)
TO pwupdate_admin;

/*
 * One-time tokens of forced password resets, for any account: SHA-256
 * digests, never the tokens.  A token is deleted when it is used, when a
 * new reset of its account replaces it, and by purge_expired.  Not dumped,
 * so a restore ends them (the passwords stay voided: force a reset again).
 */
CREATE TABLE pwupdate.reset_token (
	id				uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
	resource		text NOT NULL,
	resource_id		text NOT NULL,
	token_digest	text NOT NULL UNIQUE CHECK (token_digest ~ '^[0-9a-f]{64}$'),
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	expires_at		timestamptz NOT NULL
);

CREATE INDEX reset_token_account_idx ON pwupdate.reset_token (resource, resource_id);
CREATE INDEX reset_token_expires_at_idx ON pwupdate.reset_token (expires_at);

COMMENT ON TABLE pwupdate.reset_token IS
'Reset tokens of forced password resets: SHA-256 digests of one-time tokens, never the tokens. No grants.';

REVOKE ALL ON pwupdate.reset_token FROM PUBLIC;

CREATE FUNCTION pwupdate.force_password_reset(resource text, ids text[])
RETURNS TABLE (id text, reset_token text, expires_at timestamptz)
AS 'MODULE_PATHNAME', 'pwupdate_force_password_reset'
LANGUAGE C VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.force_password_reset(text, text[]) IS
'Voids the passwords of accounts (ending users'' sessions) and returns a one-time reset token for each, valid for pwupdate.reset_token_ttl and shown only here. Every id must exist, or nothing is reset. Trusted callers only.';

CREATE FUNCTION pwupdate.reset_password(resource text, id text, reset_token text,
										new_password text)
RETURNS void
AS 'MODULE_PATHNAME', 'pwupdate_reset_password'
LANGUAGE C VOLATILE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION pwupdate.reset_password(text, text, text, text) IS
'Sets a new password (through the policy) on an account whose password a forced reset voided, with the reset token it issued; a wrong, expired or used token is one 422 error. Trusted callers only.';

GRANT EXECUTE ON FUNCTION
	pwupdate.force_password_reset(text, text[]),
	pwupdate.reset_password(text, text, text, text)
TO pwupdate_admin;

--------------------------------------------------------------------------
-- Serving through PostgREST
--------------------------------------------------------------------------

/*
 * PostgREST logs in as an authenticator role and switches, per request, to
 * the anonymous role or to the role named in the JWT.  Both of those get
 * pwupdate_api (EXECUTE on the API functions, nothing else); the
 * authenticator gets pwupdate_gateway, so that pwupdate believes the claims
 * it sets.  Trusted-only functions are not granted to pwupdate_api, so
 * through PostgREST they fail with 42501 (401 or 403) before they run.
 */
CREATE FUNCTION pwupdate.setup_postgrest(authenticator name DEFAULT 'authenticator',
										 anon name DEFAULT 'anon',
										 authenticated name DEFAULT 'authenticated')
RETURNS TABLE (role_name name, created boolean, can_login boolean, member_of name[])
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	wanted		name[] := ARRAY[authenticator, anon, authenticated];
	created_now name[] := '{}';
	r			record;
	g			record;
BEGIN
	IF authenticator IS NULL OR anon IS NULL OR authenticated IS NULL THEN
		RAISE EXCEPTION 'role names must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF authenticator IN (anon, authenticated) THEN
		RAISE EXCEPTION 'the authenticator role must differ from the roles it switches to'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = pg_catalog.format('Role "%s" was given as the authenticator and as a request role.', authenticator);
	END IF;
	FOR r IN SELECT u.name FROM pg_catalog.unnest(wanted) AS u(name)
			 WHERE u.name IN ('pwupdate_admin', 'pwupdate_api', 'pwupdate_gateway', 'public')
				OR u.name LIKE 'pg\_%'
	LOOP
		RAISE EXCEPTION 'role name "%" is reserved', r.name
			USING ERRCODE = 'reserved_name';
	END LOOP;

	-- Existing roles must not carry more than the API: no superuser, no
	-- pwupdate_admin (its members read the audit trail and run trusted-only
	-- functions, and PostgREST would expose that).
	FOR r IN SELECT a.rolname, a.rolsuper, a.rolinherit
			 FROM pg_catalog.pg_roles a WHERE a.rolname = ANY (wanted)
	LOOP
		IF r.rolsuper THEN
			RAISE EXCEPTION 'role "%" is a superuser', r.rolname
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'PostgREST''s roles must have no more privileges than the API needs.';
		END IF;
		IF pg_catalog.pg_has_role(r.rolname, 'pwupdate_admin', 'MEMBER') THEN
			RAISE EXCEPTION 'role "%" is a member of pwupdate_admin', r.rolname
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'PostgREST''s roles must have no more privileges than the API needs.',
					  HINT = 'Revoke pwupdate_admin from it, or name other roles.';
		END IF;
		IF r.rolname = authenticator AND r.rolinherit THEN
			RAISE WARNING 'role "%" inherits the privileges of the roles it switches to', r.rolname
				USING HINT = pg_catalog.format('PostgREST''s authenticator should be NOINHERIT: ALTER ROLE %I NOINHERIT.', r.rolname);
		END IF;
	END LOOP;

	-- Create what is missing: cluster-wide, kept by DROP EXTENSION.
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles a WHERE a.rolname = authenticator) THEN
		EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN NOINHERIT', authenticator);
		created_now := created_now || authenticator;
	END IF;
	FOR r IN SELECT DISTINCT u.name FROM pg_catalog.unnest(ARRAY[anon, authenticated]) AS u(name)
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles a WHERE a.rolname = r.name) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
			created_now := created_now || r.name;
		END IF;
	END LOOP;

	-- Memberships, each granted once.
	FOR g IN SELECT * FROM (VALUES ('pwupdate_api'::name, anon),
								   ('pwupdate_api', authenticated),
								   (anon, authenticator),
								   (authenticated, authenticator),
								   ('pwupdate_gateway', authenticator)) AS v(grp, member)
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m
					   WHERE m.roleid = pg_catalog.to_regrole(pg_catalog.quote_ident(g.grp))
						 AND m.member = pg_catalog.to_regrole(pg_catalog.quote_ident(g.member))) THEN
			EXECUTE pg_catalog.format('GRANT %I TO %I', g.grp, g.member);
		END IF;
	END LOOP;

	RETURN QUERY
		SELECT a.rolname, a.rolname = ANY (created_now), a.rolcanlogin,
			   ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m
					 JOIN pg_catalog.pg_roles b ON b.oid = m.roleid
					 WHERE m.member = a.oid ORDER BY b.rolname)
		FROM (SELECT u.name, pg_catalog.min(u.ord) AS ord
			  FROM pg_catalog.unnest(wanted) WITH ORDINALITY AS u(name, ord)
			  GROUP BY u.name) AS w
		JOIN pg_catalog.pg_roles a ON a.rolname = w.name
		ORDER BY w.ord;
END
$$;

COMMENT ON FUNCTION pwupdate.setup_postgrest(name, name, name) IS
'Creates PostgREST''s authenticator, anonymous and authenticated roles if missing and grants them what pwupdate needs: pwupdate_api to the request roles, those and pwupdate_gateway to the authenticator. Idempotent. Superuser only.';

-- Tell a running PostgREST (which listens on channel pgrst by default) to
-- reload its schema cache.  Notifications are delivered at commit, so this
-- takes effect once the whole script has run.  Every upgrade script ends
-- with the same statement.
NOTIFY pgrst, 'reload schema';

--------------------------------------------------------------------------
-- Privileges
--------------------------------------------------------------------------

-- Functions are executable by PUBLIC by default; only the grants above stand.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pwupdate FROM PUBLIC;
