-- scenario: reset_customer_password, unknown reset id
-- versus: reset_customer_password_ok.sql
-- target: refused without hashing
-- needs: pwupdate.reset_customer_password(text,jsonb)
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT bench.expect('{PT404}', 'SELECT pwupdate.reset_customer_password($1[1], $1[2]::jsonb)',
	'x' || lpad(':n', 9, '0'),
	'{"data": {"type": "customer_password_resets", "id": "x' || lpad(':n', 9, '0') || '", '
	'"attributes": {"customer_password": "Bench passphrase 1", '
	'"_reset_password_token": "benchtoken' || lpad(':n', 14, '0') || '"}}}');
COMMIT;
