-- Password profile infos (seed 001), each with a user authentication info
-- of its own, in the realm and profile of 10_bench.sql.
\set ON_ERROR_STOP 1
SET session_replication_role = replica;	-- no foreign key checks: rows made to match
INSERT INTO pwupdate.user_authentication_info (id, realm_id, name, email)
SELECT md5('uai' || n)::uuid, 'b0000000-0000-4000-8000-0000000000a1', 'Member ' || n,
	   'member' || n || '@bench.example'
FROM generate_series(1, :rows) AS n
ORDER BY 1;
INSERT INTO pwupdate.password_profile_info
	(id, realm_id, user_authentication_info_id, password_profile_id, username, password_hash)
SELECT md5('ppi' || n)::uuid, 'b0000000-0000-4000-8000-0000000000a1', md5('uai' || n)::uuid,
	   'b0000000-0000-4000-8000-0000000000b1', 'member' || n, p.hash
FROM generate_series(1, :rows) AS n
JOIN bench.premade AS p ON p.pop = (n - 1) % 4 + 1
ORDER BY 1;
