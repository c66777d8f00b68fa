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
	return { store, now: Date.now, sleep, random: Math.random, signal, newId: randomUUID, processLabel: `${hostname()}:${process.pid}` };
}
