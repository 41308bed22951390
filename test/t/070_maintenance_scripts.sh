# The psql scripts of maintenance/, run as a DBA runs them (psql -f, as a
# member of pwupdate_admin), and what pg_regress cannot show: the purge
# skipping rows another transaction has locked without waiting for it, two
# resets racing with one token, and no reset token in the server log.
set -u
. "$(dirname "$0")/lib.sh"

CHECKS=0
c() {
	CHECKS=$((CHECKS + 1))
	check "$@"
}

start_instance maintenance \
	"log_statement = 'all'" \
	"log_min_error_statement = error" || exit 1

# Statements of the test itself, as the superuser.
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# A maintenance script as the DBA: stdout to $out, stderr to $err.
out=$INSTANCE/out
err=$INSTANCE/err
run_script() {
	local script=$1
	shift
	psql -X -U maint_dba -v ON_ERROR_STOP=1 "$@" -f "maintenance/$script" >"$out" 2>"$err"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

ALICE=a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e1.scripts
BOB=a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e2.scripts
CAROL=a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e3.scripts
q >/dev/null <<SQL || exit 1
CREATE EXTENSION pwupdate;
CREATE ROLE maint_dba LOGIN IN ROLE pwupdate_admin;
SELECT pwupdate.create_user('$ALICE', 'alice@scripts.example', 'Wonderland 1865');
SELECT pwupdate.create_user('$BOB', 'bob@scripts.example', 'Builder can we fix it');
INSERT INTO pwupdate.user_account (user_id, email, password_hash)
VALUES ('$CAROL', 'carol@scripts.example', '!voided');
SQL

expire_sessions() {
	q -c "INSERT INTO pwupdate.user_session (user_id, token_digest, csrf_digest, expires_at)
		  SELECT '$ALICE', md5(random()::text) || md5(random()::text), 'x', now() - interval '1 minute'
		  FROM generate_series(1, $1)"
}

# purge.sql: batches of two, a NOTICE after each, the counts at the end.
expire_sessions 5
run_script purge.sql -v batch_size=2 -v progress_every=1
c "purge.sql: exits 0" test $? -eq 0
c "purge.sql: reports the counts" grep -q '"user_session": 5' "$out"
c "purge.sql: NOTICEs the progress" \
	grep -q 'NOTICE:  purged 4 expired rows from "pwupdate.user_session" so far' "$err"
c "purge.sql: nothing expired is left" test "$(q -c 'SELECT count(*) FROM pwupdate.user_session')" = 0

# A transaction holds one expired session locked: the purge deletes the
# others without waiting, and the locked one at the next run.
expire_sessions 3
q -c "BEGIN" -c "SELECT 1 FROM pwupdate.user_session LIMIT 1 FOR UPDATE" \
	-c "SELECT pg_sleep(5)" -c "COMMIT" >/dev/null &
locker=$!
for _ in $(seq 50); do
	[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
start=$(now_ms)
run_script purge.sql
elapsed=$(($(now_ms) - start))
c "purge.sql: skips the locked row" grep -q '"user_session": 2' "$out"
c "purge.sql: does not wait for the lock (${elapsed} ms)" test "$elapsed" -lt 3000
wait "$locker"
run_script purge.sql
c "purge.sql: purges the row once it is free" grep -q '"user_session": 1' "$out"

# hash_report.sql
run_script hash_report.sql
c "hash_report.sql: exits 0" test $? -eq 0
c "hash_report.sql: counts the users' argon2id hashes" \
	grep -Eq '^ user +\| argon2id +\| m=64,t=1,p=1 +\| +2 \| +0$' "$out"
c "hash_report.sql: counts the voided password" grep -Eq '^ user +\| voided +\| +\| +1 \| +0$' "$out"
c "hash_report.sql: totals per resource" grep -Eq '^ user +\| +3 \| +0 \| +1 \| +$' "$out"

# import_hashes.sql: an invalid row stops everything; then a valid file.
printf 'id,hash\n%s,$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a\n%s,not a hash\n' \
	"$CAROL" "$BOB" >"$INSTANCE/bad.csv"
run_script import_hashes.sql -v resource=user <"$INSTANCE/bad.csv"
c "import_hashes.sql: an invalid file exits 3" test $? -eq 3
c "import_hashes.sql: lists the invalid row" \
	grep -Eq "^ +2 \| $BOB \| unrecognized password hash format$" "$out"
c "import_hashes.sql: the error says how many rows are invalid" \
	grep -q 'ERROR:  could not import password hashes: 1 row is invalid' "$err"
c "import_hashes.sql: nothing was imported" \
	test "$(q -c "SELECT (pwupdate.hash_info(password_hash)).algorithm FROM pwupdate.user_account WHERE user_id = '$CAROL'")" = voided
c "import_hashes.sql: no hash in the messages" bash -c "! grep -q 'vGA1O9' '$err'"
head -n 2 "$INSTANCE/bad.csv" >"$INSTANCE/good.csv"
run_script import_hashes.sql -v resource=user <"$INSTANCE/good.csv"
c "import_hashes.sql: a valid file exits 0" test $? -eq 0
c "import_hashes.sql: reports the import" grep -Eq '^ +1$' "$out"
c "import_hashes.sql: the imported hash verifies" \
	test "$(q -c "SELECT pwupdate.sign_in('carol@scripts.example', 'rasmuslerdorf') ->> 'user_id'")" = "$CAROL"

# force_reset.sql: ids in, tokens out as CSV.
q -c "SELECT pwupdate.sign_in('alice@scripts.example', 'Wonderland 1865')" >/dev/null
printf '%s\n\n%s\n' "$ALICE" "$BOB" | run_script force_reset.sql -v resource=user
c "force_reset.sql: exits 0" test $? -eq 0
c "force_reset.sql: prints a CSV header" test "$(head -n 1 "$out")" = "id,reset_token,expires_at"
c "force_reset.sql: one token per account" test "$(grep -Ec '^a0a0a0a0-[^,]+,[A-Za-z0-9]{43},' "$out")" = 2
c "force_reset.sql: nothing but the CSV on standard output" test "$(wc -l <"$out")" = 3
c "force_reset.sql: the old password no longer verifies" \
	bash -c "! psql -X -q -At -c \"SELECT pwupdate.sign_in('alice@scripts.example', 'Wonderland 1865')\" 2>/dev/null"
c "force_reset.sql: the user's sessions ended" \
	test "$(q -c "SELECT count(*) FROM pwupdate.user_session WHERE user_id = '$ALICE'")" = 0
alice_token=$(grep "^$ALICE," "$out" | cut -d, -f2)
bob_token=$(grep "^$BOB," "$out" | cut -d, -f2)
printf 'no-such-user\n' | run_script force_reset.sql -v resource=user
c "force_reset.sql: an unknown id exits 3" test $? -eq 3
c "force_reset.sql: and names it" grep -q 'DETAIL:  No user has the id "no-such-user".' "$err"
run_script force_reset.sql </dev/null
c "force_reset.sql: without -v resource, exits 3" test $? -eq 3

# Two resets with one token at once: the first holds the account's row
# until it commits; the second then finds the token used.
psql -X -q -U maint_dba -v ON_ERROR_STOP=1 -c "BEGIN" \
	-c "SELECT pwupdate.reset_password('user', '$ALICE', '$alice_token', 'Through the looking glass')" \
	-c "SELECT pg_sleep(2)" -c "COMMIT" >"$INSTANCE/first.out" 2>&1 &
first=$!
for _ in $(seq 50); do
	[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
psql -X -q -U maint_dba -c "SELECT pwupdate.reset_password('user', '$ALICE', '$alice_token', 'Down the rabbit hole')" \
	>"$INSTANCE/second.out" 2>&1
wait "$first"
c "race: the first reset succeeds" test $? -eq 0
c "race: the second gets the one token error" \
	grep -q 'ERROR:  invalid or expired reset token' "$INSTANCE/second.out"
c "race: the first reset's password is the one set" \
	test "$(q -c "SELECT pwupdate.sign_in('alice@scripts.example', 'Through the looking glass') ->> 'user_id'")" = "$ALICE"

stop_instance
no_token_in_log() {
	! grep -n -e "$alice_token" -e "$bob_token" "$INSTANCE/server.log"
}
c "no reset token in the server log" no_token_in_log
c "the calls were logged, masked" grep -q "SELECT pwupdate.reset_password('\*\*\*', '\*\*\*', '\*\*\*', '\*\*\*')" "$INSTANCE/server.log"

echo "$((CHECKS - CHECK_FAILURES)) passed, $CHECK_FAILURES failed"
[ "$CHECK_FAILURES" -eq 0 ]
