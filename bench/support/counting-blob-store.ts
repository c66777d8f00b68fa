import { performance } from 'node:perf_hooks';

import type { BlobStore } from '../../lib/storage';

/** One `put` as the counting store saw it. */
export type WriteRecord = {
	/** The turn it belongs to: writes before the first model call are turn 0. */
	turn: number;
	kind: 'transcript' | 'journal' | 'run record' | 'snapshot' | 'other';
	bytes: number;
	milliseconds: number;
};

/**
 * Wraps a BlobStore and records every write with the turn in progress (`currentTurn()` at the time
 * of the write); reads, lists and deletes pass through uncounted.
 */
export function countingBlobStore(inner: BlobStore, currentTurn: () => number): { store: BlobStore; writes: WriteRecord[] } {
	const writes: WriteRecord[] = [];
	const store: BlobStore = {
		location: inner.location,
		get: (key) => inner.get(key),
		list: (prefix) => inner.list(prefix),
		delete: (key) => inner.delete(key),
		async put(key, body, options) {
			const turn = currentTurn();
			const started = performance.now();
			const result = await inner.put(key, body, options);
			writes.push({ turn, kind: kindOf(key), bytes: Buffer.byteLength(body), milliseconds: performance.now() - started });
			return result;
		},
	};
	return { store, writes };
}

function kindOf(key: string): WriteRecord['kind'] {
	if (key.includes('/transcript/')) return 'transcript';
	if (key.includes('/journal/')) return 'journal';
	if (key.includes('/snapshots/')) return 'snapshot';
	if (key.endsWith('/run.json')) return 'run record';
	return 'other';
}
