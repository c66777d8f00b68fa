#!/usr/bin/env bash
# Starts a local n8n on http://127.0.0.1:5678 (PORT=… to change) with this
# package built from source and the example workflows imported. The first run
# installs n8n into ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-durable-agent/ (a few
# minutes, shared with the end-to-end tests); later runs reuse it. Workflows and
# credentials live in the git-ignored .n8n-local/user.
# Ctrl-C stops n8n and exits 0.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/ensure-dependencies.sh

# The project's `node` dev dependency is Node 24, which n8n and the build need
# (the system Node may be older). exec: signals reach the Node process directly.
exec node_modules/.bin/node scripts/n8n/start-local.js
