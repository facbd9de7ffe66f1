#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/ensure-package.sh "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium
bash scripts/ensure-package.sh /usr/sbin/nginx nginx
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	pg_dir_file=$(mktemp)
	TEST_DATABASE_URL=$(PG_DIR_FILE="$pg_dir_file" bash scripts/ensure-postgres.sh)
	export TEST_DATABASE_URL
	trap 'bash scripts/stop-postgres.sh "$(cat "$pg_dir_file")"; rm -f "$pg_dir_file"' EXIT
fi
npm run build
npm run lint
npm run check
npm run test:unit
npm run budget
npm run test:e2e
# The benchmarks are not tests, but their smoke modes keep them from rotting.
npm run bench:smoke
