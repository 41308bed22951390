-- scenario: reset_customer_password, wrong token
-- versus: reset_customer_password_ok.sql
-- target: refused without hashing
-- needs: pwupdate.reset_customer_password(text,jsonb)
-- user: authenticator
-- After ten wrong tokens a reset answers 429, also without hashing.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT bench.expect('{PT422,PT429}', 'SELECT pwupdate.reset_customer_password($1[1], $1[2]::jsonb)',
	'r' || lpad(':n', 9, '0'),
	'{"data": {"type": "customer_password_resets", "id": "r' || lpad(':n', 9, '0') || '", '
	'"attributes": {"customer_password": "Bench passphrase 1", '
	'"_reset_password_token": "wrongtoken' || lpad(':n', 14, '0') || '"}}}');
COMMIT;
