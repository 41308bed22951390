-- Reset tokens expire after pwupdate.reset_token_ttl, and a reset is
-- locked after pwupdate.lockout_threshold wrong tokens (needs pwupdate in
-- shared_preload_libraries, as in test/pwupdate.conf).
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

-- reset_customer_password with the seed's body: the customer's email, or the error.
CREATE FUNCTION pg_temp.reset(id text, password text, token text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.try(format('SELECT pwupdate.reset_customer_password(%L, %L) #>> %L', id,
		jsonb_build_object('data', jsonb_build_object(
			'type', 'customer_password_resets', 'id', id,
			'attributes', jsonb_build_object('customer_password', password,
											 '_reset_password_token', token))),
		'{data,attributes,customer_email}'))
$$;

-- Gives a reset a known id and token, so that requests can be written out.
CREATE FUNCTION pg_temp.known(reference text, new_id text, token text) RETURNS text
LANGUAGE sql AS $$
	UPDATE pwupdate.customer_password_reset
	SET id = new_id, token_digest = encode(sha256(convert_to(token, 'UTF8')), 'hex')
	WHERE customer_password_reset.reference = known.reference
	RETURNING id
$$;

SELECT pwupdate.create_customer(e, 'Harbour lights 1984') IS NOT NULL AS created
FROM unnest(ARRAY['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com']) AS e;

---- Expiry ----

-- A reset created while the setting is 1 second expires 1 second later,
-- and stays expired when the setting goes back up: its expiry was fixed
-- when it was created.
SET pwupdate.reset_token_ttl = 1;
SELECT pwupdate.create_customer_password_reset('ann@example.com', 'short') IS NOT NULL AS created;
RESET pwupdate.reset_token_ttl;
SELECT pg_temp.known('short', 'ShortLived', 'ShortToken000000000000000');
SELECT expires_at - created_at AS lifetime FROM pwupdate.customer_password_reset WHERE id = 'ShortLived';
-- A reset of the default hour, for the next case.
SELECT pwupdate.create_customer_password_reset('bob@example.com', 'hour') IS NOT NULL AS created;
SELECT pg_temp.known('hour', 'HourLived1', 'HourToken0000000000000000');
SELECT pg_sleep(1.1);
SELECT pwupdate.reset_customer_password('ShortLived', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', 'ShortLived',
	'attributes', jsonb_build_object('customer_password', 'Too late now 1',
									 '_reset_password_token', 'ShortToken000000000000000'))));
\echo :LAST_ERROR_SQLSTATE
-- The same error as a wrong token, which is all a caller learns.
SELECT pg_temp.reset('ShortLived', 'Too late now 1', 'ShortToken000000000000000')
	 = pg_temp.reset('ShortLived', 'Too late now 1', 'WrongToken000000000000000') AS same_error;

-- Lowering the setting shortens the resets already issued: the hour-long
-- reset, now older than 1 second, is refused while the setting is 1 second,
-- and works again once it is back to an hour.
SET pwupdate.reset_token_ttl = 1;
SELECT pg_temp.reset('HourLived1', 'Just in time 2', 'HourToken0000000000000000') AS with_one_second;
RESET pwupdate.reset_token_ttl;
SELECT pg_temp.reset('HourLived1', 'Just in time 2', 'HourToken0000000000000000') AS with_one_hour;
SELECT pwupdate.check_password('customer', id, 'Just in time 2') AS bob_reset
FROM pwupdate.customer WHERE email = 'bob@example.com';

---- Lockout ----

-- Three wrong tokens lock the reset: then even the right token is refused
-- (429), before it is compared.
SET pwupdate.lockout_threshold = 3;
SELECT pwupdate.create_customer_password_reset('cat@example.com', r) IS NOT NULL AS created
FROM unnest(ARRAY['cat 1', 'cat 2']) AS r;
SELECT pg_temp.known('cat 1', 'CatReset01', 'CatToken10000000000000000'),
	   pg_temp.known('cat 2', 'CatReset02', 'CatToken20000000000000000');
SELECT n, pg_temp.reset('CatReset01', 'Guessing game 3', 'CatGuess' || n || '0000000000000000') AS wrong_token
FROM generate_series(1, 3) AS n;
SELECT pwupdate.reset_customer_password('CatReset01', jsonb_build_object('data', jsonb_build_object(
	'type', 'customer_password_resets', 'id', 'CatReset01',
	'attributes', jsonb_build_object('customer_password', 'Right token now 4',
									 '_reset_password_token', 'CatToken10000000000000000'))));
\echo :LAST_ERROR_SQLSTATE
-- The lockout is per reset: the customer's other reset still works (and
-- voids the locked one).
SELECT pg_temp.reset('CatReset02', 'Right token now 4', 'CatToken20000000000000000') AS other_reset;
SELECT id, voided_at IS NOT NULL AS voided FROM pwupdate.customer_password_reset
WHERE id IN ('CatReset01', 'CatReset02') ORDER BY id;

-- Only wrong tokens count: the right token of a used reset, sent again and
-- again, keeps getting the token error, never 429.
SELECT n, pg_temp.reset('CatReset02', 'Right token now 5', 'CatToken20000000000000000') AS used_token
FROM generate_series(1, 4) AS n;

-- The right token clears the count, even when the policy then refuses the
-- password: two wrong tokens, the right one with a weak password, two more
-- wrong tokens, and the right one still works.
SELECT pwupdate.create_customer_password_reset('dan@example.com', 'dan') IS NOT NULL AS created;
SELECT pg_temp.known('dan', 'DanReset01', 'DanToken00000000000000000');
SELECT n, pg_temp.reset('DanReset01', 'Guessing game 6', 'DanGuess' || n || '0000000000000000') AS wrong_token
FROM generate_series(1, 2) AS n;
SELECT pg_temp.reset('DanReset01', 'short', 'DanToken00000000000000000') AS right_token_weak_password;
SELECT n, pg_temp.reset('DanReset01', 'Guessing game 6', 'DanGuess' || n || '0000000000000000') AS wrong_token
FROM generate_series(3, 4) AS n;
SELECT pg_temp.reset('DanReset01', 'Finally mine 7', 'DanToken00000000000000000') AS right_token;
RESET pwupdate.lockout_threshold;

DELETE FROM pwupdate.customer;
