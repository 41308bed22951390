-- What patch_login writes, as a plain UPDATE of the same row with a hash
-- made beforehand: no caller, no body, no policy, no hashing, no audit.
\set n 4 * random(0, :quarter - 1) + :writable
UPDATE pwupdate.partner_login SET password_hash = p.hash, updated_at = now()
FROM bench.premade AS p
WHERE p.pop = :writable AND login_sid = md5('login' || :n)::uuid;
