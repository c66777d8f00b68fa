#!/usr/bin/env bash
# The test command: installs what the project needs (first run or changed lock file), builds,
# type-checks, lints, and runs every jest suite. Prints a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/ensure-dependencies.sh

mkdir -p test-artifacts
rm -f test-artifacts/jest-results.json
status=0
npm test -- --json --outputFile=test-artifacts/jest-results.json "$@" || status=$?

if [ -f test-artifacts/jest-results.json ]; then
	node -e '
		const r = require("./test-artifacts/jest-results.json");
		console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
	'
fi
exit "$status"
