-- The password core: Argon2id and bcrypt round trips, pgcrypto interop,
-- legacy formats, NFKC, the 72-byte rule, rehash checks and settings.
-- Errors are followed by their SQLSTATE.

-- Argon2id in PHC form, with the cheap parameters of the test instance.
SELECT pwupdate.hash_password('correct horse battery staple') AS argon \gset
SELECT :'argon' ~ '^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$' AS phc_form;
SELECT pwupdate.verify_password('correct horse battery staple', :'argon') AS right_password,
       pwupdate.verify_password('correct horse battery stapl', :'argon') AS wrong_password,
       pwupdate.verify_password('', :'argon') AS empty_password;
SELECT pwupdate.hash_password('same text') <> pwupdate.hash_password('same text') AS salted;
SELECT pwupdate.needs_rehash(:'argon') AS current_argon_needs_rehash;

-- Production defaults (boot values), whatever the test instance sets.
SELECT name, boot_val, min_val, max_val, unit, context
FROM pg_settings WHERE name LIKE 'pwupdate.%' ORDER BY name;

-- bcrypt: $2a$ so that pgcrypto verifies it, at the configured cost.
SET pwupdate.algorithm = bcrypt;
SELECT pwupdate.hash_password('hunter2hunter2') AS bf \gset
SELECT left(:'bf', 7) AS prefix, length(:'bf') AS length;
SELECT pwupdate.verify_password('hunter2hunter2', :'bf') AS right_password,
       pwupdate.verify_password('hunter2hunter3', :'bf') AS wrong_password;
SELECT crypt('hunter2hunter2', :'bf') = :'bf' AS pwupdate_hash_verifies_in_pgcrypto;
SELECT crypt('pgcrypto made this', gen_salt('bf', 5)) AS pgbf \gset
SELECT pwupdate.verify_password('pgcrypto made this', :'pgbf') AS pgcrypto_hash_verifies,
       pwupdate.verify_password('pgcrypto made that', :'pgbf') AS pgcrypto_hash_wrong_password;

-- $2b$ and $2y$ are the same algorithm under other prefixes: pwupdate
-- verifies them, pgcrypto silently fails them.
SELECT '$2b$' || substr(:'pgbf', 5) AS bf2b, '$2y$' || substr(:'pgbf', 5) AS bf2y \gset
SELECT pwupdate.verify_password('pgcrypto made this', :'bf2b') AS verifies_2b,
       pwupdate.verify_password('pgcrypto made this', :'bf2y') AS verifies_2y,
       pwupdate.verify_password('pgcrypto made that', :'bf2y') AS wrong_2y,
       crypt('pgcrypto made this', :'bf2b') = :'bf2b' AS pgcrypto_verifies_2b;

-- 72 bytes: accepted; 73 bytes refused, never truncated.  Bytes, not characters.
SELECT length(pwupdate.hash_password(repeat('a', 72))) AS hash_of_72_bytes;
SELECT pwupdate.hash_password(repeat('a', 73));
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.hash_password(repeat(U&'\00e9', 37));
\echo :LAST_ERROR_SQLSTATE
-- A hash of the first 72 bytes does not accept a longer password, as pgcrypto would.
SELECT crypt(repeat('a', 72), gen_salt('bf', 4)) AS bf72 \gset
SELECT pwupdate.verify_password(repeat('a', 72) || 'b', :'bf72') AS pwupdate_accepts_longer,
       crypt(repeat('a', 72) || 'b', :'bf72') = :'bf72' AS pgcrypto_accepts_longer;

-- Rehash: another algorithm, another cost, the buggy $2x$.
SELECT pwupdate.needs_rehash(:'bf') AS bf_current,
       pwupdate.needs_rehash(:'pgbf') AS bf_other_cost,
       pwupdate.needs_rehash(:'argon') AS argon_while_bcrypt_is_chosen,
       pwupdate.needs_rehash('$2x$' || substr(:'bf', 5)) AS bf_2x;
RESET pwupdate.algorithm;
SELECT pwupdate.needs_rehash(:'bf') AS bf_while_argon_is_chosen,
       pwupdate.needs_rehash(:'argon') AS argon_current;
SET pwupdate.argon2_iterations = 2;
SELECT pwupdate.needs_rehash(:'argon') AS argon_after_iterations_change;
RESET pwupdate.argon2_iterations;
SET pwupdate.argon2_memory = '128kB';
SELECT pwupdate.needs_rehash(:'argon') AS argon_after_memory_change;
RESET pwupdate.argon2_memory;

-- Legacy crypt(3) formats made by pgcrypto verify, and always need a rehash.
-- (DES reads only 8 characters, one more reason to rehash.)
SELECT kind,
       pwupdate.verify_password('legacy pw', hash) AS right_password,
       pwupdate.verify_password('Legacy pw', hash) AS wrong_password,
       pwupdate.needs_rehash(hash) AS needs_rehash
FROM (VALUES ('md5', crypt('legacy pw', gen_salt('md5'))),
             ('xdes', crypt('legacy pw', gen_salt('xdes'))),
             ('des', crypt('legacy pw', gen_salt('des')))) AS t(kind, hash);

-- NFKC: composed and decomposed, ligatures and full-width forms match.
SELECT pwupdate.verify_password(U&'caf\00e9 cr\00e8me', pwupdate.hash_password(U&'cafe\0301 cre\0300me')) AS composed_vs_decomposed,
       pwupdate.verify_password('fine print', pwupdate.hash_password(U&'\FB01ne print')) AS ligature,
       pwupdate.verify_password('ABC123xyz', pwupdate.hash_password(U&'\FF21\FF22\FF23123xyz')) AS full_width;

-- Malformed or unrecognized stored hashes: a clear error that does not quote the hash.
SELECT pwupdate.verify_password('x', 'not-a-hash-secret-value');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.verify_password('x', '$argon2id$v=19$m=64,t=1,p=1$c2FsdA$');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.verify_password('x', '$2a$03$' || substr(:'bf', 8));
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.needs_rehash('$1$salt');
\echo :LAST_ERROR_SQLSTATE

-- No key derivation over 4096 bytes: hashing refuses, verifying does not match.
SELECT pwupdate.hash_password(repeat('a', 4097));
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.verify_password(repeat('a', 4097), :'argon');

-- NULL in, NULL out.
SELECT pwupdate.hash_password(NULL) IS NULL AS hash_null,
       pwupdate.verify_password(NULL, :'argon') IS NULL AS verify_null;

-- Setting bounds, and the reserved prefix.
SET pwupdate.bcrypt_cost = 3;
SET pwupdate.bcrypt_cost = 32;
SET pwupdate.argon2_memory = '4kB';
SET pwupdate.argon2_iterations = 0;
SET pwupdate.algorithm = 'md5';
SET pwupdate.min_length = 7;
SET pwupdate.max_length = 63;
SET pwupdate.algorithmm = 'bcrypt';

-- Only a superuser can change how passwords are stored.
CREATE ROLE regress_dba IN ROLE pwupdate_admin;
SET ROLE regress_dba;
SET pwupdate.argon2_iterations = 1;
\echo :LAST_ERROR_SQLSTATE
SET pwupdate.algorithm = bcrypt;
SELECT pwupdate.verify_password('correct horse battery staple', :'argon') AS admin_can_verify;
RESET ROLE;
DROP ROLE regress_dba;
