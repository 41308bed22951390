# Helpers for test scripts that need a server of their own, with settings
# pg_regress cannot give: preloading, logging to a file, restarts.
# Expects PG_CONFIG to point at the staged installation (test/run sets it).

bindir=$("$PG_CONFIG" --bindir)
export PATH="$bindir:$PATH"

# start_instance NAME [postgresql.conf line ...]
# The lines come after test/pwupdate.conf, so they override it (for example
# shared_preload_libraries = '' for an instance without preloading).
start_instance() {
	local name=$1
	shift
	INSTANCE=$PWD/tmp_check/$name
	rm -rf "$INSTANCE"
	mkdir -p "$INSTANCE"
	initdb -D "$INSTANCE/data" -E UTF8 --locale=C.UTF-8 -A trust >/dev/null || return 1
	{
		cat test/pwupdate.conf
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$INSTANCE'"
		printf '%s\n' "$@"
	} >> "$INSTANCE/data/postgresql.conf"
	pg_ctl -D "$INSTANCE/data" -l "$INSTANCE/server.log" -w start >/dev/null || return 1
	export PGHOST=$INSTANCE PGDATABASE=postgres
}

stop_instance() {
	pg_ctl -D "$INSTANCE/data" -m fast -w stop >/dev/null
}

# check DESCRIPTION COMMAND...: run a check, print ok/FAILED, count failures.
CHECK_FAILURES=0
check() {
	local description=$1
	shift
	if "$@"; then
		echo "ok - $description"
	else
		echo "FAILED - $description"
		CHECK_FAILURES=$((CHECK_FAILURES + 1))
	fi
}
