import { z } from 'zod/v4';

/** Longest `content` one entry may hold: a remembered fact is a sentence or a short paragraph, not a document. */
export const maxEntryContentCharacters = 2000;
const maxTags = 10;
const maxTagCharacters = 50;

/**
 * One stored memory entry. Stored objects come from outside the process (a shared disk or bucket),
 * so they are parsed with this schema on every read and an invalid one is skipped, never trusted.
 */
export const memoryEntrySchema = z.object({
	id: z.string().min(1),
	kind: z.enum(['fact', 'lesson', 'episode']),
	content: z.string().min(1).max(maxEntryContentCharacters),
	importance: z.number().int().min(1).max(5),
	tags: z.array(z.string().min(1).max(maxTagCharacters)).max(maxTags),
	createdAt: z.iso.datetime(),
	runId: z.string().min(1).optional(),
});

/**
 * A fact or lesson the agent recorded with `remember`, or the summary of one finished run
 * (`episode`). Importance runs from 1 (trivia) to 5 (must not be forgotten).
 */
export type MemoryEntry = z.infer<typeof memoryEntrySchema>;

/** What storing an entry did: stored it, or found its text already stored as `existingId`. */
export type MemoryWrite = { stored: true } | { stored: false; existingId: string };

/**
 * What makes two facts or lessons "the same" for storing: their text with whitespace collapsed
 * and case ignored. Storage keys the one-time content claim on it.
 */
export function memoryContentIdentity(content: string): string {
	return content.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The storage an agent's memory reads and writes: one scope, implemented on a BlobStore by lib/storage. */
export type MemoryPort = {
	/** Readable entries of the scope, newest first, capped to the most recent ones. Unreadable objects are skipped. */
	list(): Promise<MemoryEntry[]>;
	/**
	 * Stores one new entry as its own object, so concurrent writers never overwrite each other. A
	 * fact or lesson whose text (`memoryContentIdentity`) the scope already holds is stored once,
	 * however many runs store it at the same time: the answer then names the entry that holds it.
	 */
	write(entry: MemoryEntry): Promise<MemoryWrite>;
	/**
	 * What the last `list()` had to skip, e.g. "2 stored memory entries could not be read…". Optional:
	 * a port that cannot meet unreadable objects leaves it out.
	 */
	warnings?(): readonly string[];
};
