# Crash: kill the server with SIGKILL in the middle of the mixed API load,
# restart it, and check that every change is all there or not there at all:
# a logged change has its audit row, its password and, for a reset, its
# spent token, and nothing else is.
set -u
. "$(dirname "$0")/lib.sh"

crash_after=${CRASH_AFTER:-4}

start_instance crash "max_connections = 40" || exit 1
# 150 reset tokens per second of load (see test/load/setup.sql), counting
# whole seconds and one more for the time the kill takes.
psql -X -q -v ON_ERROR_STOP=1 -v resets=$((150 * (${crash_after%.*} + 1))) -f test/load/setup.sql >/dev/null || exit 1
pgbench -n -M prepared -c 8 -j 2 -T 60 -f test/load/mixed.sql > "$INSTANCE/pgbench.out" 2>&1 &
load=$!
sleep "$crash_after"

# Every server process at once, as a power cut would.
postmaster=$(head -n 1 "$INSTANCE/data/postmaster.pid")
processes="$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
kill -KILL $processes
while kill -0 $processes 2>/dev/null; do sleep 0.1; done
wait "$load"
check "the load was cut off by the crash" grep -q 'Run was aborted' "$INSTANCE/pgbench.out"

pg_ctl -D "$INSTANCE/data" -l "$INSTANCE/server.log" -w start >/dev/null || exit 1
check "the server recovered from the crash" grep -q 'database system was interrupted\|was not properly shut down' "$INSTANCE/server.log"
changes=$(psql -X -At -c 'SELECT count(*) FROM load.changes')
echo "changes committed before the crash: $changes"
psql -X -q -c 'SELECT resource, action, count(*) FROM load.changes GROUP BY resource, action ORDER BY resource, action'
check "changes were committed before the crash" test "$changes" -gt 0
problems=$(psql -X -At -F ': ' -f test/load/verify.sql | grep -v ': 0$')
check "every change all there or not at all after recovery" test -z "$problems"
[ -n "$problems" ] && echo "$problems"
stop_instance
[ "$CHECK_FAILURES" -eq 0 ]
