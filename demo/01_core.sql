-- pwupdate's password core: hashing, verifying, rehash checks and the
-- password policy, as a DBA sees them in psql.
CREATE EXTENSION pgcrypto;
CREATE EXTENSION pwupdate;
\set VERBOSITY default

-- Production defaults: Argon2id, m = 19456 KiB, t = 2, p = 1 (OWASP).
SHOW pwupdate.algorithm;
SHOW pwupdate.argon2_memory;
SHOW pwupdate.argon2_iterations;

-- Hash and verify.  Composed and decomposed spellings are the same password.
SELECT pwupdate.hash_password('correct horse battery staple') AS hash \gset
SELECT left(:'hash', 31) AS hash_prefix;
SELECT pwupdate.verify_password('correct horse battery staple', :'hash') AS right_password,
       pwupdate.verify_password('Correct horse battery staple', :'hash') AS wrong_password;
SELECT pwupdate.verify_password(U&'caf\00e9 au lait 2024', pwupdate.hash_password(U&'cafe\0301 au lait 2024')) AS nfkc_equal;

-- bcrypt hashes made by pgcrypto verify here, and pwupdate's verify in pgcrypto.
SELECT pwupdate.verify_password('hunter2hunter2', crypt('hunter2hunter2', gen_salt('bf', 10))) AS pgcrypto_hash_in_pwupdate;
SET pwupdate.algorithm = 'bcrypt';
SET pwupdate.bcrypt_cost = 10;
SELECT pwupdate.hash_password('hunter2hunter2') AS bcrypt_hash \gset
SELECT crypt('hunter2hunter2', :'bcrypt_hash') = :'bcrypt_hash' AS pwupdate_hash_in_pgcrypto;
-- bcrypt would read only 72 bytes of this one: refused, never truncated.
SELECT pwupdate.hash_password(repeat('x', 73));
RESET pwupdate.algorithm;

-- Hashes from older settings or algorithms ask to be upgraded.
SELECT pwupdate.needs_rehash(:'hash') AS argon2id_current,
       pwupdate.needs_rehash(:'bcrypt_hash') AS bcrypt_now_legacy,
       pwupdate.needs_rehash(crypt('pw', gen_salt('md5'))) AS md5_crypt;

-- The policy: each failure names its rule, never the password.
SELECT pwupdate.validate_password('short');
SELECT pwupdate.validate_password('password1');
SELECT pwupdate.validate_password('abcdefghij');
SELECT pwupdate.validate_password('xyzxyzxyzxyz');
SELECT pwupdate.validate_password('carrierx_partner!2024', '{"login": "carrierx_partner"}');
SELECT pwupdate.validate_password('a long and uncommon phrase', '{"login": "carrierx_partner"}');
