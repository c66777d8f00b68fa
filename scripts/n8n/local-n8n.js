'use strict';
// The local n8n toolkit, for `scripts/start.sh` and for end-to-end tests:
// install a pinned n8n once, install this package into a user folder, import
// workflows, and start/stop n8n. Each piece lives in its own file.

const { ensureN8nInstalled, defaultInstallRoot, N8N_VERSION, NODE_VERSION } = require('./install-n8n');
const { installPackage, REPOSITORY_ROOT } = require('./install-package');
const { importWorkflows } = require('./import-workflows');
const { n8nEnvironment, readOrCreateEncryptionKey, DEFAULT_PORT } = require('./n8n-environment');
const { startN8n, assertPortsFree, findFreePortPair } = require('./n8n-process');

module.exports = {
	ensureN8nInstalled,
	defaultInstallRoot,
	installPackage,
	importWorkflows,
	startN8n,
	assertPortsFree,
	findFreePortPair,
	n8nEnvironment,
	readOrCreateEncryptionKey,
	DEFAULT_PORT,
	N8N_VERSION,
	NODE_VERSION,
	REPOSITORY_ROOT,
};
