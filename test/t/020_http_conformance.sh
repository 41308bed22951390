# Serving through PostgREST: the install notifies PostgREST, setup_postgrest()
# creates its roles (test/http/setup.sql against test/http/setup.out), and
# every request fixture in test/http/fixtures answers as expected when
# replayed exactly as PostgREST v12+ sends it (test/http/replay.c).
# Ends with "N passed, M failed", counting each check and each fixture.
set -u
. "$(dirname "$0")/lib.sh"

out=$PWD/tmp_check/http
mkdir -p "$out"
checks=0
count_check() {
	checks=$((checks + 1))
	check "$@"
}

# The runner is a libpq client.  A staged pg_config reports its include and
# library directories under the stage, which holds only the server; libpq is
# where the real installation has it.
stage=$PWD/tmp_check/stage
includedir=$("$PG_CONFIG" --includedir)
libdir=$("$PG_CONFIG" --libdir)
gcc -Wall -Wextra -Werror -I"${includedir#"$stage"}" -o "$out/replay" \
	test/http/replay.c test/http/request.c test/http/status.c -L"${libdir#"$stage"}" -lpq || exit 1

start_instance http_instance || exit 1

setup_matches() {
	psql -X -a -q -v VERBOSITY=default < test/http/setup.sql 2>&1 |
		sed -E 's/server process with PID [0-9]+/server process with PID N/' > "$out/setup.out"
	diff -u test/http/setup.out "$out/setup.out"
}
count_check "setup_postgrest() and the install's NOTIFY (test/http/setup.sql)" setup_matches

# Upgrade scripts end like the install script, so PostgREST reloads after them too.
notifies_at_end() {
	local script
	for script in pwupdate--*--*.sql; do
		[ -e "$script" ] || continue
		grep -v -e '^--' -e '^[[:space:]]*$' "$script" | tail -n 1 |
			grep -qx "NOTIFY pgrst, 'reload schema';" || { echo "$script"; return 1; }
	done
}
count_check "every upgrade script ends with NOTIFY pgrst, 'reload schema'" notifies_at_end

"$out/replay" -S test/http/replay.sql test/http/fixtures/*.json | tee "$out/replay.out"
summary=$(tail -n 1 "$out/replay.out")
stop_instance

if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
	passed=$((checks - CHECK_FAILURES + BASH_REMATCH[1]))
	failed=$((CHECK_FAILURES + BASH_REMATCH[2]))
else
	echo "FAILED - the fixture runner did not finish"
	passed=$((checks - CHECK_FAILURES))
	failed=$((CHECK_FAILURES + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
