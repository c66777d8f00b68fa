import type { MemoryEntry, MemoryPort } from '../../../lib/engine/memory';

/** 2025-03-01T12:00:00.000Z: the fixed "now" of the memory tests. */
export const testNow = Date.parse('2025-03-01T12:00:00.000Z');
const dayMs = 24 * 60 * 60 * 1000;

/** A stored entry; `ageDays` sets its creation time (and its time-sortable id) relative to testNow. */
export function storedEntry(content: string, options: { ageDays?: number; importance?: number; kind?: MemoryEntry['kind']; tags?: string[]; id?: string } = {}): MemoryEntry {
	const createdAt = new Date(testNow - (options.ageDays ?? 1) * dayMs).toISOString();
	return {
		id: options.id ?? `${createdAt.replace(/[-:.]/g, '')}-${content.length}`,
		kind: options.kind ?? 'fact',
		content,
		importance: options.importance ?? 3,
		tags: options.tags ?? [],
		createdAt,
	};
}

/** A MemoryPort over an array, newest first like the storage adapter; records how often it was listed. */
export function fakeMemoryPort(initial: MemoryEntry[] = [], options: { failWrites?: boolean; warnings?: string[] } = {}) {
	const stored = [...initial];
	let listCalls = 0;
	const port: MemoryPort = {
		async list() {
			listCalls += 1;
			return [...stored].sort((left, right) => (left.id < right.id ? 1 : -1));
		},
		async write(entry) {
			if (options.failWrites === true) throw new Error('the disk is full');
			stored.push(entry);
			return { stored: true };
		},
		warnings: () => options.warnings ?? [],
	};
	return { port, stored, listCalls: () => listCalls };
}

/** Sequential ids, so tests are repeatable. */
export function sequentialIds(): () => string {
	let next = 0;
	return () => `random${(next += 1)}`;
}

export const toolContext = { toolCallId: 'call-1', signal: new AbortController().signal };
