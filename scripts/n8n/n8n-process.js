'use strict';
// Starts an n8n server, waits until it is ready, and stops it together with
// its task-runner child. n8n runs in its own process group so that stopping
// is one decision made here (SIGTERM, then the whole group if it lingers),
// not a Ctrl-C race between the terminal, n8n and its runner.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { n8nEnvironment, runnerBrokerPort, DEFAULT_PORT } = require('./n8n-environment');

const READINESS_POLL_MILLISECONDS = 500;
const DEFAULT_READINESS_TIMEOUT_MILLISECONDS = 180_000;
// n8n needs about 3 s to stop; it may wait longer for running executions.
const STOP_GRACE_MILLISECONDS = 30_000;

/** Resolves with the error code (EADDRINUSE, EACCES…) when 127.0.0.1:`port` cannot be listened on, else undefined. */
function portProblem(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', (error) => resolve(error.code ?? error.message));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(undefined)));
	});
}

/**
 * Checks, right before n8n starts, that the ports it needs are free: `port`
 * for n8n and the next one (or `N8N_RUNNERS_BROKER_PORT` in `env`) for its
 * task runner broker. n8n itself would only report a taken broker port in its
 * log, and then run Code nodes nowhere. A taken port rejects with an error
 * whose `code` is PORT_TAKEN, naming the port and what needs it.
 *
 * @param {{ port?: number, env?: Record<string, string> }} options
 */
async function assertPortsFree({ port = DEFAULT_PORT, env } = {}) {
	const ports = [
		{ port, purpose: 'n8n' },
		{ port: runnerBrokerPort(port, env), purpose: "n8n's task runner broker" },
	];
	for (const wanted of ports) {
		const problem = await portProblem(wanted.port);
		if (problem === undefined) continue;
		const error = new Error(`Port ${wanted.port} on 127.0.0.1 is taken (${problem}): ${wanted.purpose} needs it.`);
		throw Object.assign(error, { code: 'PORT_TAKEN', port: wanted.port, purpose: wanted.purpose });
	}
}

/**
 * The first port from `from` up (at most `attempts` tried) that is free
 * together with the one after it, for n8n and its task runner; undefined if
 * none is.
 *
 * @param {number} from
 * @param {number} [attempts]
 * @returns {Promise<number | undefined>}
 */
async function findFreePortPair(from, attempts = 20) {
	for (let port = from; port < from + attempts && port < 65535; port += 1) {
		if ((await portProblem(port)) === undefined && (await portProblem(port + 1)) === undefined) return port;
	}
	return undefined;
}

async function isReady(url) {
	try {
		const response = await fetch(new URL('healthz/readiness', url), { signal: AbortSignal.timeout(2_000) });
		return response.ok && (await response.json()).status === 'ok';
	} catch {
		return false;
	}
}

/** Signals n8n's process group; a group already gone is what stopping wants. */
function signalGroup(pid, signal) {
	if (pid === undefined) return;
	try {
		process.kill(-pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

/** A detached helper that stops n8n's group if this process disappears without stopping it. */
function startParentWatchdog(groupId) {
	const watchdog = spawn(process.execPath, [path.join(__dirname, 'parent-watchdog.js'), String(process.pid), String(groupId)], {
		stdio: 'ignore',
		detached: true,
	});
	watchdog.unref();
}

/**
 * Starts `n8n start` (or, for queue mode, `n8n webhook` or `n8n worker`) and resolves once
 * `/healthz/readiness` answers ok on `port`.
 *
 * @param {{ installation: import('./install-n8n').N8nInstallation, userFolder: string, command?: 'start' | 'webhook' | 'worker', port?: number,
 *   env?: Record<string, string>, log: (message: string) => void, logFile?: string, readinessTimeoutMilliseconds?: number, signal?: AbortSignal }} options
 *   A worker serves its readiness on `QUEUE_HEALTH_CHECK_PORT`, which must then equal `port`.
 *   Without `logFile` n8n's output goes to this process's terminal. Aborting `signal`
 *   before n8n is ready stops it and rejects.
 * @returns {Promise<{ url: string, pid: number, exited: Promise<{ code: number | null, signal: string | null }>, stop: () => Promise<void> }>}
 */
async function startN8n({
	installation,
	userFolder,
	command = 'start',
	port = DEFAULT_PORT,
	env,
	log,
	logFile,
	readinessTimeoutMilliseconds = DEFAULT_READINESS_TIMEOUT_MILLISECONDS,
	signal,
}) {
	await assertPortsFree({ port, env });
	const environment = n8nEnvironment({ installation, userFolder, port, env });

	let output = 'inherit';
	if (logFile !== undefined) {
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		output = fs.openSync(logFile, 'a');
	}
	const child = spawn(installation.nodeBinary, [installation.n8nScript, command], {
		cwd: userFolder,
		env: environment,
		stdio: ['ignore', output, output],
		detached: true,
	});
	if (typeof output === 'number') fs.closeSync(output);
	let hasExited = false;
	let spawnError;
	child.once('error', (error) => (spawnError = error));
	// 'close' also follows a failed spawn, which emits 'error' and no 'exit'.
	const exited = new Promise((resolve) =>
		child.once('close', (code, exitSignal) => {
			hasExited = true;
			resolve({ code, signal: exitSignal });
		}),
	);
	// When this process ends without stopping n8n: SIGTERM to the whole group still lets n8n stop
	// its runner, and reaches a runner that would outlive it. The watchdog covers the endings that
	// run no 'exit' handler (SIGKILL, an uncaught signal).
	const terminateOnExit = () => !hasExited && signalGroup(child.pid, 'SIGTERM');
	process.once('exit', terminateOnExit);
	if (child.pid !== undefined) startParentWatchdog(child.pid);

	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			if (!hasExited) {
				log(`Stopping n8n (pid ${child.pid})…`);
				child.kill('SIGTERM');
				const forceTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), STOP_GRACE_MILLISECONDS);
				await exited;
				clearTimeout(forceTimer);
			}
			// n8n stops its task runner itself; this catches a runner that outlived it.
			signalGroup(child.pid, 'SIGKILL');
			process.removeListener('exit', terminateOnExit);
		})();
		return stopping;
	};

	const url = `http://127.0.0.1:${port}/`;
	const deadline = Date.now() + readinessTimeoutMilliseconds;
	log(`Starting n8n ${command} on ${url} (pid ${child.pid})…`);
	while (!(await isReady(url))) {
		if (signal?.aborted) {
			await stop();
			throw new Error('n8n start-up was cancelled.');
		}
		if (hasExited) {
			const { code, signal: exitSignal } = await exited;
			await stop();
			const reason = spawnError?.message ?? exitSignal ?? `exit code ${code}`;
			throw new Error(`n8n exited before it was ready (${reason}); see ${logFile ?? 'its output above'}.`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n was not ready within ${readinessTimeoutMilliseconds / 1000} s; see ${logFile ?? 'its output above'}.`);
		}
		await new Promise((resolve) => setTimeout(resolve, READINESS_POLL_MILLISECONDS));
	}
	return { url, pid: child.pid, exited, stop };
}

module.exports = { startN8n, assertPortsFree, findFreePortPair };
