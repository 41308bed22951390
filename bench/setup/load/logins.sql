-- Partner logins (seed 000): one partner owns them all.
\set ON_ERROR_STOP 1
SET session_replication_role = replica;	-- no triggers: rows made to match
INSERT INTO pwupdate.partner_login (login_sid, login, partner_sid, token_scopes, password_hash)
SELECT md5('login' || n)::uuid, 'bench_login_' || n, 'b0000000-0000-4000-8000-000000000001',
	   '{partners.read,partners.update}', p.hash
FROM generate_series(1, :rows) AS n
JOIN bench.premade AS p ON p.pop = (n - 1) % 4 + 1
ORDER BY 1;
