import type { MemoryEntry, MemoryWrite } from './memory-entry';

/** What the memory tools share within one run: one listing of the scope plus this run's own writes. */
export type MemoryAccess = {
	/** Readable entries, this run's own first, then the stored ones newest first. */
	entries(): Promise<MemoryEntry[]>;
	/** Stores a new entry and makes it visible to `entries()` for the rest of the run (unless its text was already stored). */
	add(entry: MemoryEntry): Promise<MemoryWrite>;
	now(): number;
	newId(): string;
};
