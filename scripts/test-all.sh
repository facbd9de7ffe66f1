#!/usr/bin/env bash
# Every check and test, in the order that fails fastest. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/ensure-chromium.sh
npm run build
npm run lint
npm run check
npm run test:unit
npm run budget
npm run test:e2e
