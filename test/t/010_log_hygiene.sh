# No password or token reaches the server log: statements calling pwupdate
# are logged with their literals masked (preloaded), bind parameters too, and
# errors never repeat the statement text (preloaded or not).  Every API
# function is driven, succeeding and failing (test/log/api_calls.sql).
set -u
. "$(dirname "$0")/lib.sh"

run_calls() {
	psql -X -q -v ON_ERROR_STOP=0 >/dev/null 2>&1 <<'SQL'
CREATE EXTENSION IF NOT EXISTS pwupdate;
SELECT pwupdate.hash_password('Marker-Secret-Hash');
SELECT pwupdate.verify_password('Marker-Secret-Verify', pwupdate.hash_password('x'));
SELECT pwupdate.validate_password(E'Marker-Secret-\'Escaped\'');
SELECT pwupdate.validate_password($q$Marker-Secret-Dollar$q$);
SELECT pwupdate.validate_password('Marker-Secret-Ok', '{"login": "someone"}');
SELECT pwupdate.validate_password('Marker-Secret-Login', '{"login": "Marker-Secret-Login"}');
SELECT pwupdate.verify_password('Marker-Secret-BadHash', 'not a hash');
SELECT pwupdate.hash_password(repeat('Marker-Secret-Long', 300));
-- Bodies the server's jsonb input refuses before pwupdate sees them: it
-- quotes the input in its DETAIL and CONTEXT.
SELECT pwupdate.import_hashes('user', '[{"id": "x", "hash": "Marker-Secret-Malformed-Json"}, ]');
SELECT pwupdate.patch_login('00000000-0000-4000-8000-000000000000', '{"password": Marker-Secret-Bare-Token}');
SELECT pwupdate.reset_customer_password('NoSuchOne0', '{"data": {"attributes": {"customer_password": "Marker-Secret-Nul-Escape\u0000"}}}');
SQL
	psql -X -q -v tokens="$INSTANCE/tokens" -f test/log/api_calls.sql >/dev/null 2>&1
	# Extended protocol: the password travels as a bind parameter.
	echo 'SELECT pwupdate.hash_password(:pw);' > "$INSTANCE/bind.sql"
	pgbench -n -t 1 -M extended -D pw=Marker-Secret-Bind -f "$INSTANCE/bind.sql" >/dev/null 2>&1
	echo "SELECT pwupdate.verify_password(:pw, 'not a hash');" > "$INSTANCE/bind_error.sql"
	pgbench -n -t 1 -M extended -D pw=Marker-Secret-BindError -f "$INSTANCE/bind_error.sql" >/dev/null 2>&1
	# PostgREST passes cookies and headers (session, CSRF and bearer tokens)
	# as bind parameters of its set_config statement.
	echo "SELECT set_config('search_path', 'pwupdate', true), set_config('request.headers', :headers, true), set_config('request.cookies', :cookies, true);" > "$INSTANCE/postgrest.sql"
	pgbench -n -t 1 -M extended -D headers='{"x-csrf-token_acme":"Marker-Secret-Csrf"}' \
		-D cookies='{"AtmoAuthToken_acme":"Marker-Secret-Session"}' -f "$INSTANCE/postgrest.sql" >/dev/null 2>&1
	# DBA maintenance as an application calls it, by bind parameters: a
	# forced reset's token (a wrong one, then the issued one, which joins the
	# tokens searched for) with the new password, and hashes to import (one
	# refused import, one that succeeds).
	psql -X -q -At -c "SELECT reset_token FROM pwupdate.force_password_reset('user',
		ARRAY['0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp'])" >>"$INSTANCE/tokens" 2>/dev/null
	echo "SELECT pwupdate.reset_password('user', '0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp', :token, :pw);" \
		>"$INSTANCE/reset.sql"
	pgbench -n -t 1 -M extended -D token=Marker-Secret-BindWrongToken -D pw=Marker-Secret-BindReset-1 \
		-f "$INSTANCE/reset.sql" >/dev/null 2>&1
	pgbench -n -t 1 -M extended -D token="$(tail -n 1 "$INSTANCE/tokens")" -D pw=Marker-Secret-BindReset-2 \
		-f "$INSTANCE/reset.sql" >/dev/null 2>&1
	echo "SELECT pwupdate.import_hashes('user', :hashes, true);" >"$INSTANCE/import.sql"
	pgbench -n -t 1 -M extended -f "$INSTANCE/import.sql" \
		-D hashes='[{"id": "no such user", "hash": "Marker-Secret-BindImport"}]' >/dev/null 2>&1
	# A bind parameter that is not valid JSON, refused by the server before
	# the call, in a new connection: only a preloaded pwupdate is there to
	# mask it (README, "The server log").
	if [ "${1:-}" = preloaded ]; then
		pgbench -n -t 1 -M extended -f "$INSTANCE/import.sql" \
			-D hashes='[{"id": "x", "hash": "Marker-Secret-Bind-Malformed"},]' >/dev/null 2>&1
	fi
	pgbench -n -t 1 -M extended -f "$INSTANCE/import.sql" \
		-D hashes='[{"id": "0b7d9a43-6a1c-4f62-9a77-3c1e2d4f5a6b.logcorp", "hash": "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"}]' \
		>/dev/null 2>&1
}

no_marker_in_log() {
	! grep -n 'Marker-Secret' "$INSTANCE/server.log" &&
		! grep -n -F -f <(grep -v '^$' "$INSTANCE/tokens") "$INSTANCE/server.log"
}

# Session, CSRF, member and customer reset tokens, and three of forced
# resets (two in test/log/api_calls.sql, one for the bind parameters).
tokens_were_issued() {
	[ "$(grep -c '^[A-Za-z0-9]\{20,\}$' "$INSTANCE/tokens")" -ge 7 ]
}

# The maintenance calls happened, and failed where they should.
maintenance_was_called() {
	grep -q "DETAIL:  The token is wrong, expired or used, or the account's password is no longer voided." \
		"$INSTANCE/server.log" &&
		grep -q 'ERROR:  could not import password hashes: 1 row is invalid' "$INSTANCE/server.log" &&
		grep -q 'DETAIL:  No login has the id "no such login".' "$INSTANCE/server.log"
}

# Preloaded, with everything logged that can be.
start_instance log_preloaded \
	"shared_preload_libraries = 'pwupdate'" \
	"log_statement = 'all'" \
	"log_min_duration_statement = 0" \
	"log_min_error_statement = error" \
	"log_parameter_max_length = -1" \
	"log_parameter_max_length_on_error = -1" || exit 1
run_calls preloaded
stop_instance
check "preloaded: session, CSRF, member, reset and forced reset tokens were issued" tokens_were_issued
check "preloaded: no plaintext in the log" no_marker_in_log
check "preloaded: statements were logged, masked" \
	grep -q "statement: SELECT pwupdate.hash_password('\*\*\*');" "$INSTANCE/server.log"
check "preloaded: bind parameters were logged, masked" \
	grep -q "parameters: \$1 = '\*\*\*'" "$INSTANCE/server.log"
check "preloaded: errors were logged" \
	grep -q 'ERROR:  password must not contain the login' "$INSTANCE/server.log"
check "preloaded: forced resets and imports were called, and refused where they should be" maintenance_was_called
check "preloaded: bodies the jsonb input refused were logged, masked" \
	grep -q 'CONTEXT:  JSON data, line 1: \*\*\*' "$INSTANCE/server.log"
check "preloaded: reset_password was logged, masked" \
	grep -qF "statement: SELECT pwupdate.reset_password('***', '***', '***', '***');" "$INSTANCE/server.log"

# Not preloaded: errors still never repeat the statement.
start_instance log_not_preloaded "shared_preload_libraries = ''" "log_min_error_statement = error" || exit 1
run_calls
stop_instance
check "not preloaded: no plaintext in the log" no_marker_in_log
check "not preloaded: bodies the jsonb input refused were logged, masked" \
	grep -q 'CONTEXT:  JSON data, line 1: \*\*\*' "$INSTANCE/server.log"
check "not preloaded: errors were logged without their statement" \
	grep -q 'ERROR:  unrecognized password hash format' "$INSTANCE/server.log"
check "not preloaded: forced resets and imports were called, and refused where they should be" \
	maintenance_was_called

[ "$CHECK_FAILURES" -eq 0 ]
