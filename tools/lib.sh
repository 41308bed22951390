# Shared by tools/check and tools/demo: root, Debian packages, a private copy
# of the tree that an unprivileged user can build and test in.

PG_MAJOR=15
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
# initdb and the server refuse to run as root; postgresql-common creates this user.
BUILD_USER=postgres

PACKAGES=(
	make gcc libc6-dev
	"postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR"
	libsodium-dev libcrypt-dev
	john-data
)

# Re-run the calling script as root (through sudo) when needed.
become_root() {
	if [ "$(id -u)" -ne 0 ]; then
		exec sudo -- "$0" "$@"
	fi
}

install_packages() {
	local missing=() p
	[ "${PWUPDATE_VALGRIND:-0}" = 1 ] && PACKAGES+=(valgrind)
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "Installing Debian packages: ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

# Copy the source tree (without .git and build outputs) into $2, owned by
# the build user, so a checkout in a private home directory works too.
copy_tree() {
	local from=$1 to=$2
	mkdir -p "$to"
	tar -C "$from" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude=tmp_check \
		--exclude=results --exclude=output_iso -cf - . | tar -C "$to" -xf -
	chown -R "$BUILD_USER:" "$to"
}

# Knobs of the test and benchmark scripts that reach them through as_build_user.
KNOBS=(PWUPDATE_VALGRIND FUZZ_ITERATIONS FUZZ_SEED SOAK_SECONDS BENCH_SECONDS)

as_build_user() {
	local knob passed=()
	for knob in "${KNOBS[@]}"; do
		[ -n "${!knob:-}" ] && passed+=("$knob=${!knob}")
	done
	runuser -u "$BUILD_USER" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$WORK" LANG=C.UTF-8 PG_CONFIG="$PG_CONFIG" "${passed[@]}" "$@"
}
