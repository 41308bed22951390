-- Customers of seed 002 (Commerce Layer, contract section 6): created by
-- trusted callers only, with short random ids, an optional password that
-- passes the policy, and the registered resource "customer" behind
-- check_password.
\set VERBOSITY default

-- try() runs one statement and shows its result, or the error as a
-- PostgREST client would see it: SQLSTATE, message and detail.
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
	RETURN state || ': ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

-- A customer object with its random parts checked by shape and masked.
CREATE FUNCTION pg_temp.masked(customer jsonb) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT customer
		|| jsonb_build_object('id', CASE WHEN customer->>'id' ~ '^[A-Za-z0-9]{10}$'
										 THEN '<id>' ELSE 'bad id: ' || (customer->>'id') END)
		|| jsonb_build_object('created_at', CASE WHEN customer->>'created_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
												 THEN '<timestamp>' ELSE customer->>'created_at' END)
		|| jsonb_build_object('updated_at', CASE WHEN customer->>'updated_at' = customer->>'created_at'
												 THEN '<created_at>'
												 WHEN customer->>'updated_at' > customer->>'created_at'
												 THEN '<later>' ELSE customer->>'updated_at' END)
$$;

-- The seed's customer, with a password, and one without: a customer without
-- a password gets one through a reset.
SELECT pg_temp.masked(pwupdate.create_customer('john@example.com', 'Blue harbour 1968')) AS john;
SELECT pg_temp.masked(pwupdate.create_customer(email => 'mary@example.com')) AS mary;
SELECT pg_temp.masked(pwupdate.create_customer('Dana.Scully@Example.com', password => NULL)) AS dana;

-- Ids are ten random letters and digits; no two alike.
SELECT count(*) AS customers, count(DISTINCT id) AS distinct_ids,
	   bool_and(id ~ '^[A-Za-z0-9]{10}$') AS id_shape
FROM pwupdate.customer;
SELECT id AS john_id FROM pwupdate.customer WHERE email = 'john@example.com' \gset
SELECT id AS mary_id FROM pwupdate.customer WHERE email = 'mary@example.com' \gset

-- The hash is stored, never the password; no password, no hash.
SELECT email, password_hash LIKE '$argon2id$%' AS argon2id, password_hash IS NULL AS no_password,
	   created_at = updated_at AS never_updated
FROM pwupdate.customer ORDER BY email;

-- Creation is audited, without any secret.
SELECT resource, action, actor_role, actor_sub, channel
FROM pwupdate.audit WHERE resource = 'customer' ORDER BY id;

-- Arguments: a null email (400), an address that is not one (400), an
-- address already in use, compared case-insensitively (409).
SELECT pwupdate.create_customer(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.try($$SELECT pwupdate.create_customer('john')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('@example.com')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('john@')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('john@doe@example.com')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('john doe@example.com')$$);
SELECT pwupdate.create_customer('JOHN@EXAMPLE.COM', 'Another harbour 1969');
\echo :LAST_ERROR_SQLSTATE

-- The password passes the policy (422), with the email's local part as a
-- context word.
SELECT pwupdate.create_customer('fox.mulder@example.com', 'secret');
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.try($$SELECT pwupdate.create_customer('fox.mulder@example.com', 'I am Fox.Mulder 1993')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('fox.mulder@example.com', 'password1')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer('fox.mulder@example.com', 'abababababab')$$);
SELECT count(*) AS customers FROM pwupdate.customer;
-- Only the local part: the domain is shared by many and is no secret.
SELECT pg_temp.masked(pwupdate.create_customer('fox.mulder@example.com', 'Trust no one at example.com')) ->> 'email' AS created;

-- check_password('customer', ...) verifies a customer's password; an
-- unknown id and a customer without a password are false, at the same cost.
SELECT pwupdate.check_password('customer', :'john_id', 'Blue harbour 1968') AS right_password,
	   pwupdate.check_password('customer', :'john_id', 'Blue harbour 1969') AS wrong_password,
	   pwupdate.check_password('customer', 'NoSuchId00', 'Blue harbour 1968') AS unknown_id,
	   pwupdate.check_password('customer', :'mary_id', '') AS no_password;

-- A hash made under other settings is upgraded when it verifies, without
-- moving updated_at (a rehash is not a password change).
SELECT password_hash AS john_hash, updated_at AS john_updated FROM pwupdate.customer WHERE id = :'john_id' \gset
SET pwupdate.argon2_iterations = 2;
SELECT pwupdate.check_password('customer', :'john_id', 'Blue harbour 1968') AS verified;
SELECT password_hash <> :'john_hash' AS rehashed, password_hash LIKE '$argon2id$v=19$m=64,t=2,p=1$%' AS new_settings,
	   updated_at = :'john_updated' AS updated_at_kept
FROM pwupdate.customer WHERE id = :'john_id';
RESET pwupdate.argon2_iterations;
SELECT action FROM pwupdate.audit WHERE resource_id = :'john_id' ORDER BY id;

-- The registered resource: trusted callers read a customer (no password,
-- ever) and may change the password through the engine.
SELECT pg_temp.masked(pwupdate.get('customer', :'mary_id')) AS mary;
SELECT pg_temp.masked(pwupdate.patch('customer', :'mary_id', '{"password": "Lighthouse at dawn 7"}')) AS patched;
SELECT pwupdate.check_password('customer', :'mary_id', 'Lighthouse at dawn 7') AS mary_has_a_password;
SELECT pg_temp.try(format('SELECT pwupdate.patch(%L, %L, %L)', 'customer', :'mary_id', '{"email": "mary@example.org"}'));
SELECT pg_temp.try(format('SELECT pwupdate.patch(%L, %L, %L)', 'customer', :'mary_id', '{"customer_password": "x"}'));
SELECT pg_temp.try($$SELECT pwupdate.get('customer', 'NoSuchId00')$$);

-- Trusted callers only: the API role may not execute it (42501), and SQL
-- roles outside pwupdate_admin are refused (42501).
CREATE ROLE regress_customers_web;
GRANT pwupdate_api TO regress_customers_web;
CREATE ROLE regress_customers_dba;
GRANT pwupdate_admin TO regress_customers_dba;
SET ROLE regress_customers_web;
SELECT pwupdate.create_customer('eve@example.com', 'Eavesdropping 2024');
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.try($$SELECT pwupdate.get('customer', 'NoSuchId00')$$) AS get_as_untrusted;
RESET ROLE;
SET ROLE regress_customers_dba;
-- A back-office role is trusted.
SELECT pg_temp.masked(pwupdate.create_customer('walter@example.com')) ->> 'email' AS created_by_dba;
RESET ROLE;
SELECT actor_role FROM pwupdate.audit ORDER BY id DESC LIMIT 1;

DROP ROLE regress_customers_web;
DROP ROLE regress_customers_dba;

-- One statement that creates a customer and then uses it finds it; two
-- creations of one address in one statement give the documented conflict,
-- not the unique index's own error.
SELECT pwupdate.create_customer_password_reset(c ->> 'email') #>> '{data,attributes,customer_email}' AS reset_for
FROM pwupdate.create_customer('same.statement@example.com') AS c;
SELECT pg_temp.try($$SELECT count(pwupdate.create_customer(e))
	FROM unnest(ARRAY['twice@example.com', 'TWICE@example.com']) AS e$$) AS twice;
SELECT count(*) AS twice_created FROM pwupdate.customer WHERE lower(email) = 'twice@example.com';

DELETE FROM pwupdate.customer;
