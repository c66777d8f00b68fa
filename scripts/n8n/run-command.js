'use strict';
// Runs the slow, noisy commands of the local n8n set-up (npm installs, the n8n
// CLI) with their output in a log file instead of the terminal, and prints a
// heartbeat, so that a first install taking minutes visibly makes progress and
// a failure still shows what went wrong.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const HEARTBEAT_MILLISECONDS = 15_000;
const FAILURE_TAIL_CHARACTERS = 3_000;

/**
 * Runs `command` with `args` and resolves with its standard output when it
 * exits with 0; otherwise rejects with an error that quotes the end of the log.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, label: string, logFile: string, log: (message: string) => void, signal?: AbortSignal }} options
 *   `label` names the step in heartbeats and errors; all output is appended to `logFile`;
 *   aborting `signal` sends the command SIGTERM.
 * @returns {Promise<string>}
 */
function runCommand(command, args, { cwd, env, label, logFile, log, signal }) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const logDescriptor = fs.openSync(logFile, 'a');
	fs.writeSync(logDescriptor, `\n=== ${new Date().toISOString()} ${label}: ${command} ${args.join(' ')} (in ${cwd})\n`);
	const startedAt = Date.now();
	const standardOutput = [];
	// Both streams, to quote this command's own output (not earlier runs in the log) when it fails.
	const allOutput = [];
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal });
		const heartbeat = setInterval(() => {
			log(`  … ${label}: still running (${Math.round((Date.now() - startedAt) / 1000)} s)`);
		}, HEARTBEAT_MILLISECONDS);
		child.stdout.on('data', (chunk) => {
			standardOutput.push(chunk);
			allOutput.push(chunk);
			fs.writeSync(logDescriptor, chunk);
		});
		child.stderr.on('data', (chunk) => {
			allOutput.push(chunk);
			fs.writeSync(logDescriptor, chunk);
		});
		// A failed spawn or an abort emits 'error' and then 'close'; settle on 'close', after the last output.
		let spawnError;
		child.on('error', (error) => (spawnError = error));
		child.on('close', (code, exitSignal) => {
			clearInterval(heartbeat);
			fs.closeSync(logDescriptor);
			if (spawnError?.name === 'AbortError') return reject(new Error(`${label}: stopped on request.`));
			if (spawnError) return reject(new Error(`${label}: could not run ${command}: ${spawnError.message}`));
			if (code === 0) return resolve(Buffer.concat(standardOutput).toString('utf8'));
			const tail = Buffer.concat(allOutput).toString('utf8').slice(-FAILURE_TAIL_CHARACTERS);
			reject(new Error(`${label} failed (${exitSignal ?? `exit code ${code}`}); full output in ${logFile}. It ended with:\n${tail}`));
		});
	});
}

module.exports = { runCommand };
