import { assertValidKey, assertValidPrefix, sortKeys } from './blob-key';
import type { BlobStore, PutOptions, PutResult } from './blob-store';

/** A BlobStore held in process memory: for tests and the engine's unit tests. */
export function createMemoryStore(): BlobStore {
	const objects = new Map<string, Buffer>();

	return {
		location: 'memory://',

		async get(key: string): Promise<Buffer | undefined> {
			assertValidKey(key);
			const stored = objects.get(key);
			// Copies keep callers from mutating what is stored, as with a real store.
			return stored === undefined ? undefined : Buffer.from(stored);
		},

		async put(key: string, body: string | Buffer, options: PutOptions = {}): Promise<PutResult> {
			assertValidKey(key);
			if (options.ifAbsent === true && objects.has(key)) return { written: false, reason: 'exists' };
			objects.set(key, Buffer.from(body));
			return { written: true };
		},

		async list(prefix: string): Promise<string[]> {
			assertValidPrefix(prefix);
			return sortKeys([...objects.keys()].filter((key) => key.startsWith(prefix)));
		},

		async delete(key: string): Promise<void> {
			assertValidKey(key);
			objects.delete(key);
		},
	};
}
