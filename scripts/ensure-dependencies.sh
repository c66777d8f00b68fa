#!/usr/bin/env bash
# Installs the project's npm dependencies when node_modules is missing or older than the lock file
# (a fresh clone, an interrupted install, or a lock file changed since). Sourced by start.sh and test.sh.
#
# `npm install --no-save`: the versions come from package-lock.json, which is never rewritten, so
# the first command leaves a fresh clone as git checked it out. Without it, an npm other than the
# one that wrote the lock file rewrites it (npm 10, which Node 20 bundles, drops the `libc` fields
# npm 11 writes). Not `npm ci`: this registry lacks some platform-specific optional packages
# (e.g. @unrs/resolver-binding-*), which `npm ci` reports as a lock file out of sync.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "Installing the project's dependencies (npm install --no-save; 1–2 min the first time)…"
	npm install --no-save --no-audit --no-fund
fi
