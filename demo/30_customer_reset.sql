-- Customer password resets (seed 002, Commerce Layer): a back office
-- starts a reset for John and mails him the one-time token; John follows
-- the link, and his browser sends the seed's PATCH as an anonymous
-- PostgREST request.  The reset's id and token stay in psql variables.
-- Runs after 01_core.sql, which created the extension.
\set VERBOSITY default

-- The links and meta of the seed's responses come from these settings.
SET pwupdate.base_url = 'https://yourdomain.commercelayer.io';
SET pwupdate.mode = 'test';
SET pwupdate.organization_id = 'xRRkjDFafe';

-- The back office (a trusted SQL caller) creates the customer ...
SELECT pwupdate.create_customer('john@example.com', 'Blue harbour 1968') - 'id' AS customer;

-- ... and a reset.  The response is the only place the token appears in
-- clear; the back office mails it, with the reset's id, to John.
SELECT pwupdate.create_customer_password_reset(customer_email => 'john@example.com',
                                               reference => 'ANY-EXTERNAL-REFEFERNCE',
                                               reference_origin => 'ANY-EXTERNAL-REFEFERNCE-ORIGIN',
                                               metadata => '{"foo": "bar"}') AS created \gset
SELECT jsonb_pretty(:'created') AS created_reset;
SELECT :'created'::jsonb #>> '{data,id}' AS reset_id,
       :'created'::jsonb #>> '{data,attributes,reset_password_token}' AS token \gset

-- The database keeps a SHA-256 digest of the token, never the token.
SELECT id, length(token_digest) AS digest_hex_digits, expires_at - created_at AS valid_for
FROM pwupdate.customer_password_reset;

-- The seed's request:
--   curl -g -X PATCH 'https://yourdomain.commercelayer.io/api/customer_password_resets/<id>' \
--     -d '{"data": {"type": "customer_password_resets", "id": "<id>",
--          "attributes": {"customer_password": "secret", "_reset_password_token": "<token>"}}}'
-- through PostgREST it is POST /rpc/reset_customer_password with {"id": "<id>", "body": {...}},
-- run as the anonymous role: the token is the proof.  The seed's sample
-- password "secret" is refused by the policy (at least 8 characters) ...
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true) IS NOT NULL AS anonymous,
       set_config('request.method', 'POST', true) IS NOT NULL AS via_postgrest;
SELECT pwupdate.reset_customer_password(id => :'reset_id', body => jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('customer_password', 'secret',
                                            '_reset_password_token', :'token'))));
ROLLBACK;

-- ... so John picks a longer one: 200, and the seed's response.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true) IS NOT NULL AS anonymous,
       set_config('request.method', 'POST', true) IS NOT NULL AS via_postgrest;
SELECT jsonb_pretty(pwupdate.reset_customer_password(id => :'reset_id', body => jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('customer_password', 'Sunset over Lisbon 2018',
                                            '_reset_password_token', :'token'))))) AS response;
COMMIT;

SELECT pwupdate.check_password('customer', id, 'Sunset over Lisbon 2018') AS new_password_works
FROM pwupdate.customer WHERE email = 'john@example.com';

-- The token is used up: sent again it gets the one error that a wrong, an
-- expired and a used token all get (422).
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('customer_password', 'Sunset over Lisbon 2019',
                                            '_reset_password_token', :'token'))));
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('customer_password', 'Sunset over Lisbon 2019',
                                            '_reset_password_token', 'a guess at the token'))));

-- Other errors: a read-only attribute (422), an unknown one and a wrong
-- type (400), an id that is not the path's (400), a reset that does not
-- exist (404).
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('customer_password', 'Sunset over Lisbon 2019',
                                            '_reset_password_token', :'token',
                                            'customer_email', 'eve@example.com'))));
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', :'reset_id',
           'attributes', jsonb_build_object('password', 'Sunset over Lisbon 2019'))));
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customers', 'id', :'reset_id', 'attributes', '{}'::jsonb)));
SELECT pwupdate.reset_customer_password(:'reset_id', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', 'xYZkjABcde', 'attributes', '{}'::jsonb)));
SELECT pwupdate.reset_customer_password('xYZkjABcde', jsonb_build_object('data', jsonb_build_object(
           'type', 'customer_password_resets', 'id', 'xYZkjABcde',
           'attributes', jsonb_build_object('customer_password', 'Sunset over Lisbon 2019',
                                            '_reset_password_token', :'token'))));

-- The back office reads the reset: used, and no token to be seen.
SELECT jsonb_pretty(pwupdate.get_customer_password_reset(:'reset_id') #> '{data,attributes}') AS attributes;

-- The audit trail: who created the customer and the reset, and who used it.
SELECT resource, action, actor_role, actor_sub, channel FROM pwupdate.audit
WHERE resource = 'customer' ORDER BY id;

-- A maintenance job deletes resets past their expiry.
SELECT pwupdate.purge_expired_resets() AS purged;
