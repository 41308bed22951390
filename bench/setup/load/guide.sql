-- The same logins for the PL/pgSQL equivalent (bench/guide), with a bcrypt
-- hash made once.
\set ON_ERROR_STOP 1
SELECT crypt('Bench passphrase 0', gen_salt('bf', 4)) AS guide_hash \gset
SET session_replication_role = replica;	-- the guide's trigger would hash every row
INSERT INTO basic_auth.partner_login (login_sid, login, partner_sid, token_scopes, pass)
SELECT md5('login' || n)::uuid, 'bench_login_' || n, 'b0000000-0000-4000-8000-000000000001',
	   '{partners.read,partners.update}', :'guide_hash'
FROM generate_series(1, :rows) AS n
ORDER BY 1;
