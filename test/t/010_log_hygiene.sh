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
}

no_marker_in_log() {
	! grep -n 'Marker-Secret' "$INSTANCE/server.log" &&
		! grep -n -F -f <(grep -v '^$' "$INSTANCE/tokens") "$INSTANCE/server.log"
}

tokens_were_issued() {
	[ "$(grep -c '^[A-Za-z0-9]\{20,\}$' "$INSTANCE/tokens")" -ge 3 ]
}

# Preloaded, with everything logged that can be.
start_instance log_preloaded \
	"shared_preload_libraries = 'pwupdate'" \
	"log_statement = 'all'" \
	"log_min_duration_statement = 0" \
	"log_min_error_statement = error" \
	"log_parameter_max_length = -1" \
	"log_parameter_max_length_on_error = -1" || exit 1
run_calls
stop_instance
check "preloaded: session, CSRF and member tokens were issued" tokens_were_issued
check "preloaded: no plaintext in the log" no_marker_in_log
check "preloaded: statements were logged, masked" \
	grep -q "statement: SELECT pwupdate.hash_password('\*\*\*');" "$INSTANCE/server.log"
check "preloaded: bind parameters were logged, masked" \
	grep -q "parameters: \$1 = '\*\*\*'" "$INSTANCE/server.log"
check "preloaded: errors were logged" \
	grep -q 'ERROR:  password must not contain the login' "$INSTANCE/server.log"

# Not preloaded: errors still never repeat the statement.
start_instance log_not_preloaded "shared_preload_libraries = ''" "log_min_error_statement = error" || exit 1
run_calls
stop_instance
check "not preloaded: no plaintext in the log" no_marker_in_log
check "not preloaded: errors were logged without their statement" \
	grep -q 'ERROR:  unrecognized password hash format' "$INSTANCE/server.log"

[ "$CHECK_FAILURES" -eq 0 ]
