-- scenario: reset_customer_password, success
-- needs: pwupdate.reset_customer_password(text,jsonb)
-- user: authenticator
-- Rolled back, so that the token stays unused.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT bench.expect(NULL, 'SELECT pwupdate.reset_customer_password($1[1], $1[2]::jsonb)',
	'r' || lpad(':n', 9, '0'),
	'{"data": {"type": "customer_password_resets", "id": "r' || lpad(':n', 9, '0') || '", '
	'"attributes": {"customer_password": "Bench passphrase 1", '
	'"_reset_password_token": "benchtoken' || lpad(':n', 14, '0') || '"}}}');
ROLLBACK;
