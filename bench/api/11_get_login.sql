-- api: get_login
-- work: none
-- user: authenticator
-- As PostgREST runs GET /rpc/get_login: a read-only transaction, the role
-- and the claims set locally, then the call.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.read", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT pwupdate.get_login(md5('login' || :n)::uuid);
COMMIT;
