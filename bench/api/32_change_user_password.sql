-- api: change_user_password (OldPassword)
-- work: verify+hash
-- user: authenticator
-- The seed's change with the old password, the user named by the claims'
-- sub.  Rolled back, so that the old password stays the old one.
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims',
				  '{"role": "authenticated", "sub": "' || md5('user' || :n)::uuid || '.benchcorp"}', true);
SELECT pwupdate.change_user_password(md5('user' || :n)::uuid || '.benchcorp',
	'{"OldPassword": "Bench passphrase 0", "NewPassword": "Bench passphrase 1"}');
ROLLBACK;
