# Soak: many clients run the mixed API load (test/load/mixed.sql) for
# SOAK_SECONDS (default 20).  No client may hit an error (pgbench aborts a
# client on any error, deadlocks included), and afterwards every audit row
# matches a logged change, every password is the last one set, and a reset
# token was spent exactly when its change was logged.
set -u
. "$(dirname "$0")/lib.sh"
seconds=${SOAK_SECONDS:-20}

start_instance soak "max_connections = 40" "deadlock_timeout = 100ms" || exit 1
# 150 reset tokens per second of load (see test/load/setup.sql)
psql -X -q -v ON_ERROR_STOP=1 -v resets=$((150 * seconds)) -f test/load/setup.sql >/dev/null || exit 1
pgbench -n -M prepared -c 8 -j 2 -T "$seconds" -f test/load/mixed.sql > "$INSTANCE/pgbench.out" 2>&1
status=$?
grep -E '^(number of (transactions actually processed|failed transactions)|tps)' "$INSTANCE/pgbench.out"
check "pgbench finished with no client aborted" test "$status" -eq 0
psql -X -q -c 'SELECT resource, action, count(*) FROM load.changes GROUP BY resource, action ORDER BY resource, action'
psql -X -At -c "SELECT format('reset tokens used: %s of %s', count(*) FILTER (WHERE used), count(*)) FROM load.resets"
# A resource the mix never reached would pass every check below unseen.
check "every resource changed under the load" \
	test "$(psql -X -At -c 'SELECT count(DISTINCT resource) FROM load.changes')" -eq 4
problems=$(psql -X -At -F ': ' -f test/load/verify.sql | grep -v ': 0$')
check "every change audited once, no stray audit row, no lost update, every reset token spent with its change" \
	test -z "$problems"
[ -n "$problems" ] && echo "$problems"
check "no deadlock reported in the server log" bash -c "! grep -q 'deadlock detected' '$INSTANCE/server.log'"
stop_instance
[ "$CHECK_FAILURES" -eq 0 ]
