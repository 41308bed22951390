-- Partner logins (seed 000, CarrierX): the seed's sample PATCH, as
-- PostgREST runs it for a partner's token, then PUT and each error class.
-- Runs after 01_core.sql, which created the extension.
\set VERBOSITY default

-- A DBA creates the seed's login (trusted SQL caller), then gives it the
-- seed's login_sid so the responses below read like the seed's.
SELECT pwupdate.create_login(login => 'carrierx_partner',
							 password => 'initial passphrase 2021',
							 partner_sid => 'edebf627-ebce-4f77-8160-75db76154168',
							 token_scopes => '{partners.read,partners.update}') - 'login_sid' AS created;
UPDATE pwupdate.partner_login SET login_sid = 'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de'
WHERE login = 'carrierx_partner';

-- The seed's request:
--   curl -X PATCH 'https://api.carrierx.com/core/v2/oauth/logins/abcf6b1f-7281-4da9-a4d6-3fb53e3a76de' \
--     --data-binary '{"password":"myNewStrongPassword"}' -H 'Authorization: Bearer ...'
-- through PostgREST it is POST /rpc/patch_login with
--   {"login_sid": "abcf6b1f-7281-4da9-a4d6-3fb53e3a76de", "body": {"password": "myNewStrongPassword"}}
-- and PostgREST sets the token's claims for the transaction:
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set;
SELECT jsonb_pretty(pwupdate.patch_login(login_sid => 'abcf6b1f-7281-4da9-a4d6-3fb53e3a76de',
										 body => '{"password":"myNewStrongPassword"}')) AS response;

-- PATCH {} changes nothing and returns the object.
SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{}');

-- PUT: the whole object; read-only fields must keep their values.
SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{
	"login": "carrierx_partner", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168",
	"token_scopes": ["partners.read", "partners.update"], "password": "another strong one"}');
COMMIT;

-- Each error class, with the SQLSTATE that PostgREST turns into the status.
\set VERBOSITY verbose
\set SHOW_CONTEXT never
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set;
-- 400: a required field of a PUT is missing
SELECT pwupdate.put_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"login": "carrierx_partner", "password": "another strong one"}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set;
-- 422: a read-only field with another value
SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"token_scopes": ["oauth.manage"]}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "oauth.update", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set;
-- 422: the password policy, with the login as a context word
SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "carrierx_partner1"}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "carrierx_partner", "scope": "partners.read", "partner_sid": "edebf627-ebce-4f77-8160-75db76154168"}', true) IS NOT NULL AS claims_set;
-- 403: no oauth.manage or oauth.update scope
SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "myNewStrongPassword"}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "other_partner", "scope": "oauth.manage", "partner_sid": "00000000-0000-4000-8000-000000000001"}', true) IS NOT NULL AS claims_set;
-- 404: another partner's login, exactly like a missing one
SELECT pwupdate.patch_login('abcf6b1f-7281-4da9-a4d6-3fb53e3a76de', '{"password": "myNewStrongPassword"}');
ROLLBACK;
\set VERBOSITY default

-- Every change is in the audit trail; no secret is.
SELECT action, resource, resource_id, actor_sub, channel FROM pwupdate.audit
WHERE resource = 'partner_login' ORDER BY id;
