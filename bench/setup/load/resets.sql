-- Customers and one open password reset each (seed 002), when this build
-- of pwupdate has them.  Customer n is 'c' and n in 9 digits; its reset is
-- 'r' and n in 9 digits, with the token 'benchtoken' and n in 14 digits.
-- bench/run sets pwupdate.reset_token_ttl to 7 days, so that they stay
-- open however long the run takes.
\set ON_ERROR_STOP 1
SELECT to_regclass('pwupdate.customer_password_reset') IS NOT NULL AS has_resets \gset
\if :has_resets
SET session_replication_role = replica;	-- no triggers: rows made to match
INSERT INTO pwupdate.customer (id, email, password_hash)
SELECT 'c' || lpad(n::text, 9, '0'), 'customer' || n || '@bench.example', p.hash
FROM generate_series(1, :rows) AS n
JOIN bench.premade AS p ON p.pop = (n - 1) % 4 + 1
ORDER BY 1;
INSERT INTO pwupdate.customer_password_reset
	(id, customer_id, token_digest, created_at, updated_at, expires_at)
SELECT 'r' || lpad(n::text, 9, '0'), 'c' || lpad(n::text, 9, '0'),
	   encode(sha256(convert_to('benchtoken' || lpad(n::text, 14, '0'), 'UTF8')), 'hex'),
	   now(), now(), now() + interval '7 days'
FROM generate_series(1, :rows) AS n
ORDER BY 1;
\endif
