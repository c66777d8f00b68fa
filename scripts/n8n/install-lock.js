'use strict';
// One n8n install at a time per install root: a test run and `scripts/start.sh` share the cached
// install, and two npm installs into one folder corrupt each other. The lock is a folder (its
// creation is atomic) holding the owner's pid, so a lock left by a killed process is recognised
// and taken over instead of blocking every later run.

const fs = require('node:fs');
const path = require('node:path');

const POLL_MILLISECONDS = 2_000;
const REPORT_EVERY_POLLS = 15;

function isProcessAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive, owned by another user.
		return error.code === 'EPERM';
	}
}

/** The pid recorded in the lock, or undefined while its owner is still writing it. */
function lockOwner(lockFolder) {
	try {
		const pid = Number(fs.readFileSync(path.join(lockFolder, 'pid'), 'utf8'));
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

function tryTakeLock(lockFolder) {
	try {
		fs.mkdirSync(lockFolder);
	} catch (error) {
		if (error.code === 'EEXIST') return false;
		throw error;
	}
	fs.writeFileSync(path.join(lockFolder, 'pid'), String(process.pid));
	return true;
}

/**
 * Runs `work` while holding `<root>/install.lock`, waiting for another live holder to finish.
 *
 * @template Result
 * @param {{ root: string, log: (message: string) => void, signal?: AbortSignal }} options
 * @param {() => Promise<Result>} work
 * @returns {Promise<Result>}
 */
async function withInstallLock({ root, log, signal }, work) {
	fs.mkdirSync(root, { recursive: true });
	const lockFolder = path.join(root, 'install.lock');
	let polls = 0;
	while (!tryTakeLock(lockFolder)) {
		const owner = lockOwner(lockFolder);
		if (owner !== undefined && !isProcessAlive(owner)) {
			log(`Removing the install lock of process ${owner}, which no longer runs.`);
			fs.rmSync(lockFolder, { recursive: true, force: true });
			continue;
		}
		if (polls % REPORT_EVERY_POLLS === 0) log(`Waiting for another process (pid ${owner ?? '?'}) to finish installing n8n…`);
		polls += 1;
		if (signal?.aborted) throw new Error('Waiting for the n8n install was cancelled.');
		await new Promise((resolve) => setTimeout(resolve, POLL_MILLISECONDS));
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lockFolder, { recursive: true, force: true });
	}
}

module.exports = { withInstallLock };
