-- No memory kept across calls of the customer and reset functions: after
-- a warm-up, a thousand more rounds (issue a reset, read it, a wrong token,
-- a read-only attribute, the right token anonymously, check the password)
-- leave the backend's private memory (RssAnon) where it was.
CREATE FUNCTION pg_temp.rss_anon_kb() RETURNS bigint LANGUAGE sql AS $$
	SELECT (regexp_match(pg_read_file('/proc/self/status'), 'RssAnon:\s+(\d+) kB'))[1]::bigint
$$;

SELECT pwupdate.create_customer('memory@example.com', 'Harbour lights 0') ->> 'id' AS customer_id \gset

CREATE FUNCTION pg_temp.exercise(first int, iterations int, customer_id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	created jsonb;
	id text;
	token text;
BEGIN
	FOR i IN first .. first + iterations - 1 LOOP
		created := pwupdate.create_customer_password_reset('memory@example.com', 'ref ' || i, 'origin', '{"n": 1}');
		id := created #>> '{data,id}';
		token := created #>> '{data,attributes,reset_password_token}';
		PERFORM pwupdate.get_customer_password_reset(id);
		BEGIN
			PERFORM pwupdate.reset_customer_password(id, jsonb_build_object('data', jsonb_build_object(
				'type', 'customer_password_resets', 'id', id, 'attributes', jsonb_build_object(
				'customer_password', 'Harbour lights ' || i, '_reset_password_token', 'a wrong token'))));
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
		BEGIN
			PERFORM pwupdate.reset_customer_password(id, jsonb_build_object('data', jsonb_build_object(
				'type', 'customer_password_resets', 'id', id, 'attributes', jsonb_build_object(
				'customer_password', 'Harbour lights ' || i, '_reset_password_token', token,
				'reference', 'ref ' || i))));
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
		PERFORM set_config('request.jwt.claims', '{"role": "anon"}', true);
		PERFORM pwupdate.reset_customer_password(id, jsonb_build_object('data', jsonb_build_object(
			'type', 'customer_password_resets', 'id', id, 'attributes', jsonb_build_object(
			'customer_password', 'Harbour lights ' || i, '_reset_password_token', token,
			'reference_origin', 'web'))));
		PERFORM set_config('request.jwt.claims', '', true);
		PERFORM pwupdate.check_password('customer', customer_id, 'Harbour lights ' || i);
	END LOOP;
	PERFORM pwupdate.purge_expired_resets();
END
$$;

SELECT pg_temp.exercise(1, 200, :'customer_id');
SELECT pg_temp.rss_anon_kb() AS before_kb \gset
SELECT pg_temp.exercise(201, 1000, :'customer_id');
SELECT pg_temp.rss_anon_kb() - :before_kb < 256 AS rss_flat,
	   CASE WHEN pg_temp.rss_anon_kb() - :before_kb >= 256
			THEN (pg_temp.rss_anon_kb() - :before_kb) || ' kB more' END AS growth;
SELECT pwupdate.check_password('customer', :'customer_id', 'Harbour lights 1200') AS last_reset_took;

DELETE FROM pwupdate.customer;
