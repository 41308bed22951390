-- scenario: change_user_password, wrong OldPassword
-- versus: change_user_password_ok.sql
-- target: one verification
-- user: authenticator
-- The old password is the proof, so checking it is the work; after ten
-- wrong ones within the window the account answers 429 without it.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims',
				  '{"role": "authenticated", "sub": "' || md5('user' || :n)::uuid || '.benchcorp"}', true);
SELECT bench.expect('{28P01,PT429}', 'SELECT pwupdate.change_user_password($1[1], $1[2]::jsonb)',
					md5('user' || :n)::uuid || '.benchcorp',
					'{"OldPassword": "Wrong passphrase 0", "NewPassword": "Bench passphrase 1"}');
COMMIT;
