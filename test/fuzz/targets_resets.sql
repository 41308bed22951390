-- Fuzz targets of customer password resets (seed 002).  The reset has a
-- known id and token, so that the seed body is a valid request, and it is
-- reopened before every call, so that a mutated body that is still valid
-- goes all the way through instead of meeting a used token.  Wrong tokens
-- among the mutations lock the reset out for a while (429), as they should.
SELECT pwupdate.create_customer('fuzz@example.com', 'Harbour lights 2024') IS NOT NULL AS customer;
SELECT pwupdate.create_customer_password_reset('fuzz@example.com', 'fuzz') IS NOT NULL AS reset;
UPDATE pwupdate.customer_password_reset
SET id = 'FuzzReset1', token_digest = encode(sha256(convert_to('FuzzToken0000000000000000', 'UTF8')), 'hex')
WHERE reference = 'fuzz';

CREATE FUNCTION fuzz.reset_reopened(body jsonb) RETURNS jsonb LANGUAGE sql AS $$
	UPDATE pwupdate.customer_password_reset SET reset_password_at = NULL, voided_at = NULL
	WHERE id = 'FuzzReset1';
	SELECT pwupdate.reset_customer_password('FuzzReset1', body);
$$;

INSERT INTO fuzz.target VALUES
	('reset_customer_password', 'SELECT fuzz.reset_reopened(%s)',
	 '{"data": {"type": "customer_password_resets", "id": "FuzzReset1",
				"attributes": {"customer_password": "Meadow at noon 2025",
							   "_reset_password_token": "FuzzToken0000000000000000",
							   "reference_origin": "fuzzer"}}}'),
	('create_customer_password_reset',
	 'SELECT pwupdate.create_customer_password_reset(''fuzz@example.com'', ''ref'', ''origin'', %s)',
	 '{"foo": "bar", "nested": {"list": [1, 2, 3]}}');
