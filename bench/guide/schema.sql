-- patch_login in PL/pgSQL with pgcrypto, the way PostgREST's "SQL User
-- Management" guide teaches: the credentials in a private schema
-- basic_auth, a BEFORE INSERT OR UPDATE trigger that hashes the password
-- column with crypt(pass, gen_salt('bf')), so that changing a password is
-- a plain UPDATE of the column, and a SECURITY DEFINER function in the
-- exposed schema (here api) that PostgREST calls as POST /rpc/patch_login.
--
-- The function does what pwupdate.patch_login does for the same request,
-- so that the two are compared for equal work: the caller's claims (a
-- subject, the scope oauth.update or oauth.manage, the partner), the row
-- locked, 404 for a missing login and for another partner's, each member
-- of the body checked (unknown field and wrong JSON type 400, read-only
-- field with another value 422), the password policy (length, repetition,
-- sequence, the login as a context word, the blocklist, after NFKC), the
-- write, one audit row, and the login as JSON.  It does not wipe
-- plaintext copies, and its checks run in PL/pgSQL.
CREATE SCHEMA basic_auth;
CREATE SCHEMA api;

CREATE TABLE basic_auth.partner_login (
	login_sid		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	login			text NOT NULL UNIQUE CHECK (login <> ''),
	partner_sid		uuid NOT NULL,
	token_scopes	text[] NOT NULL DEFAULT '{}',
	pass			text NOT NULL CHECK (length(pass) < 512),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON basic_auth.partner_login (partner_sid);

CREATE TABLE basic_auth.audit (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at			timestamptz NOT NULL DEFAULT clock_timestamp(),
	resource	text NOT NULL,
	resource_id text NOT NULL,
	action		text NOT NULL,
	actor_role	text,
	actor_sub	text,
	channel		text NOT NULL
);

-- The same words as pwupdate's blocklist.
CREATE TABLE basic_auth.blocklist (word text PRIMARY KEY);
INSERT INTO basic_auth.blocklist SELECT word FROM pwupdate.blocklist;

\set cost 12
\ir encrypt_pass.sql

CREATE TRIGGER encrypt_pass
	BEFORE INSERT OR UPDATE ON basic_auth.partner_login
	FOR EACH ROW EXECUTE PROCEDURE basic_auth.encrypt_pass();

CREATE FUNCTION basic_auth.check_password_policy(password text, login text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	p text := lower(normalize(password, NFKC));
	n int := length(p);
	step int;
BEGIN
	IF n < 8 THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password is too short';
	END IF;
	IF n > 128 THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password is too long';
	END IF;
	IF p ~ '^(.+)\1+$' THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password is too repetitive';
	END IF;
	step := ascii(substr(p, 2, 1)) - ascii(substr(p, 1, 1));
	IF abs(step) = 1 AND NOT EXISTS (
		SELECT FROM generate_series(3, n) AS i
		WHERE ascii(substr(p, i, 1)) - ascii(substr(p, i - 1, 1)) <> step) THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password is a simple sequence';
	END IF;
	IF length(login) >= 3 AND strpos(p, lower(login)) > 0 THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password must not contain the login';
	END IF;
	IF EXISTS (SELECT FROM basic_auth.blocklist WHERE word = p) THEN
		RAISE SQLSTATE 'PT422' USING MESSAGE = 'password is too common';
	END IF;
END
$$;

CREATE FUNCTION api.patch_login(login_sid uuid, body jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
	claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
	scopes text[];
	cur basic_auth.partner_login;
	field text;
	value jsonb;
	new_password text;
BEGIN
	IF claims IS NULL OR NOT claims ? 'sub' THEN
		RAISE SQLSTATE 'PT401' USING MESSAGE = 'authentication required';
	END IF;
	scopes := string_to_array(claims ->> 'scope', ' ');
	IF jsonb_typeof(claims -> 'scopes') = 'array' THEN
		scopes := scopes || ARRAY(SELECT jsonb_array_elements_text(claims -> 'scopes'));
	END IF;
	IF NOT coalesce(scopes && '{oauth.manage,oauth.update}', false) THEN
		RAISE SQLSTATE 'PT403' USING MESSAGE = 'missing required scope';
	END IF;

	SELECT * INTO cur FROM basic_auth.partner_login AS l
	WHERE l.login_sid = patch_login.login_sid FOR UPDATE;
	IF NOT FOUND OR cur.partner_sid::text IS DISTINCT FROM lower(claims ->> 'partner_sid') THEN
		RAISE SQLSTATE 'PT404' USING MESSAGE = 'login not found';
	END IF;

	IF jsonb_typeof(body) IS DISTINCT FROM 'object' THEN
		RAISE SQLSTATE '22023' USING MESSAGE = 'request body must be a JSON object';
	END IF;
	FOR field, value IN SELECT * FROM jsonb_each(body) LOOP
		CASE field
			WHEN 'login', 'login_sid', 'partner_sid', 'password' THEN
				IF jsonb_typeof(value) <> 'string' THEN
					RAISE SQLSTATE '22023' USING MESSAGE = 'wrong JSON type',
						DETAIL = format('Field "/%s" must be a string.', field);
				END IF;
			WHEN 'token_scopes' THEN
				IF jsonb_typeof(value) <> 'array' THEN
					RAISE SQLSTATE '22023' USING MESSAGE = 'wrong JSON type',
						DETAIL = 'Field "/token_scopes" must be an array.';
				END IF;
			ELSE
				RAISE SQLSTATE '22023' USING MESSAGE = 'unrecognized field in request body',
					DETAIL = format('Field "/%s" is not recognized.', field);
		END CASE;
		IF field = 'password' THEN
			new_password := value #>> '{}';
		ELSIF (field = 'login' AND value #>> '{}' <> cur.login)
			OR (field = 'login_sid' AND lower(value #>> '{}') <> cur.login_sid::text)
			OR (field = 'partner_sid' AND lower(value #>> '{}') <> cur.partner_sid::text)
			OR (field = 'token_scopes' AND value <> to_jsonb(cur.token_scopes)) THEN
			RAISE SQLSTATE 'PT422' USING MESSAGE = 'cannot change read-only field',
				DETAIL = format('Field "/%s" is read-only.', field);
		END IF;
	END LOOP;

	IF new_password IS NOT NULL THEN
		PERFORM basic_auth.check_password_policy(new_password, cur.login);
		UPDATE basic_auth.partner_login AS l
		SET pass = normalize(new_password, NFKC), updated_at = now()
		WHERE l.login_sid = cur.login_sid;
		INSERT INTO basic_auth.audit (resource, resource_id, action, actor_role, actor_sub, channel)
		VALUES ('partner_login', cur.login_sid, 'patch', current_setting('role'), claims ->> 'sub',
				'postgrest');
	END IF;
	RETURN jsonb_build_object('login', cur.login, 'login_sid', cur.login_sid,
							  'partner_sid', cur.partner_sid, 'token_scopes', cur.token_scopes);
END
$$;

REVOKE ALL ON FUNCTION api.patch_login(uuid, jsonb) FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO anon, authenticated;
GRANT EXECUTE ON FUNCTION api.patch_login(uuid, jsonb) TO authenticated;
