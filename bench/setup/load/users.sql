-- Users (seed 003)
\set ON_ERROR_STOP 1
SET session_replication_role = replica;
INSERT INTO pwupdate.user_account (user_id, email, password_hash)
SELECT md5('user' || n)::uuid || '.benchcorp', 'user' || n || '@bench.example', p.hash
FROM generate_series(1, :rows) AS n
JOIN bench.premade AS p ON p.pop = (n - 1) % 4 + 1
ORDER BY 1;
