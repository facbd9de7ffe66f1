#!/usr/bin/env bash
# Installs the npm packages when package-lock.json changed since the last install, so the
# start and test commands work on a fresh clone and stay quick on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.lernlotse-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	npm ci --no-audit --no-fund
	echo "$want" > "$stamp"
fi
