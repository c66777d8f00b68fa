import { mapWithConcurrency } from '../engine/concurrency';
import { memoryEntrySchema, type MemoryEntry, type MemoryPort } from '../engine/memory';
import type { BlobStore } from './blob-store';
import { StorageError } from './blob-store';
import { memoryEntryKey, memoryFolder } from './keys';

/** The two folders of a scope: facts and lessons, and episode summaries. */
export type MemoryFolder = 'entries' | 'episodes';

/** A stored object that `list()` skipped, with what is wrong with it, so a person can delete it. */
export type UnreadableMemoryObject = { id: string; folder: MemoryFolder; key: string; problem: string };

export type MemoryListing = { entries: MemoryEntry[]; unreadable: UnreadableMemoryObject[] };

export type AgentMemoryStoreOptions = {
	/** The store's key prefix (may be empty). */
	prefix: string;
	/** The memory scope, e.g. `workflow-42` or a customer id. */
	scope: string;
	/** Most facts and lessons a run reads: the newest ones. Default 2000. */
	maxEntries?: number;
	/** Most episode summaries a run reads: the newest ones. Default 500. */
	maxEpisodes?: number;
};

/** The memory of one scope on a BlobStore: the engine's port plus listing and deleting for the Manage Memory mode. */
export type AgentMemoryStore = MemoryPort & {
	readonly scope: string;
	/** Where the scope's objects are, for humans, e.g. `s3://bucket/prefix/memory/customer-7/`. */
	readonly location: string;
	/** The newest `limit` objects of both folders (all when `limit` is undefined), newest first, unreadable ones reported. */
	read(options?: { limit?: number }): Promise<MemoryListing>;
	/** Deletes the entry or episode with this id; false when the scope has none. */
	deleteEntry(id: string): Promise<boolean>;
	/** Deletes every object of the scope; returns how many there were. */
	clear(): Promise<number>;
	warnings(): readonly string[];
};

type StoredObject = { id: string; folder: MemoryFolder; key: string };
type ReadResult = { ok: true; entry: MemoryEntry } | { ok: false; problem: string } | { ok: 'gone' };

/** Parallel reads per listing: quick on S3 without flooding it. */
const readConcurrency = 16;

/**
 * Memory of one scope, one object per entry under `{prefix}/memory/{scope}/entries|episodes/{id}.json`.
 * Nothing is ever read, changed and written back, so executions writing the same scope at the same
 * time cannot lose each other's entries. Objects that do not parse as entries are skipped and reported.
 */
export function createAgentMemoryStore(store: BlobStore, options: AgentMemoryStoreOptions): AgentMemoryStore {
	const { prefix, scope } = options;
	const folder = memoryFolder(prefix, scope);
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

	async function readObjects(objects: readonly StoredObject[]): Promise<MemoryListing> {
		const results = await mapWithConcurrency(objects, readConcurrency, (object) => readObject(store, object));
		const listing: MemoryListing = { entries: [], unreadable: [] };
		results.forEach((result, index) => {
			if (result.ok === true) listing.entries.push(result.entry);
			else if (result.ok === false) listing.unreadable.push({ ...objects[index], problem: result.problem });
		});
		return listing;
	}

	return {
		scope,
		location: `${store.location}/${folder}`,

		async list() {
			const objects = await storedObjects();
			const newest = (inFolder: MemoryFolder, limit: number) => newestFirst(objects.filter((object) => object.folder === inFolder)).slice(0, limit);
			const listing = await readObjects(newestFirst([...newest('entries', maxEntries), ...newest('episodes', maxEpisodes)]));
			lastWarnings = listing.unreadable.length === 0 ? [] : [unreadableWarning(scope, listing.unreadable.length)];
			return listing.entries;
		},

		async write(entry) {
			const parsed = memoryEntrySchema.safeParse(entry);
			if (!parsed.success) throw new Error(`Cannot store memory entry ${entry.id}: it is not a valid entry (${parsed.error.message}).`);
			const key = memoryEntryKey(prefix, scope, folderOf(entry), entry.id);
			const written = await store.put(key, JSON.stringify(parsed.data), { ifAbsent: true, contentType: 'application/json' });
			if (!written.written) throw new StorageError(`A memory entry already exists at ${key}; entry ids must be unique.`);
		},

		warnings: () => lastWarnings,

		async read(readOptions = {}) {
			const objects = newestFirst(await storedObjects());
			return await readObjects(readOptions.limit === undefined ? objects : objects.slice(0, readOptions.limit));
		},

		async deleteEntry(id) {
			const keys = (['entries', 'episodes'] as const).map((inFolder) => memoryEntryKey(prefix, scope, inFolder, id));
			const existing = await Promise.all(keys.map(async (key) => ((await store.get(key)) === undefined ? undefined : key)));
			const found = existing.filter((key) => key !== undefined);
			await Promise.all(found.map((key) => store.delete(key)));
			return found.length > 0;
		},

		async clear() {
			const keys = await store.list(folder);
			await mapWithConcurrency(keys, readConcurrency, (key) => store.delete(key));
			return keys.length;
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

function folderOf(entry: MemoryEntry): MemoryFolder {
	return entry.kind === 'episode' ? 'episodes' : 'entries';
}

async function readObject(store: BlobStore, object: StoredObject): Promise<ReadResult> {
	const body = await store.get(object.key);
	// Deleted between listing and reading (e.g. by Clear Scope): simply no longer part of memory.
	if (body === undefined) return { ok: 'gone' };
	let value: unknown;
	try {
		value = JSON.parse(body.toString('utf8'));
	} catch {
		return { ok: false, problem: 'it is not valid JSON' };
	}
	const parsed = memoryEntrySchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
		return { ok: false, problem: `it is not a memory entry: ${issue.message}${where}` };
	}
	if (parsed.data.id !== object.id || folderOf(parsed.data) !== object.folder) {
		return { ok: false, problem: `its id or kind (${parsed.data.id}, ${parsed.data.kind}) does not match where it is stored` };
	}
	return { ok: true, entry: parsed.data };
}

function unreadableWarning(scope: string, count: number): string {
	const subject = count === 1 ? '1 stored memory entry' : `${count} stored memory entries`;
	return (
		`Note: ${subject} of scope "${scope}" could not be read (invalid JSON or not a memory entry) and ${count === 1 ? 'was' : 'were'} left out. ` +
		"List them with the node's Manage Memory mode and delete them."
	);
}
