-- One transaction of the mixed load: a PATCH or PUT of a partner login by a
-- claims caller, a user's password change by a trusted caller, a sign-in,
-- a read by a claims caller, an update or a read of a password profile
-- info by the realm's store front, or a customer's password reset by an
-- anonymous holder of its token.  Every change is logged in load.changes
-- in its transaction.
\set pick random(1, 14)
\set login random(1, 20)
\set user random(1, 20)
\set info random(1, 20)
\set k random(1, 1000000000)
BEGIN;
SELECT set_config('request.jwt.claims',
	'{"sub": "load", "scope": "oauth.update oauth.read", "partner_sid": "a3e1c1f0-5d2b-4d8e-9c3a-000000000001"}', true)
	WHERE :pick <= 5 OR :pick IN (9, 10);
SELECT set_config('request.jwt.claims', jsonb_build_object('sub', 'load-store', 'realm_id', realm_id)::text, true)
FROM load.infos WHERE n = :info AND :pick BETWEEN 11 AND 13;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true) WHERE :pick = 14;
INSERT INTO load.changes (resource, resource_id, action, n)
SELECT 'partner_login', sid::text, 'patch', :k FROM load.logins
WHERE n = :login AND :pick <= 3
  AND pwupdate.patch_login(sid, jsonb_build_object('password', 'load passphrase ' || :k)) IS NOT NULL;
INSERT INTO load.changes (resource, resource_id, action, n)
SELECT 'partner_login', sid::text, 'put', :k FROM load.logins
WHERE n = :login AND :pick IN (4, 5)
  AND pwupdate.put_login(sid, jsonb_build_object('login', 'load_login_' || n,
		'partner_sid', 'a3e1c1f0-5d2b-4d8e-9c3a-000000000001', 'token_scopes', '[]'::jsonb,
		'password', 'load passphrase ' || :k)) IS NOT NULL;
INSERT INTO load.changes (resource, resource_id, action, n)
SELECT 'user', user_id, 'change_password', :k FROM load.users
WHERE n = :user AND :pick IN (6, 7)
  AND pwupdate.change_user_password(user_id, jsonb_build_object('NewPassword', 'load passphrase ' || :k)) IS NOT NULL;
SELECT pwupdate.sign_in(email, 'load passphrase 0')
FROM load.signin_users WHERE n = 1 + :user % 5 AND :pick = 8;
SELECT pwupdate.get_login(sid) FROM load.logins WHERE n = :login AND :pick IN (9, 10);
INSERT INTO load.changes (resource, resource_id, action, n)
SELECT 'password_profile_info', info_id::text, 'update', :k FROM load.infos
WHERE n = :info AND :pick IN (11, 12)
  AND pwupdate.update_password_profile_info(realm_id, member_id, info_id,
		jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
			'password_profile_id', profile_id, 'username', username,
			'password', 'load passphrase ' || :k))) IS NOT NULL;
SELECT pwupdate.get_password_profile_info(realm_id, member_id, info_id)
FROM load.infos WHERE n = :info AND :pick = 13;
-- A reset takes the first unused reset of the pool that no other client
-- holds (SKIP LOCKED), so no two clients present one token and none fails;
-- it is marked used in the transaction that spends its token.  An empty
-- pool makes this a no-op.
WITH picked AS MATERIALIZED (
	SELECT n, customer_id, reset_id, token FROM load.resets
	WHERE NOT used AND :pick = 14
	ORDER BY n LIMIT 1 FOR UPDATE SKIP LOCKED),
reset AS (
	SELECT n, customer_id FROM picked
	WHERE pwupdate.reset_customer_password(reset_id, jsonb_build_object('data', jsonb_build_object(
			'type', 'customer_password_resets', 'id', reset_id,
			'attributes', jsonb_build_object('customer_password', 'load passphrase ' || :k,
											 '_reset_password_token', token)))) IS NOT NULL),
used AS (
	UPDATE load.resets r SET used = true FROM reset WHERE r.n = reset.n
	RETURNING r.customer_id)
INSERT INTO load.changes (resource, resource_id, action, n)
SELECT 'customer', customer_id, 'reset_password', :k FROM used;
COMMIT;
