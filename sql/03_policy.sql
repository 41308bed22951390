-- The password policy: each rule, in order, with its message and SQLSTATE.
-- The password never appears in a message.

-- Length is counted in characters after NFKC, not bytes.
SELECT pwupdate.validate_password('Tr0ub4d');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password(U&'\00e9t\00e9 \00e0 Gen\00e8ve') AS eleven_chars_ok;
SELECT pwupdate.validate_password(U&'e\0301te\0301 a\0300');
SELECT pwupdate.validate_password(repeat('ab1', 42) || 'xy') AS max_128_ok;
SELECT pwupdate.validate_password(repeat('ab1', 43));
\echo :LAST_ERROR_SQLSTATE

-- Minimum and maximum follow the settings.
SET pwupdate.min_length = 15;
SELECT pwupdate.validate_password('fourteen chars');
SELECT pwupdate.validate_password('fifteen chars!!') AS fifteen_ok;
RESET pwupdate.min_length;
SET pwupdate.max_length = 64;
SELECT pwupdate.validate_password(repeat('q7', 32) || 'z');
RESET pwupdate.max_length;

-- Repetition and sequences, case-insensitively.
SELECT pwupdate.validate_password('aaaaaaaaaa');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password('AbAbAbAbab');
SELECT pwupdate.validate_password('xyzXYZxyzxyz');
SELECT pwupdate.validate_password('abcdefgh');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password('87654321');
SELECT pwupdate.validate_password('MNOPQRSTU');
SELECT pwupdate.validate_password('abcdefgz') AS almost_a_sequence_ok,
       pwupdate.validate_password('abababax') AS almost_repetitive_ok;

-- Context words: contained anywhere, any case; short ones are ignored.
SELECT pwupdate.validate_password('Carrierx_Partner!', '{"login": "carrierx_partner"}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password('my john.doe secret', '{"username": "john.doe"}');
SELECT pwupdate.validate_password('margaret in 1970', '{"user id": "x.acme", "email": "margaret"}');
SELECT pwupdate.validate_password('ab is a fine start', '{"login": "ab"}') AS short_word_ignored;
SELECT pwupdate.validate_password('nothing in common', '{"login": null}') AS null_word_ignored;
SELECT pwupdate.validate_password('nothing in common', '{"login": 42}');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password('nothing in common', '["login"]');
\echo :LAST_ERROR_SQLSTATE

-- The blocklist: John the Ripper's list, matched case-insensitively after NFKC.
SELECT pwupdate.validate_password('password1');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.validate_password('PassWord1');
SELECT pwupdate.validate_password(U&'\FF50assword1');
SELECT pwupdate.validate_password('baseball');
-- A DBA extends it.
SELECT pwupdate.validate_password('acmecorp2024') AS before_dba_word;
INSERT INTO pwupdate.blocklist (word) VALUES ('acmecorp2024');
SELECT pwupdate.validate_password('ACMEcorp2024');
-- Words are stored lower-case and normalized, or they would never match.
INSERT INTO pwupdate.blocklist (word) VALUES ('AcmeCorp2025');
\echo :LAST_ERROR_SQLSTATE
-- A file of words, one per line.
\! printf 'first-listed-word\nsecond-listed-word\n\n' > /tmp/pwupdate_regress_words.txt
SELECT pwupdate.load_blocklist('/tmp/pwupdate_regress_words.txt') AS words_added;
SELECT pwupdate.load_blocklist('/tmp/pwupdate_regress_words.txt') AS added_again;
\! rm -f /tmp/pwupdate_regress_words.txt
SELECT pwupdate.validate_password('Second-Listed-Word');
SELECT source, count(*) FROM pwupdate.blocklist WHERE source = 'dba' GROUP BY source;
