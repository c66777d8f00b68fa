#!/usr/bin/env bash
# The test command: installs what the project needs (first run or changed lock file; Chromium),
# builds, type-checks, lints, and runs every jest suite, the end-to-end ones against a real n8n
# installed once into ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-durable-agent. Prints a closing
# "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/ensure-dependencies.sh

# The browser suites drive Debian's Chromium (playwright-core brings no browser of its own, and
# none could be downloaded here). Installed quietly when missing; its output goes to a log.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
	mkdir -p test-artifacts
	echo "Installing Chromium for the browser tests (apt-get, log in test-artifacts/chromium-install.log)…"
	sudo_if_needed=""
	[ "$(id -u)" -ne 0 ] && sudo_if_needed="sudo"
	if ! ($sudo_if_needed apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq chromium) \
		>test-artifacts/chromium-install.log 2>&1; then
		echo "Could not install Chromium; the browser tests will fail. See test-artifacts/chromium-install.log." >&2
	fi
fi

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
