-- api: reset_customer_password
-- work: hash
-- needs: pwupdate.reset_customer_password(text,jsonb)
-- user: authenticator
-- An anonymous client sets a password with the reset's one-time token.
-- Rolled back, so that the token stays unused.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT pwupdate.reset_customer_password('r' || lpad(':n', 9, '0'),
	('{"data": {"type": "customer_password_resets", "id": "r' || lpad(':n', 9, '0') || '", '
	 '"attributes": {"customer_password": "Bench passphrase 1", '
	 '"_reset_password_token": "benchtoken' || lpad(':n', 14, '0') || '"}}}')::jsonb);
ROLLBACK;
