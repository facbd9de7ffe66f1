#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the integration tests and prints its URL.
# Installs Debian's postgresql when it is missing and we are root. Used by scripts/test-all.sh.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq postgresql >/dev/null
		bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	else
		echo "PostgreSQL is missing: install it (Debian: sudo apt-get install postgresql) or set TEST_DATABASE_URL." >&2
		exit 1
	fi
fi
dir=$(mktemp -d /tmp/lernlotse-pg.XXXXXX)
port=${PGPORT_FOR_TESTS:-$((20000 + RANDOM % 20000))}
run() {
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres "$dir"
		su postgres -c "$*"
	else
		bash -c "$*"
	fi
}
run "$bin/initdb -D $dir/data -A trust -U postgres" >/dev/null
run "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' -l $dir/log start -w" >/dev/null
echo "$dir" > "${PG_DIR_FILE:-/dev/null}"
echo "postgres://postgres@127.0.0.1:$port/postgres"
