'use strict';
// The environment every local n8n process (server and CLI) runs with: loopback
// only, no calls home, and one encryption key per user folder so stored
// credentials stay readable across restarts.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { withNodeFirstOnPath } = require('./install-n8n');

const DEFAULT_PORT = 5678;

/**
 * Returns the user folder's encryption key, creating it on first use.
 * It is kept in `<userFolder>/.n8n/config`, the file n8n itself reads and
 * writes, so the key passed in the environment can never disagree with it.
 *
 * @param {string} userFolder
 * @returns {string}
 */
function readOrCreateEncryptionKey(userFolder) {
	const configFile = path.join(userFolder, '.n8n', 'config');
	if (fs.existsSync(configFile)) {
		const { encryptionKey } = JSON.parse(fs.readFileSync(configFile, 'utf8'));
		if (typeof encryptionKey === 'string' && encryptionKey !== '') return encryptionKey;
		throw new Error(`${configFile} has no encryptionKey; delete ${userFolder} to start over with a new local n8n.`);
	}
	const encryptionKey = crypto.randomBytes(24).toString('base64url');
	fs.mkdirSync(path.dirname(configFile), { recursive: true });
	// n8n warns about settings files other users can read.
	fs.writeFileSync(configFile, `${JSON.stringify({ encryptionKey }, null, '\t')}\n`, { mode: 0o600 });
	return encryptionKey;
}

/** The task runner broker's port: the default (5679) would collide with an n8n on port 5679. */
function runnerBrokerPort(port, env = {}) {
	return Number(env.N8N_RUNNERS_BROKER_PORT ?? port + 1);
}

/**
 * The environment for an n8n process of `installation` using `userFolder`.
 * `env` entries win, so callers (tests) can change anything, e.g. the task
 * runner broker port when several instances run side by side.
 *
 * @param {{ installation: import('./install-n8n').N8nInstallation, userFolder: string, port?: number, env?: Record<string, string> }} options
 */
function n8nEnvironment({ installation, userFolder, port = DEFAULT_PORT, env = {} }) {
	const url = `http://127.0.0.1:${port}/`;
	return {
		// n8n starts its task runner with the Node found first on PATH.
		...withNodeFirstOnPath(process.env, installation.nodeBinDirectory),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: readOrCreateEncryptionKey(userFolder),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(runnerBrokerPort(port, env)),
		N8N_WEBHOOK_URL: url,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// Its start-up fetch fails without internet.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// The list of verified community nodes comes from api.n8n.io, at start and then hourly.
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// The editor's banners come from api.n8n.io.
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		// Plain http on loopback: a secure cookie would never be sent back.
		N8N_SECURE_COOKIE: 'false',
		...env,
	};
}

module.exports = { n8nEnvironment, readOrCreateEncryptionKey, runnerBrokerPort, DEFAULT_PORT };
