'use strict';
// The README's "start a local n8n" command (run by scripts/start.sh on Node 24):
// install n8n once, install this package built from source, import the example
// workflows, start n8n on http://127.0.0.1:$PORT (default 5678) and keep it
// running until Ctrl-C or SIGTERM, which stop n8n and its runner and exit 0.

const path = require('node:path');
const {
	defaultInstallRoot,
	ensureN8nInstalled,
	installPackage,
	importWorkflows,
	startN8n,
	assertPortsFree,
	DEFAULT_PORT,
	REPOSITORY_ROOT,
} = require('./local-n8n');

// The n8n install is cached outside the clone and shared with the end-to-end tests; the git-ignored
// user folder keeps this clone's workflows and credentials.
const localRoot = path.join(REPOSITORY_ROOT, '.n8n-local');
const userFolder = path.join(localRoot, 'user');
const logFolder = path.join(localRoot, 'logs');
const log = (message) => console.log(`[local-n8n] ${message}`);

function readPort() {
	const text = process.env.PORT ?? String(DEFAULT_PORT);
	const port = Number(text);
	// n8n's task runner broker takes the next port.
	if (!Number.isInteger(port) || port < 1 || port > 65534) {
		throw new Error(`PORT must be a whole number from 1 to 65534, got "${text}".`);
	}
	return port;
}

const shutdown = new AbortController();
let n8n;

function requestStop(signalName) {
	if (shutdown.signal.aborted) return;
	log(`${signalName} received, stopping…`);
	shutdown.abort();
	// Before n8n is up, the step in progress sees the abort, cleans up, and main() exits.
	if (n8n !== undefined) n8n.stop().then(() => process.exit(0));
}
process.on('SIGINT', () => requestStop('SIGINT'));
process.on('SIGTERM', () => requestStop('SIGTERM'));

async function main() {
	const port = readPort();
	const { signal } = shutdown;
	await assertPortsFree({ port });
	const installation = await ensureN8nInstalled({ root: defaultInstallRoot(), log, signal });
	const { name, version } = await installPackage({
		userFolder,
		log,
		logFile: path.join(logFolder, 'package-install.log'),
		signal,
	});
	log(`${name}@${version} is installed in ${userFolder}.`);
	await importWorkflows({
		installation,
		userFolder,
		directory: path.join(REPOSITORY_ROOT, 'examples'),
		log,
		logFile: path.join(logFolder, 'n8n-cli.log'),
		signal,
	});
	n8n = await startN8n({ installation, userFolder, port, log, signal });
	if (signal.aborted) return n8n.stop().then(() => process.exit(0));
	log(`n8n is ready: open ${n8n.url} in your browser (first visit: create the owner account). Ctrl-C stops it.`);
	const { code, signal: exitSignal } = await n8n.exited;
	if (signal.aborted) return;
	log(`n8n stopped on its own (${exitSignal ?? `exit code ${code}`}); see its output above.`);
	await n8n.stop();
	process.exit(1);
}

main().catch((error) => {
	if (shutdown.signal.aborted) process.exit(0);
	console.error(`[local-n8n] ${error.message}`);
	process.exit(1);
});
