'use strict';
// Stops an n8n process group when the process that started it is gone. n8n runs in a group of its
// own (so a terminal's Ctrl-C does not reach it directly), which also means nothing stops it when
// its parent is killed outright (SIGKILL, a CI time limit): an 'exit' handler never runs then.
// Usage: node parent-watchdog.js <parent pid> <n8n process group id>

const POLL_MILLISECONDS = 1_000;
// As long as n8n may take to stop gracefully before the group is killed.
const GRACE_MILLISECONDS = 30_000;

const [parentPid, groupId] = process.argv.slice(2).map(Number);

function exists(pid, { group = false } = {}) {
	try {
		process.kill(group ? -pid : pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function signalGroup(signal) {
	try {
		process.kill(-groupId, signal);
	} catch {
		// Already gone.
	}
}

const groupExists = () => exists(groupId, { group: true });

const watch = setInterval(() => {
	if (!groupExists()) return clearInterval(watch);
	if (exists(parentPid)) return;
	clearInterval(watch);
	signalGroup('SIGTERM');
	const deadline = Date.now() + GRACE_MILLISECONDS;
	const stop = setInterval(() => {
		if (groupExists() && Date.now() < deadline) return;
		signalGroup('SIGKILL');
		clearInterval(stop);
	}, POLL_MILLISECONDS);
}, POLL_MILLISECONDS);
