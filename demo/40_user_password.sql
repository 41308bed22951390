-- Seed 003 (Akana): PUT /api/users/{UserID}/password.  Margaret signs in
-- on her laptop and her phone, then changes her password from Margaret10
-- to Margaret11 from the laptop, with its session cookie and CSRF header,
-- as PostgREST would run the request.  The tokens stay in psql variables.
CREATE EXTENSION IF NOT EXISTS pwupdate;

SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                            'm.hamilton@acmepayments.example', 'Margaret10');
SELECT pwupdate.create_user('5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp',
                            'root@acmepayments.example', 'Site keeper 2024!', site_admin => true);

-- sign_in returns the cookie and header names and, this once, the tokens.
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10') AS laptop \gset
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10') AS phone \gset
SELECT jsonb_set(jsonb_set(:'laptop'::jsonb, '{session_token}', '"<43 characters>"'),
                 '{csrf_token}', '"<43 characters>"') AS sign_in_response;
SELECT jsonb_array_length(pwupdate.list_user_sessions('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp')) AS margarets_sessions;

-- Wrong email or wrong password: one error, 403 through PostgREST.
SELECT pwupdate.sign_in('nobody@acmepayments.example', 'Margaret10');
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret01');

-- The seed's request from the laptop.  The response is the user id; through
-- PostgREST with "Accept: text/plain" it is served as plain text.
BEGIN;
SELECT count(*) AS request_settings FROM (VALUES
    (set_config('request.jwt.claims', '{"role": "anon"}', true)),
    (set_config('request.cookies', jsonb_build_object('AtmoAuthToken_acmepaymentscorp',
                                                      :'laptop'::jsonb->>'session_token')::text, true)),
    (set_config('request.headers', jsonb_build_object('accept', 'text/plain, */*; q=0.01',
                                                      'x-csrf-token_acmepaymentscorp',
                                                      :'laptop'::jsonb->>'csrf_token')::text, true))) AS s;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{ "OldPassword":"Margaret10", "NewPassword":"Margaret11" }');
COMMIT;

-- The phone's session ended; the laptop's stays.  Only Margaret11 signs in now.
SELECT jsonb_array_length(pwupdate.list_user_sessions('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp')) AS margarets_sessions;
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10');
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret11')->>'user_id' AS signed_in;

-- 401: the phone's ended session, and the laptop's cookie without its CSRF header.
BEGIN;
SELECT count(*) AS request_settings FROM (VALUES
    (set_config('request.jwt.claims', '{"role": "anon"}', true)),
    (set_config('request.cookies', jsonb_build_object('AtmoAuthToken_acmepaymentscorp',
                                                      :'phone'::jsonb->>'session_token')::text, true)),
    (set_config('request.headers', jsonb_build_object('x-csrf-token_acmepaymentscorp',
                                                      :'phone'::jsonb->>'csrf_token')::text, true))) AS s;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}');
ROLLBACK;
BEGIN;
SELECT count(*) AS request_settings FROM (VALUES
    (set_config('request.jwt.claims', '{"role": "anon"}', true)),
    (set_config('request.cookies', jsonb_build_object('AtmoAuthToken_acmepaymentscorp',
                                                      :'laptop'::jsonb->>'session_token')::text, true))) AS s;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}');
ROLLBACK;

-- 403: a wrong old password; 422: the same password again.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp"}', true) IS NOT NULL AS claims;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{"OldPassword": "Margaret10", "NewPassword": "Margaret12"}');
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp"}', true) IS NOT NULL AS claims;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{"OldPassword": "Margaret11", "NewPassword": "Margaret11"}');
ROLLBACK;

-- A site admin (claims) resets it without the old password; all of
-- Margaret's sessions end.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp"}', true) IS NOT NULL AS claims;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
                                     '{"NewPassword": "Margaret12"}');
COMMIT;
SELECT pwupdate.list_user_sessions('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp') AS margarets_sessions;

-- The audit trail, without secrets.
SELECT resource_id, action, actor_role, actor_sub, channel FROM pwupdate.audit
WHERE resource = 'user' ORDER BY id;
