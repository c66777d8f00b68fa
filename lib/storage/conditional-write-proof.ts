import { randomUUID } from 'node:crypto';

import type { BlobStore, PutOptions, PutResult } from './blob-store';
import { StorageError } from './blob-store';
import { conditionalWriteProbeFolder } from './keys';
import { describeEndpoint, type S3StoreOptions } from './s3-client';
import { createS3Store } from './s3-store';

/** Stores already proven (or being proven) in this process, by location and probe folder. */
const proofs = new Map<string, Promise<void>>();

/**
 * A store whose "only if absent" writes are checked once before the first one is trusted. Approval
 * decisions, continuation claims and memory content claims are one-time only because the store
 * refuses a second conditional write to a key; an S3-compatible server that ignores
 * `If-None-Match: *` would silently let two conflicting decisions both "win". So the first
 * conditional put writes a probe object under `probeFolder` twice: the second write must be
 * refused. A store that accepts it is refused with an error naming the store and what to change;
 * nothing is written for the caller. The proof is cached per store (`storeIdentity`: the server and
 * bucket) and folder for the life of the process; a failed check is not, so a fixed store works
 * without a restart.
 */
export function withProvenConditionalWrites(store: BlobStore, probeFolder: string, storeIdentity = store.location): BlobStore {
	const proofKey = `${storeIdentity} ${probeFolder}`;
	const prove = (): Promise<void> => {
		let proof = proofs.get(proofKey);
		if (proof === undefined) {
			proof = proveConditionalWrites(store, probeFolder);
			proofs.set(proofKey, proof);
			proof.catch(() => proofs.delete(proofKey));
		}
		return proof;
	};
	return {
		location: store.location,
		get: (key) => store.get(key),
		list: (prefix) => store.list(prefix),
		delete: (key) => store.delete(key),
		async put(key: string, body: string | Buffer, options?: PutOptions): Promise<PutResult> {
			if (options?.ifAbsent === true) await prove();
			return await store.put(key, body, options);
		},
	};
}

async function proveConditionalWrites(store: BlobStore, probeFolder: string): Promise<void> {
	const probeKey = `${probeFolder}${randomUUID()}.json`;
	const first = await store.put(probeKey, '{"probe":1}', { ifAbsent: true });
	const second = await store.put(probeKey, '{"probe":2}', { ifAbsent: true });
	await store.delete(probeKey).catch(() => undefined);
	if (first.written && !second.written) return;
	throw new StorageError(
		`The storage at ${store.location} does not refuse a second "only if absent" write to the same key (S3's If-None-Match: *), ` +
			'so it cannot record approvals and claims once: two conflicting decisions could both be applied. ' +
			'Use a store that enforces conditional writes (AWS S3, Cloudflare R2, MinIO), or Local Disk.',
	);
}

/** An S3-compatible store for runs under `prefix`, whose conditional writes are proven before the first one is trusted. */
export function createVerifiedS3Store(options: S3StoreOptions, prefix: string): BlobStore {
	const store = createS3Store(options);
	return withProvenConditionalWrites(store, conditionalWriteProbeFolder(prefix), `${describeEndpoint(options)} ${store.location}`);
}
