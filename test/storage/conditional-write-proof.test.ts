import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createVerifiedS3Store, StorageError, type S3StoreOptions } from '../../lib/storage';
import { startLocalS3, startRecordingProxy, type LocalS3 } from '../support/s3-test-servers';

/**
 * One-time records are only one-time if the store refuses a second "only if absent" write. A store
 * proves that once, before its first conditional write is trusted; one that does not keep the
 * promise is refused with an error that says what to change, and nothing is written.
 */
let directory: string;
let localS3: LocalS3;
let buckets = 0;

beforeAll(async () => {
	directory = await fs.mkdtemp(path.join(os.tmpdir(), 'conditional-proof-'));
	localS3 = await startLocalS3(directory, []);
});
afterAll(async () => {
	await localS3.close();
	await fs.rm(directory, { recursive: true, force: true });
});

async function freshBucket(): Promise<string> {
	buckets += 1;
	const bucket = `proof-${buckets}`;
	await localS3.createBucket(bucket);
	return bucket;
}

const options = (bucket: string, endpoint: string): S3StoreOptions => ({ endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });

describe('stores prove their "only if absent" writes', () => {
	it('refuses the first one-time record on a store that ignores If-None-Match, and writes nothing', async () => {
		const bucket = await freshBucket();
		const store = createVerifiedS3Store(options(bucket, localS3.rawEndpoint), 'team-a');

		const error = await store.put('team-a/decisions/p1.json', '{"decision":"approve"}', { ifAbsent: true }).catch((rejection: unknown) => rejection);

		expect(error).toBeInstanceOf(StorageError);
		expect((error as Error).message).toBe(
			`The storage at s3://${bucket} does not refuse a second "only if absent" write to the same key (S3's If-None-Match: *), so it cannot record approvals and claims once: ` +
				'two conflicting decisions could both be applied. Use a store that enforces conditional writes (AWS S3, Cloudflare R2, MinIO), or Local Disk.',
		);
		expect(await store.list('')).toEqual([]);
		// Plain writes (transcripts, run records) never depend on the promise and still work.
		expect(await store.put('team-a/run.json', '{}')).toEqual({ written: true });
	});

	it('proves a store that keeps the promise once per server, bucket and prefix, then trusts it', async () => {
		const bucket = await freshBucket();
		const proxy = await startRecordingProxy(localS3.port);
		try {
			const probePuts = () => proxy.requests.filter((request) => request.method === 'PUT' && request.url.includes('/conditional-write-probes/')).length;
			const store = createVerifiedS3Store(options(bucket, proxy.endpoint), 'team-a');

			expect(await store.put('team-a/decisions/p1.json', 'first', { ifAbsent: true })).toEqual({ written: true });
			expect(await store.put('team-a/decisions/p1.json', 'second', { ifAbsent: true })).toEqual({ written: false, reason: 'exists' });
			// Another handle on the same bucket and prefix (another node, another item) reuses the proof.
			await createVerifiedS3Store(options(bucket, proxy.endpoint), 'team-a').put('team-a/decisions/p2.json', 'x', { ifAbsent: true });
			expect(probePuts()).toBe(2);

			await createVerifiedS3Store(options(bucket, proxy.endpoint), 'team-b').put('team-b/decisions/p1.json', 'x', { ifAbsent: true });
			expect(probePuts()).toBe(4);
			// The probe objects are removed again.
			expect((await store.list('')).filter((key) => key.includes('conditional-write-probes'))).toEqual([]);
		} finally {
			await proxy.close();
		}
	});

	it("does not take one server's proof for another server with the same bucket name", async () => {
		const bucket = await freshBucket();
		await createVerifiedS3Store(options(bucket, localS3.endpoint), 'team-a').put('team-a/once.json', 'x', { ifAbsent: true });

		await expect(createVerifiedS3Store(options(bucket, localS3.rawEndpoint), 'team-a').put('team-a/twice.json', 'x', { ifAbsent: true })).rejects.toThrow(
			'does not refuse a second "only if absent" write',
		);
	});
});
