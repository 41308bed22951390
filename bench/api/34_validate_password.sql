-- api: validate_password
-- work: none
-- user: authenticator
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT pwupdate.validate_password('Bench passphrase 1', '{"login": "bench_login_1"}');
COMMIT;
