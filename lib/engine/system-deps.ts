import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { EngineDeps } from './agent-spec';

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** The real clock, timers and randomness; the node combines them with its store and n8n's cancel signal. */
export function systemDeps(store: EngineDeps['store'], signal?: AbortSignal): EngineDeps {
	return { store, now: Date.now, sleep, random: Math.random, signal, newId: randomUUID, processLabel: `${hostname()}:${process.pid}`, runLeaseMs: runLeaseFromEnvironment() };
}

/** Shorter leases would let a busy but healthy process miss renewals and stop its own runs (see run-lease.ts). */
const minimumLeaseSeconds = 5;

/** The environment variable that sets the run lease, in seconds (see run-lease.ts). */
export const runLeaseVariable = 'DURABLE_AGENT_RUN_LEASE_SECONDS';

/** The lease from DURABLE_AGENT_RUN_LEASE_SECONDS; unset means the default. A value below the minimum is an error, not a silent default. */
export function runLeaseFromEnvironment(environment: NodeJS.ProcessEnv = process.env): number | undefined {
	const value = environment[runLeaseVariable]?.trim();
	if (value === undefined || value === '') return undefined;
	const seconds = Number(value);
	if (!Number.isFinite(seconds) || seconds < minimumLeaseSeconds) throw new Error(`${runLeaseVariable} must be a number of seconds, at least ${minimumLeaseSeconds}; it is ${JSON.stringify(value)}.`);
	return seconds * 1000;
}
