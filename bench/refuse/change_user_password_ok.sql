-- scenario: change_user_password (OldPassword), success
-- user: authenticator
-- Rolled back, so that the old password stays the old one.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims',
				  '{"role": "authenticated", "sub": "' || md5('user' || :n)::uuid || '.benchcorp"}', true);
SELECT bench.expect(NULL, 'SELECT pwupdate.change_user_password($1[1], $1[2]::jsonb)',
					md5('user' || :n)::uuid || '.benchcorp',
					'{"OldPassword": "Bench passphrase 0", "NewPassword": "Bench passphrase 1"}');
ROLLBACK;
