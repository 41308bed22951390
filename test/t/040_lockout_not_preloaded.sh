# Without shared_preload_libraries there is no shared memory for failure
# counts: the extension says so when it is installed and loaded, and
# nothing is ever locked out.  (sql/14 and sql/44 test the preloaded way.)
set -u
. "$(dirname "$0")/lib.sh"

start_instance lockout_not_preloaded "shared_preload_libraries = ''" "pwupdate.lockout_threshold = 3" || exit 1
install_output=$(psql -X -q -c 'CREATE EXTENSION pwupdate' 2>&1)
check "CREATE EXTENSION warns that pwupdate is not preloaded" \
	grep -q 'WARNING:  pwupdate is not in shared_preload_libraries' <<<"$install_output"

results=$(psql -X -At -v ON_ERROR_STOP=1 <<'SQL'
SELECT pwupdate.create_login('unpreloaded', 'the right passphrase',
	'6f1d3f4e-2c55-4c1b-9a53-0b5e1c7d2a10') ->> 'login_sid' AS sid \gset
SELECT count(*) FILTER (WHERE NOT pwupdate.check_password('partner_login', :'sid', 'wrong ' || g))
FROM generate_series(1, 10) AS g;
SELECT pwupdate.check_password('partner_login', :'sid', 'the right passphrase');
SQL
)
check "ten failures, then the right password still verifies" test "$results" = $'10\nt'
stop_instance
check "the server log says failed attempts are not counted" \
	grep -q 'pwupdate is not in shared_preload_libraries, so failed attempts are not counted' "$INSTANCE/server.log"
[ "$CHECK_FAILURES" -eq 0 ]
