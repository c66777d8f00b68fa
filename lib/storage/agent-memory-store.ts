import { createHash } from 'node:crypto';

import { z } from 'zod/v4';

import { mapWithConcurrency } from '../engine/concurrency';
import { memoryContentIdentity, memoryEntrySchema, type MemoryEntry, type MemoryPort, type MemoryWrite } from '../engine/memory';
import type { BlobStore } from './blob-store';
import { StorageError } from './blob-store';
import { memoryContentKey, memoryEntryKey, memoryFolder } from './keys';
import { memoryScopeLabel, type MemoryScope } from './memory-scope';

/** The two folders of a scope: facts and lessons, and episode summaries. */
export type MemoryFolder = 'entries' | 'episodes';

/** One stored object of a scope: an entry, or an object that is not one (with what is wrong, so a person can delete it). */
export type StoredMemoryObject =
	| { status: 'readable'; entry: MemoryEntry }
	| { status: 'unreadable'; id: string; folder: MemoryFolder; key: string; problem: string };

export type AgentMemoryStoreOptions = {
	/** The store's key prefix (may be empty). */
	prefix: string;
	/** Whose memory: a workflow's, or a custom key's. */
	scope: MemoryScope;
	/** Most facts and lessons a run reads: the newest ones. Default 2000. */
	maxEntries?: number;
	/** Most episode summaries a run reads: the newest ones. Default 500. */
	maxEpisodes?: number;
};

/** The memory of one scope on a BlobStore: the engine's port plus listing and deleting for the Manage Memory mode. */
export type AgentMemoryStore = MemoryPort & {
	/** The scope as people see it: `workflow:42`, `key:customer-7`. */
	readonly scope: string;
	/** Where the scope's objects are, for humans, e.g. `s3://bucket/prefix/memory/keys/customer-7/`. */
	readonly location: string;
	/** The newest `limit` objects of both folders (all when `limit` is undefined), newest first, unreadable ones included. */
	read(options?: { limit?: number }): Promise<StoredMemoryObject[]>;
	/** Deletes the entry or episode with this id; false when the scope has none. */
	deleteEntry(id: string): Promise<boolean>;
	/** Deletes every object of the scope; returns how many there were. */
	clear(): Promise<number>;
	warnings(): readonly string[];
};

type StoredObject = { id: string; folder: MemoryFolder; key: string };

/** The one-time claim of a fact or lesson text: the whole entry, so a writer that stopped after claiming can be completed. */
const contentClaimSchema = z.object({ entry: memoryEntrySchema });

/** Parallel reads per listing: quick on S3 without flooding it. */
const readConcurrency = 16;

/**
 * Memory of one scope, one object per entry under `{scope folder}/entries|episodes/{id}.json`.
 * Nothing is ever read, changed and written back, so executions writing the same scope at the same
 * time cannot lose each other's entries. A fact or lesson first claims its text under
 * `contents/{sha256}.json` ("only if absent"), so the same text stored by concurrent runs is
 * stored once. Objects that do not parse as entries are skipped and reported.
 */
export function createAgentMemoryStore(store: BlobStore, options: AgentMemoryStoreOptions): AgentMemoryStore {
	const { prefix } = options;
	const scope = memoryScopeLabel(options.scope);
	const folder = memoryFolder(prefix, options.scope);
	const contentKey = (content: string) => memoryContentKey(prefix, options.scope, createHash('sha256').update(memoryContentIdentity(content)).digest('hex'));
	const maxEntries = options.maxEntries ?? 2000;
	const maxEpisodes = options.maxEpisodes ?? 500;
	let lastWarnings: string[] = [];

	async function storedObjects(): Promise<StoredObject[]> {
		const keys = await store.list(folder);
		return keys.flatMap((key) => {
			const object = storedObjectOf(key.slice(folder.length), key);
			return object === undefined ? [] : [object];
		});
	}

	/** Reads objects in the given order; one deleted since it was listed (e.g. by Clear Scope) is simply no longer there. */
	async function readObjects(objects: readonly StoredObject[]): Promise<StoredMemoryObject[]> {
		const results = await mapWithConcurrency(objects, readConcurrency, (object) => readObject(store, object));
		return results.filter((result) => result !== undefined);
	}

	/** Stores the entry unless the very same entry is already there; another entry under its id is an error. */
	async function putEntryOnce(entry: MemoryEntry): Promise<void> {
		const key = memoryEntryKey(prefix, options.scope, folderOf(entry), entry.id);
		const body = JSON.stringify(entry);
		const written = await store.put(key, body, { ifAbsent: true, contentType: 'application/json' });
		if (!written.written && (await store.get(key))?.toString('utf8') !== body) {
			throw new StorageError(`A memory entry already exists at ${key}; entry ids must be unique.`);
		}
	}

	/** The text was claimed before: by an entry that is stored, or by a writer that stopped before storing it (stored now, once). */
	async function completeClaim(claimKey: string): Promise<MemoryWrite> {
		const claim = contentClaimSchema.safeParse(parseJson((await store.get(claimKey))?.toString('utf8')));
		if (!claim.success) {
			throw new StorageError(`The memory object ${claimKey} is not a valid content claim; delete it (Manage Memory → Clear Scope, or remove the object) and try again.`);
		}
		await putEntryOnce(claim.data.entry);
		return { stored: false, existingId: claim.data.entry.id };
	}

	async function releaseClaim(claimKey: string, entryId: string): Promise<void> {
		const claim = contentClaimSchema.safeParse(parseJson((await store.get(claimKey))?.toString('utf8')));
		if (claim.success && claim.data.entry.id === entryId) await store.delete(claimKey);
	}

	return {
		scope,
		location: `${store.location}/${folder}`,

		async list() {
			const objects = await storedObjects();
			const newest = (inFolder: MemoryFolder, limit: number) => newestFirst(objects.filter((object) => object.folder === inFolder)).slice(0, limit);
			const read = await readObjects(newestFirst([...newest('entries', maxEntries), ...newest('episodes', maxEpisodes)]));
			const unreadable = read.filter((object) => object.status === 'unreadable').length;
			lastWarnings = unreadable === 0 ? [] : [unreadableWarning(scope, unreadable)];
			return read.flatMap((object) => (object.status === 'readable' ? [object.entry] : []));
		},

		async write(entry) {
			const parsed = memoryEntrySchema.safeParse(entry);
			if (!parsed.success) throw new Error(`Cannot store memory entry ${entry.id}: it is not a valid entry (${parsed.error.message}).`);
			if (parsed.data.kind !== 'episode') {
				const claimKey = contentKey(parsed.data.content);
				const claimed = await store.put(claimKey, JSON.stringify({ entry: parsed.data }), { ifAbsent: true, contentType: 'application/json' });
				if (!claimed.written) return await completeClaim(claimKey);
			}
			// With the claim held, a run that met the claim first may already have stored this very entry from it.
			await putEntryOnce(parsed.data);
			return { stored: true };
		},

		warnings: () => lastWarnings,

		async read(readOptions = {}) {
			const objects = newestFirst(await storedObjects());
			return await readObjects(readOptions.limit === undefined ? objects : objects.slice(0, readOptions.limit));
		},

		async deleteEntry(id) {
			const keys = (['entries', 'episodes'] as const).map((inFolder) => memoryEntryKey(prefix, options.scope, inFolder, id));
			const found = (await Promise.all(keys.map(async (key) => ({ key, body: await store.get(key) })))).flatMap(({ key, body }) => (body === undefined ? [] : [{ key, body }]));
			for (const { key, body } of found) {
				// The claim goes first: a run storing the same text meanwhile then stores a new entry rather than bring this one back.
				const entry = memoryEntrySchema.safeParse(parseJson(body.toString('utf8')));
				if (entry.success && entry.data.kind !== 'episode') await releaseClaim(contentKey(entry.data.content), id);
				await store.delete(key);
			}
			return found.length > 0;
		},

		async clear() {
			const keys = await store.list(folder);
			await mapWithConcurrency(keys, readConcurrency, (key) => store.delete(key));
			return keys.filter((key) => storedObjectOf(key.slice(folder.length), key) !== undefined).length;
		},
	};
}

/** `entries/{id}.json` or `episodes/{id}.json` relative to the scope folder; anything else is not ours. */
function storedObjectOf(relativeKey: string, key: string): StoredObject | undefined {
	const match = /^(entries|episodes)\/([^/]+)\.json$/.exec(relativeKey);
	if (match === null) return undefined;
	try {
		return { id: decodeURIComponent(match[2]), folder: match[1] as MemoryFolder, key };
	} catch {
		// Not percent-encoding keys.ts could have produced: some other program's file.
		return undefined;
	}
}

/** Ids start with their creation time, so the largest id is the newest entry. */
function newestFirst(objects: readonly StoredObject[]): StoredObject[] {
	return [...objects].sort((left, right) => (left.id < right.id ? 1 : left.id > right.id ? -1 : 0));
}

function parseJson(text: string | undefined): unknown {
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function folderOf(entry: MemoryEntry): MemoryFolder {
	return entry.kind === 'episode' ? 'episodes' : 'entries';
}

async function readObject(store: BlobStore, object: StoredObject): Promise<StoredMemoryObject | undefined> {
	const body = await store.get(object.key);
	if (body === undefined) return undefined;
	const unreadable = (problem: string): StoredMemoryObject => ({ status: 'unreadable', ...object, problem });
	let value: unknown;
	try {
		value = JSON.parse(body.toString('utf8'));
	} catch {
		return unreadable('it is not valid JSON');
	}
	const parsed = memoryEntrySchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
		return unreadable(`it is not a memory entry: ${issue.message}${where}`);
	}
	if (parsed.data.id !== object.id || folderOf(parsed.data) !== object.folder) {
		return unreadable(`its id or kind (${parsed.data.id}, ${parsed.data.kind}) does not match where it is stored`);
	}
	return { status: 'readable', entry: parsed.data };
}

function unreadableWarning(scope: string, count: number): string {
	const subject = count === 1 ? '1 stored memory entry' : `${count} stored memory entries`;
	return (
		`Note: ${subject} of scope "${scope}" could not be read (invalid JSON or not a memory entry) and ${count === 1 ? 'was' : 'were'} left out. ` +
		"List them with the node's Manage Memory mode and delete them."
	);
}
