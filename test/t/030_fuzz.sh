# The fuzzer (test/fuzz): every target gets FUZZ_ITERATIONS mutated bodies
# (default 300); the backend must survive, only documented SQLSTATEs may come
# back, and failed calls must change nothing.  A longer run:
#   FUZZ_ITERATIONS=20000 tools/check
set -u
. "$(dirname "$0")/lib.sh"

start_instance fuzz || exit 1
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pwupdate' -f test/fuzz/fuzz.sql >/dev/null || exit 1
for targets in test/fuzz/targets_*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -f "$targets" >/dev/null || exit 1
done
psql -X -q -v ON_ERROR_STOP=1 -c "SELECT setseed(0.${FUZZ_SEED:-4242})" \
	-c "SELECT * FROM fuzz.run(${FUZZ_ITERATIONS:-300})"
status=$?
check "the backend survived every call" test "$status" -eq 0
check "only documented SQLSTATEs, and no change on error" \
	test "$(psql -X -At -c 'SELECT count(*) FROM fuzz.finding')" = 0
psql -X -c 'SELECT * FROM fuzz.finding LIMIT 20' | grep -v '(0 rows)' | sed -n '3,$p'
stop_instance
[ "$CHECK_FAILURES" -eq 0 ]
