-- reset_customer_password (contract section 6): the seed's sample request
-- and response, the body's rules (400 and 422), the token's rules (one 422
-- error for a wrong, used, voided or expired token), reference_origin, and
-- what a success voids.  Callers are in 34_resets_callers; expiry and the
-- lockout in 33_resets_expiry_lockout.
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
	RETURN state || ': ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;

-- A reset request's body, in the seed's shape; extra is merged into the
-- attributes.
CREATE FUNCTION pg_temp.body(id text, password text, token text, extra jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('data', jsonb_build_object(
		'type', 'customer_password_resets', 'id', id,
		'attributes', jsonb_build_object('customer_password', password,
										 '_reset_password_token', token) || extra))
$$;

-- How many rows of any table outside the system schemas hold a string.
CREATE FUNCTION pg_temp.rows_holding(needle text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	col record;
	hits bigint;
	total bigint := 0;
BEGIN
	FOR col IN
		SELECT c.oid::regclass AS tab, a.attname
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE %I::text LIKE $1', col.tab, col.attname)
			INTO hits USING '%' || needle || '%';
		total := total + hits;
	END LOOP;
	RETURN total;
END
$$;

-- reset_customer_password through try(): the result's attributes, or the error.
CREATE FUNCTION pg_temp.reset(id text, body jsonb) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.try(format('SELECT pwupdate.reset_customer_password(%L, %L) #> %L',
							  id, body, '{data,attributes}'))
$$;

-- Gives a reset a known id and token, so that requests can be written out.
CREATE FUNCTION pg_temp.known(reference text, new_id text, token text) RETURNS text
LANGUAGE sql AS $$
	UPDATE pwupdate.customer_password_reset
	SET id = new_id, token_digest = encode(sha256(convert_to(token, 'UTF8')), 'hex')
	WHERE customer_password_reset.reference = known.reference
	RETURNING id
$$;

-- The settings of the seed's response.
SET pwupdate.base_url = 'https://yourdomain.commercelayer.io';
SET pwupdate.mode = 'test';
SET pwupdate.organization_id = 'xRRkjDFafe';

-- The seed's customer and reset.  Ids and tokens are random; the seed's are
-- put in place so that the seed's request can be sent exactly as written.
SELECT pwupdate.create_customer('john@example.com', 'Blue harbour 1968') ->> 'id' AS john_id \gset
SELECT pwupdate.create_customer_password_reset('john@example.com', 'ANY-EXTERNAL-REFEFERNCE',
		'ANY-EXTERNAL-REFEFERNCE-ORIGIN', '{"foo": "bar"}') IS NOT NULL AS created;
SELECT pg_temp.known('ANY-EXTERNAL-REFEFERNCE', 'xYZkjABcde', 'xhFfkmfybsLxzaAP6xcs');

-- The seed's request, PATCH /api/customer_password_resets/xYZkjABcde, as
-- written: its sample password "secret" is refused by the policy (at least
-- 8 characters), and the token is not used up by the refusal.
SELECT pwupdate.reset_customer_password(id => 'xYZkjABcde', body => '{
"data": {
"type": "customer_password_resets",
"id": "xYZkjABcde",
"attributes": {
"customer_password": "secret",
"_reset_password_token": "xhFfkmfybsLxzaAP6xcs"
}
}
}');
\echo :LAST_ERROR_SQLSTATE

-- The same request with a password the policy accepts: 200 and the seed's
-- response, exactly, once the clock's and the trace id's values are put in,
-- but for reset_password_token: the seed echoes the spent token, pwupdate
-- never hands a token back and shows null.
SELECT pwupdate.reset_customer_password(id => 'xYZkjABcde', body => '{
"data": {
"type": "customer_password_resets",
"id": "xYZkjABcde",
"attributes": {
"customer_password": "Sunset over Lisbon 2018",
"_reset_password_token": "xhFfkmfybsLxzaAP6xcs"
}
}
}') AS response \gset
SELECT jsonb_pretty(jsonb_set(jsonb_set(:'response', '{data,meta,trace_id}', '"<64 hex digits>"'),
							  '{data,attributes}', (:'response'::jsonb #> '{data,attributes}')
							  || '{"created_at": "<t0>", "updated_at": "<t1>", "reset_password_at": "<t1>"}'));
SELECT :'response'::jsonb #>> '{data,meta,trace_id}' ~ '^[0-9a-f]{64}$' AS trace_id_shape,
	   :'response'::jsonb #>> '{data,attributes,reset_password_at}' = :'response'::jsonb #>> '{data,attributes,updated_at}' AS reset_at_is_updated_at,
	   :'response'::jsonb #>> '{data,attributes,updated_at}' > :'response'::jsonb #>> '{data,attributes,created_at}' AS updated_after_created;
SELECT jsonb_set(jsonb_set(jsonb_set(jsonb_set(:'response', '{data,meta,trace_id}',
		'"69abaa3545913c78132e5578bd26208d44aa9043647d78698fd0021f3958cd74"'),
		'{data,attributes,created_at}', '"2018-01-01T12:00:00.000Z"'),
		'{data,attributes,updated_at}', '"2018-01-01T12:00:00.000Z"'),
		'{data,attributes,reset_password_at}', '"2018-01-01T12:00:00.000Z"') = '{
"data" : {
"id" : "xYZkjABcde" ,
"type" : "customer_password_resets" ,
"links" : {
"self" : "https://yourdomain.commercelayer.io/api/customer_password_resets/xYZkjABcde"
} ,
"attributes" : {
"customer_email" : "john@example.com" ,
"reset_password_token" : null ,
"reset_password_at" : "2018-01-01T12:00:00.000Z" ,
"created_at" : "2018-01-01T12:00:00.000Z" ,
"updated_at" : "2018-01-01T12:00:00.000Z" ,
"reference" : "ANY-EXTERNAL-REFEFERNCE" ,
"reference_origin" : "ANY-EXTERNAL-REFEFERNCE-ORIGIN" ,
"metadata" : {
"foo" : "bar"
}
} ,
"relationships" : {
"customer" : {
"links" : {
"self" : "https://yourdomain.commercelayer.io/api/customer_password_resets/xYZkjABcde/relationships/customer" ,
"related" : "https://yourdomain.commercelayer.io/api/customer_password_resets/xYZkjABcde/customer"
}
} ,
"events" : {
"links" : {
"self" : "https://yourdomain.commercelayer.io/api/customer_password_resets/xYZkjABcde/relationships/events" ,
"related" : "https://yourdomain.commercelayer.io/api/customer_password_resets/xYZkjABcde/events"
}
}
} ,
"meta" : {
"mode" : "test" ,
"organization_id" : "xRRkjDFafe" ,
"trace_id" : "69abaa3545913c78132e5578bd26208d44aa9043647d78698fd0021f3958cd74"
}
}
}' AS seed_response;

-- The password is John's now; the reset is used, and reads as such (no
-- token); the change is audited under the customer.
SELECT pwupdate.check_password('customer', :'john_id', 'Sunset over Lisbon 2018') AS new_password,
	   pwupdate.check_password('customer', :'john_id', 'Blue harbour 1968') AS old_password;
SELECT reset_password_at IS NOT NULL AS used, voided_at IS NULL AS not_voided,
	   reset_password_at = updated_at AS one_clock_reading
FROM pwupdate.customer_password_reset WHERE id = 'xYZkjABcde';
SELECT (pwupdate.get_customer_password_reset('xYZkjABcde') #> '{data,attributes}')
	   - 'created_at' - 'updated_at' - 'reset_password_at' AS read_back;
SELECT resource, resource_id = :'john_id' AS johns, action, actor_role, actor_sub, channel
FROM pwupdate.audit WHERE action = 'reset_password';

-- The token is used up: the same request again is refused, with the one
-- error of every bad token (422).
SELECT pwupdate.reset_customer_password('xYZkjABcde',
	pg_temp.body('xYZkjABcde', 'Sunset over Lisbon 2019', 'xhFfkmfybsLxzaAP6xcs'));
\echo :LAST_ERROR_SQLSTATE

---- The body (400 for its shape, 422 for read-only attributes) ----

SELECT pwupdate.create_customer('mary@example.com', 'Lighthouse at dawn 7') ->> 'id' AS mary_id \gset
SELECT pwupdate.create_customer_password_reset('mary@example.com', 'shape', 'ORIGIN-0') IS NOT NULL AS created;
SELECT pg_temp.known('shape', 'ShapeReset', 'ShapeToken000000000000000');

-- Each body is refused, and refusing it changes nothing.
SELECT name, pg_temp.try(format('SELECT pwupdate.reset_customer_password(%L, %L)', 'ShapeReset', body)) AS result
FROM (VALUES
	('not an object', '[]'),
	('a string', '"customer_password_resets"'),
	('null', 'null'),
	('empty', '{}'),
	('data null', '{"data": null}'),
	('data not an object', '{"data": [{"type": "customer_password_resets"}]}'),
	('unknown top-level member', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{meta}', '{}')::text),
	('data empty', '{"data": {}}'),
	('type missing', (pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000') #- '{data,type}')::text),
	('type wrong', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,type}', '"customers"')::text),
	('type not a string', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,type}', '["customer_password_resets"]')::text),
	('type null', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,type}', 'null')::text),
	('id missing', (pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000') #- '{data,id}')::text),
	('id mismatch', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,id}', '"xYZkjABcde"')::text),
	('id in another case', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,id}', '"shapereset"')::text),
	('id not a string', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,id}', '42')::text),
	('unknown data member', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,relationships}', '{}')::text),
	('attributes missing', (pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000') #- '{data,attributes}')::text),
	('attributes not an object', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,attributes}', '"x"')::text),
	('attributes empty', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000'), '{data,attributes}', '{}')::text),
	('password missing', (pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000') #- '{data,attributes,customer_password}')::text),
	('token missing', (pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000') #- '{data,attributes,_reset_password_token}')::text),
	('password null', pg_temp.body('ShapeReset', NULL, 'ShapeToken000000000000000')::text),
	('password a number', jsonb_set(pg_temp.body('ShapeReset', 'x', 'ShapeToken000000000000000'), '{data,attributes,customer_password}', '20242024')::text),
	('token null', pg_temp.body('ShapeReset', 'Fresh meadow 2024', NULL)::text),
	('token an array', jsonb_set(pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'x'), '{data,attributes,_reset_password_token}', '["ShapeToken000000000000000"]')::text),
	('origin a number', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reference_origin": 7}')::text),
	('unknown attribute', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"password": "Fresh meadow 2024"}')::text),
	('attribute name to escape', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"a/b~c": 1}')::text),
	('created_at not a timestamp', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"created_at": "yesterday"}')::text),
	-- Read-only attributes: refused whatever their value, the current one
	-- included, so that they tell nothing about the reset.
	('customer_email, current value', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"customer_email": "mary@example.com"}')::text),
	('customer_email, other value', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"customer_email": "eve@example.com"}')::text),
	('reset_password_token, the token', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reset_password_token": "ShapeToken000000000000000"}')::text),
	('reset_password_token, null', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reset_password_token": null}')::text),
	('reset_password_at', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reset_password_at": "2018-01-01T12:00:00.000Z"}')::text),
	('created_at', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"created_at": "2018-01-01T12:00:00.000Z"}')::text),
	('updated_at', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"updated_at": "2018-01-01T12:00:00.000Z"}')::text),
	('reference', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reference": "shape"}')::text),
	('metadata', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"metadata": {}}')::text),
	-- Shape errors come first, whatever the order of the members.
	('read-only and unknown', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"customer_email": "x", "zzz": 1}')::text),
	('read-only and wrong type', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000', '{"reference": "shape", "reference_origin": false}')::text)
) AS cases(name, body);
SELECT pg_temp.try($$SELECT pwupdate.reset_customer_password('ShapeReset', NULL)$$) AS null_body;
SELECT pwupdate.check_password('customer', :'mary_id', 'Fresh meadow 2024') AS changed,
	   (SELECT reset_password_at IS NULL AND reference_origin = 'ORIGIN-0'
		FROM pwupdate.customer_password_reset WHERE id = 'ShapeReset') AS reset_untouched;

-- The body is checked before the reset is looked up; a reset that does not
-- exist (or no longer does) is 404, like any resource, and a null id 400.
SELECT pwupdate.reset_customer_password('NoSuchId00',
	pg_temp.body('NoSuchId00', 'Fresh meadow 2024', 'ShapeToken000000000000000'));
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.reset('NoSuchId00', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000')) AS mismatch_first,
	   pg_temp.reset(NULL, pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000')) AS null_id;

---- The token ----

-- A wrong token (422).  A bad password with a wrong token reports the
-- token: the policy, whose context word is the customer's email, is only
-- applied once the token has proved the right to set the password.
SELECT pwupdate.reset_customer_password('ShapeReset',
	pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000001'));
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'I am mary 2024', 'ShapeToken000000000000001')) AS wrong_token_bad_password,
	   pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'I am mary 2024', 'ShapeToken000000000000000')) AS right_token_bad_password,
	   pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'shapetoken000000000000000')) AS token_in_another_case,
	   pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'Fresh meadow 2024', '')) AS empty_token,
	   pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'Fresh meadow 2024', repeat('ShapeToken', 10000))) AS long_token;

-- reference_origin is optional: sent, it replaces the origin given at
-- creation (absent, as in the seed's request, the origin stays).
SELECT pg_temp.reset('ShapeReset', pg_temp.body('ShapeReset', 'Fresh meadow 2024', 'ShapeToken000000000000000',
												'{"reference_origin": "ORIGIN-1"}'))::jsonb
	   - 'created_at' - 'updated_at' - 'reset_password_at' AS attributes;
SELECT reference_origin FROM pwupdate.customer_password_reset WHERE id = 'ShapeReset';
-- ... and null clears it.
SELECT pwupdate.create_customer_password_reset('mary@example.com', 'cleared', 'ORIGIN-2') IS NOT NULL AS created;
SELECT pg_temp.known('cleared', 'ClearedRst', 'ClearedToken0000000000000');
SELECT pg_temp.reset('ClearedRst', pg_temp.body('ClearedRst', 'Autumn leaves 2024', 'ClearedToken0000000000000',
												'{"reference_origin": null}'))::jsonb -> 'reference_origin' AS origin;

---- What a password change voids ----

-- A success voids every other open reset of the customer, not those of
-- other customers; a reset issued afterwards works.  Used and voided
-- tokens get the one error a wrong token gets (expired ones too, in
-- 33_resets_expiry_lockout).
SELECT pwupdate.create_customer('kate@example.com', 'Morning tide 1971') ->> 'id' AS kate_id \gset
SELECT pwupdate.create_customer_password_reset(e, r) IS NOT NULL AS created
FROM (VALUES ('kate@example.com', 'kate 1'), ('kate@example.com', 'kate 2'),
			 ('kate@example.com', 'kate 3'), ('mary@example.com', 'mary 1')) AS v(e, r);
SELECT pg_temp.known('kate 1', 'KateReset1', 'KateToken1000000000000000'),
	   pg_temp.known('kate 2', 'KateReset2', 'KateToken2000000000000000'),
	   pg_temp.known('kate 3', 'KateReset3', 'KateToken3000000000000000'),
	   pg_temp.known('mary 1', 'MaryReset1', 'MaryToken1000000000000000');
SELECT pg_temp.reset('KateReset2', pg_temp.body('KateReset2', 'Evening tide 1972', 'KateToken2000000000000000'))::jsonb
	   ->> 'customer_email' AS reset_for;
SELECT id, reset_password_at IS NOT NULL AS used, voided_at IS NOT NULL AS voided,
	   voided_at IS NULL OR updated_at = voided_at AS voiding_updates
FROM pwupdate.customer_password_reset
WHERE id IN ('KateReset1', 'KateReset2', 'KateReset3', 'MaryReset1') ORDER BY id;
CREATE TEMP TABLE token_errors AS
SELECT kind, pg_temp.reset(id, pg_temp.body(id, 'Night tide 1973', token)) AS error
FROM (VALUES ('voided', 'KateReset1', 'KateToken1000000000000000'),
			 ('used', 'KateReset2', 'KateToken2000000000000000'),
			 ('wrong', 'KateReset3', 'KateToken1000000000000000'),
			 ('used, seed', 'xYZkjABcde', 'xhFfkmfybsLxzaAP6xcs')) AS v(kind, id, token);
SELECT kind, error FROM token_errors ORDER BY kind;
SELECT count(DISTINCT error) AS distinct_errors FROM token_errors;
SELECT pwupdate.create_customer_password_reset('kate@example.com', 'kate 4') IS NOT NULL AS created;
SELECT pg_temp.known('kate 4', 'KateReset4', 'KateToken4000000000000000');
SELECT pg_temp.reset('KateReset4', pg_temp.body('KateReset4', 'Night tide 1973', 'KateToken4000000000000000'))::jsonb
	   ->> 'customer_email' AS reset_again;

-- Any other change of the customer's password voids their open resets
-- too: here a trusted caller's patch through the registered resource.
SELECT pwupdate.create_customer_password_reset('kate@example.com', 'kate 5') IS NOT NULL AS created;
SELECT pwupdate.patch('customer', :'kate_id', '{"password": "Changed by support 9"}') ->> 'email' AS patched;
SELECT voided_at IS NOT NULL AS voided_by_patch FROM pwupdate.customer_password_reset WHERE reference = 'kate 5';
-- A transparent rehash is not a change: it voids nothing.
SELECT pwupdate.create_customer_password_reset('kate@example.com', 'kate 6') IS NOT NULL AS created;
SET pwupdate.argon2_iterations = 3;
SELECT pwupdate.check_password('customer', :'kate_id', 'Changed by support 9') AS verified_and_rehashed;
RESET pwupdate.argon2_iterations;
SELECT voided_at IS NULL AS still_open FROM pwupdate.customer_password_reset WHERE reference = 'kate 6';
-- A new email address voids them: the token was sent to the old one.
UPDATE pwupdate.customer SET email = 'kate@example.org' WHERE id = :'kate_id';
SELECT voided_at IS NOT NULL AS voided_by_email_change FROM pwupdate.customer_password_reset WHERE reference = 'kate 6';

-- Mary's reset was never touched by Kate's changes, and still works.
SELECT pg_temp.reset('MaryReset1', pg_temp.body('MaryReset1', 'Winter garden 2025', 'MaryToken1000000000000000'))::jsonb
	   ->> 'customer_email' AS reset_for;

-- A customer without a password gets one through a reset.
SELECT pwupdate.create_customer('walter@example.com') ->> 'id' AS walter_id \gset
SELECT pwupdate.create_customer_password_reset('walter@example.com', 'walter') IS NOT NULL AS created;
SELECT pg_temp.known('walter', 'WalterRst1', 'WalterToken00000000000000');
SELECT pg_temp.reset('WalterRst1', pg_temp.body('WalterRst1', 'First of my own 1', 'WalterToken00000000000000'))::jsonb
	   ->> 'customer_email' AS reset_for;
SELECT pwupdate.check_password('customer', :'walter_id', 'First of my own 1') AS has_a_password;

-- Every success was audited once, under its customer.
SELECT c.email, count(*) AS resets
FROM pwupdate.audit a JOIN pwupdate.customer c ON c.id = a.resource_id
WHERE a.action = 'reset_password' GROUP BY c.email ORDER BY c.email;

-- No token of this test is in clear in any table, the audit included.
SELECT token, pg_temp.rows_holding(token) AS rows
FROM unnest(ARRAY['xhFfkmfybsLxzaAP6xcs', 'ShapeToken000000000000000', 'ClearedToken0000000000000',
				  'KateToken1000000000000000', 'KateToken2000000000000000', 'MaryToken1000000000000000',
				  'WalterToken00000000000000']) AS token;

DELETE FROM pwupdate.customer;
