#!/usr/bin/env bash
# Installs the project's npm dependencies when node_modules is missing or older than the lock file
# (a fresh clone, an interrupted install, or a lock file changed since). Sourced by start.sh and test.sh.
#
# `npm install`, not `npm ci`: this registry lacks some platform-specific optional packages
# (e.g. @unrs/resolver-binding-*), which `npm ci` reports as a lock file out of sync.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "Installing the project's dependencies (npm install)…"
	npm install --no-audit --no-fund
fi
