'use strict';
// The README's "start a local n8n" command (run by scripts/start.sh on Node 24):
// install n8n once, install this package built from source, start the example
// ticket stand-in, import the example workflows that are new or unchanged since
// their import, start n8n on http://127.0.0.1:$PORT (default 5678) and keep it
// running until Ctrl-C or SIGTERM, which stop n8n, its runner and the stand-in
// and exit 0.

const path = require('node:path');
const {
	defaultInstallRoot,
	ensureN8nInstalled,
	installPackage,
	importWorkflows,
	startN8n,
	findFreePortPair,
	DEFAULT_PORT,
	REPOSITORY_ROOT,
} = require('./local-n8n');
const { startTicketStandIn } = require('./ticket-stand-in');

// The n8n install is cached outside the clone and shared with the end-to-end tests; the git-ignored
// user folder keeps this clone's workflows and credentials. DURABLE_AGENT_LOCAL_FOLDER moves it
// (the end-to-end test of this command starts it in a folder of its own).
const localRoot = process.env.DURABLE_AGENT_LOCAL_FOLDER || path.join(REPOSITORY_ROOT, '.n8n-local');
const userFolder = path.join(localRoot, 'user');
const logFolder = path.join(localRoot, 'logs');
const log = (message) => console.log(`[local-n8n] ${message}`);

function readPortVariable(name, fallback, highest) {
	const text = process.env[name] ?? String(fallback);
	const port = Number(text);
	if (!Number.isInteger(port) || port < 1 || port > highest) {
		throw new Error(`${name} must be a whole number from 1 to ${highest}, got "${text}".`);
	}
	return port;
}

/** n8n's port (PORT), its task runner broker's (N8N_RUNNERS_BROKER_PORT, else the next one) and the ticket stand-in's (TICKETS_PORT, else the one after). */
function readPorts() {
	const port = readPortVariable('PORT', DEFAULT_PORT, 65533);
	const runnerPort = readPortVariable('N8N_RUNNERS_BROKER_PORT', port + 1, 65535);
	return { port, runnerPort, ticketsPort: readPortVariable('TICKETS_PORT', port + 2, 65535) };
}

/** What to do about a port taken when n8n was about to start. */
async function portAdvice(error, { port, runnerPort }) {
	const runnerSetting = process.env.N8N_RUNNERS_BROKER_PORT === undefined ? 'PORT + 1' : 'N8N_RUNNERS_BROKER_PORT';
	const suggestion = await findFreePortPair(port + 1);
	const example = suggestion === undefined ? 'PORT=<another port>' : `PORT=${suggestion}`;
	return [
		error.message,
		`n8n listens on PORT (${port}), its task runner broker on ${runnerSetting} (${runnerPort}). Stop what listens on ${error.port}, or start on other ports:`,
		`  ${example} bash scripts/start.sh${suggestion === undefined ? '' : `   (${suggestion} and ${suggestion + 1} are free now)`}`,
		'N8N_RUNNERS_BROKER_PORT=… moves the task runner broker alone.',
	].join('\n');
}

const shutdown = new AbortController();
let n8n;
let tickets;

function requestStop(signalName) {
	if (shutdown.signal.aborted) return;
	log(`${signalName} received, stopping…`);
	shutdown.abort();
	// Before n8n is up, the step in progress sees the abort, cleans up, and main() exits.
	if (n8n !== undefined) n8n.stop().then(() => tickets?.close()).then(() => process.exit(0));
}
process.on('SIGINT', () => requestStop('SIGINT'));
process.on('SIGTERM', () => requestStop('SIGTERM'));

async function main() {
	const ports = readPorts();
	const { port } = ports;
	const { signal } = shutdown;
	const installation = await ensureN8nInstalled({ root: defaultInstallRoot(), log, signal });
	const { name, version } = await installPackage({
		userFolder,
		log,
		logFile: path.join(logFolder, 'package-install.log'),
		// The end-to-end test of this command packs the package once for its several starts.
		tarball: process.env.DURABLE_AGENT_PACKAGE_TARBALL || undefined,
		signal,
	});
	log(`${name}@${version} is installed in ${userFolder}.`);
	tickets = await startTicketStandIn({ port: ports.ticketsPort, log });
	log(`The example ticket system stand-in listens on ${tickets.origin} (TICKETS_PORT to move it).`);
	await importWorkflows({
		installation,
		userFolder,
		directory: path.join(REPOSITORY_ROOT, 'examples'),
		recordFile: path.join(localRoot, 'imported-examples.json'),
		packageRoot: REPOSITORY_ROOT,
		ticketsOrigin: tickets.origin,
		log,
		logFile: path.join(logFolder, 'n8n-cli.log'),
		signal,
	});
	// The ports are checked by startN8n right before n8n starts, not before the install and import
	// (minutes on a first run): a neighbour may take one meanwhile, or a previous n8n free one.
	try {
		n8n = await startN8n({ installation, userFolder, port, env: { N8N_RUNNERS_BROKER_PORT: String(ports.runnerPort) }, log, signal });
	} catch (error) {
		if (error.code === 'PORT_TAKEN') error.message = await portAdvice(error, ports);
		throw error;
	}
	if (signal.aborted) return n8n.stop().then(() => tickets.close()).then(() => process.exit(0));
	log(`n8n is ready: open ${n8n.url} in your browser (first visit: create the owner account). Ctrl-C stops it.`);
	const { code, signal: exitSignal } = await n8n.exited;
	if (signal.aborted) return;
	log(`n8n stopped on its own (${exitSignal ?? `exit code ${code}`}); see its output above.`);
	await n8n.stop();
	await tickets.close();
	process.exit(1);
}

main().catch((error) => {
	if (shutdown.signal.aborted) process.exit(0);
	console.error(error.message.replace(/^/gm, '[local-n8n] '));
	process.exit(1);
});
