#!/usr/bin/env bash
# Stops the cluster ensure-postgres.sh started (its directory is the only argument).
set -euo pipefail
dir=$1
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then
	su postgres -c "$bin/pg_ctl -D $dir/data -m fast stop" >/dev/null || true
else
	"$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
fi
rm -rf "$dir"
