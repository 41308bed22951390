-- A password over 4096 bytes is never looked at, but where a password is
-- only checked it is simply wrong: sign_in and OldPassword answer as for a
-- wrong password (and count towards the lockout), a NewPassword is too long.
SELECT pwupdate.create_user('7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong',
	'over.long@overlong.example', 'a fine passphrase');

SELECT pwupdate.sign_in('over.long@overlong.example', repeat('x', 5000));
\echo :LAST_ERROR_SQLSTATE

BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong"}', true);
SELECT pwupdate.change_user_password('7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong',
	jsonb_build_object('OldPassword', repeat('x', 5000), 'NewPassword', 'another passphrase'));
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE

BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong"}', true);
SELECT pwupdate.change_user_password('7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong',
	jsonb_build_object('OldPassword', 'a fine passphrase', 'NewPassword', repeat('x', 5000)));
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE

-- Someone else's password: the permission check comes first, whatever the length.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-4000-8000-000000000000.overlong"}', true);
SELECT pwupdate.change_user_password('7b0e3c52-1d9a-4e7f-8a41-3c2d5e6f7a80.overlong',
	jsonb_build_object('OldPassword', repeat('x', 5000), 'NewPassword', repeat('y', 5000)));
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
