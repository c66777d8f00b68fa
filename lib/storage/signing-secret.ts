import { randomBytes } from 'node:crypto';

import { StorageError, type BlobStore } from './blob-store';
import { signingSecretKey } from './keys';

/**
 * The approval-token secret of this store: created on first use with "only if absent", so every n8n
 * process (main, webhook, workers) that shares the store signs and verifies with the same secret.
 */
export async function loadSigningSecret(store: BlobStore, prefix: string): Promise<Buffer> {
	const key = signingSecretKey(prefix);
	const existing = await store.get(key);
	if (existing !== undefined) return existing;
	await store.put(key, randomBytes(32), { ifAbsent: true, contentType: 'application/octet-stream' });
	// Read back: when two processes race, both must end up with the one secret that was stored.
	const stored = await store.get(key);
	if (stored === undefined) throw new StorageError(`The approval signing secret at ${store.location}/${key} could not be read back after writing it.`);
	return stored;
}
