import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { S3StoreOptions } from '../../lib/storage';
import { StorageError, checkS3Access, createS3Store } from '../../lib/storage';
import { describeBlobStoreContract } from './blob-store-contract';
import type { LocalS3 } from '../support/s3-test-servers';
import { closedPort, startConditionalPutEndpoint, startFailingEndpoint, startLocalS3, startPagedListEndpoint, startRecordingProxy } from '../support/s3-test-servers';

async function expectStorageError(operation: Promise<unknown>, message: string): Promise<void> {
	const error = await operation.then(
		() => undefined,
		(rejection: unknown) => rejection,
	);
	expect(error).toBeInstanceOf(StorageError);
	expect((error as StorageError).message).toBe(message);
}

describe('S3 store against a local S3 server', () => {
	let directory: string;
	let localS3: LocalS3;
	let bucketCount = 0;

	function optionsFor(overrides: Partial<S3StoreOptions> = {}): S3StoreOptions {
		return {
			endpoint: localS3.endpoint,
			region: 'us-east-1',
			bucket: 'test-bucket',
			accessKeyId: 'S3RVER',
			secretAccessKey: 'S3RVER',
			forcePathStyle: true,
			...overrides,
		};
	}

	beforeAll(async () => {
		directory = await fs.mkdtemp(path.join(os.tmpdir(), 's3-store-'));
		localS3 = await startLocalS3(directory, ['test-bucket']);
	});

	afterAll(async () => {
		await localS3.close();
		await fs.rm(directory, { recursive: true, force: true });
	});

	describe('shared contract', () => {
		describeBlobStoreContract({
			createStore: async () => {
				bucketCount += 1;
				const bucket = `contract-${bucketCount}`;
				await localS3.createBucket(bucket);
				return createS3Store(optionsFor({ bucket }));
			},
			// s3rver ignores If-None-Match; the local S3 endpoint enforces it in front of s3rver, as S3 does.
			conditionalWrites: true,
		});
	});

	it('names the bucket as its location', () => {
		expect(createS3Store(optionsFor()).location).toBe('s3://test-bucket');
	});

	it('follows continuation tokens until the listing is complete', async () => {
		const keys = Array.from({ length: 7 }, (_, index) => `turns/${String(index + 1).padStart(6, '0')}.ndjson`);
		const endpoint = await startPagedListEndpoint('test-bucket', [...keys, 'elsewhere/run.json'], 3);
		try {
			const store = createS3Store(optionsFor({ endpoint: endpoint.endpoint }));
			expect(await store.list('turns/')).toEqual(keys);

			const tokens = endpoint.requests.map((request) => new URL(request.url, 'http://localhost').searchParams.get('continuation-token'));
			expect(tokens).toHaveLength(3);
			expect(tokens[0]).toBeNull();
		} finally {
			await endpoint.close();
		}
	});

	it('leaves out objects other tools stored that no adapter could read, such as folder markers', async () => {
		const endpoint = await startPagedListEndpoint('test-bucket', ['runs/', 'runs/run.json'], 1000);
		try {
			expect(await createS3Store(optionsFor({ endpoint: endpoint.endpoint })).list('runs/')).toEqual(['runs/run.json']);
		} finally {
			await endpoint.close();
		}
	});

	it('fails with the bucket name and advice when the bucket does not exist', async () => {
		const store = createS3Store(optionsFor({ bucket: 'no-such-bucket' }));
		const advice = `S3 bucket "no-such-bucket" does not exist at endpoint ${localS3.endpoint}: create it or fix the bucket name in the S3 credential.`;

		await expectStorageError(store.put('run.json', '{}'), advice);
		// A missing bucket is a configuration error, never "no object here".
		await expectStorageError(store.get('run.json'), advice);
		await expectStorageError(store.list(''), advice);
	});

	it('tells the user to check the key and secret when the access key is refused', async () => {
		const store = createS3Store(optionsFor({ accessKeyId: 'UNKNOWNKEY' }));

		await expectStorageError(
			store.put('run.json', '{}'),
			`S3 at ${localS3.endpoint} refused access to bucket "test-bucket" (InvalidAccessKeyId): check the access key id and secret in the S3 credential, and that the key may read, write and list this bucket.`,
		);
	});

	it.each([
		[403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
		[403, 'AccessDenied', 'Access Denied'],
	])('tells the user to check the key and secret on %i %s', async (status, code, message) => {
		const endpoint = await startFailingEndpoint(status, code, message);
		try {
			await expectStorageError(
				createS3Store(optionsFor({ endpoint: endpoint.endpoint })).get('run.json'),
				`S3 at ${endpoint.endpoint} refused access to bucket "test-bucket" (${code}): check the access key id and secret in the S3 credential, and that the key may read, write and list this bucket.`,
			);
		} finally {
			await endpoint.close();
		}
	});

	it('fails fast with "cannot reach" when nothing listens at the endpoint', async () => {
		const endpoint = `http://127.0.0.1:${await closedPort()}`;
		const store = createS3Store(optionsFor({ endpoint }));

		await expectStorageError(
			store.get('run.json'),
			`Cannot reach S3 endpoint ${endpoint} (ECONNREFUSED): check the endpoint URL in the S3 credential and that the server is running and reachable from n8n.`,
		);
	});

	it('refuses unusable settings before any request', () => {
		expect(() => createS3Store(optionsFor({ bucket: '' }))).toThrow(/bucket name is empty/);
		expect(() => createS3Store(optionsFor({ region: '' }))).toThrow(/region is empty/);
		expect(() => createS3Store(optionsFor({ endpoint: 'not a url' }))).toThrow(/is not a URL/);
	});

	describe('checkS3Access', () => {
		it('reports ok for a reachable bucket with valid credentials', async () => {
			expect(await checkS3Access(optionsFor())).toEqual({ ok: true });
		});

		it('reports what to fix otherwise, without throwing', async () => {
			const missingBucket = await checkS3Access(optionsFor({ bucket: 'absent-bucket' }));
			const wrongKey = await checkS3Access(optionsFor({ accessKeyId: 'UNKNOWNKEY' }));
			const deadEndpoint = await checkS3Access(optionsFor({ endpoint: `http://127.0.0.1:${await closedPort()}` }));
			const emptyBucket = await checkS3Access(optionsFor({ bucket: '' }));

			expect(missingBucket).toEqual({ ok: false, message: expect.stringContaining('bucket "absent-bucket" does not exist') });
			expect(wrongKey).toEqual({ ok: false, message: expect.stringContaining('check the access key id and secret') });
			expect(deadEndpoint).toEqual({ ok: false, message: expect.stringContaining('Cannot reach S3 endpoint') });
			expect(emptyBucket).toEqual({ ok: false, message: expect.stringContaining('bucket name is empty') });
		});
	});

	describe('one-time records on the wire', () => {
		it('sends If-None-Match: * for ifAbsent puts only', async () => {
			const proxy = await startRecordingProxy(localS3.port);
			try {
				const store = createS3Store(optionsFor({ endpoint: proxy.endpoint }));
				await store.put('wire/plain.json', 'a');
				await store.put('wire/once.json', 'b', { ifAbsent: true });

				const puts = proxy.requests.filter((request) => request.method === 'PUT');
				expect(puts.map((request) => [request.url.split('?')[0], request.headers['if-none-match']])).toEqual([
					['/test-bucket/wire/plain.json', undefined],
					['/test-bucket/wire/once.json', '*'],
				]);
				// The proxied request was signed and accepted end to end.
				expect((await store.get('wire/once.json'))?.toString()).toBe('b');
			} finally {
				await proxy.close();
			}
		});

		it('reports an existing key when S3 answers 412 PreconditionFailed, without retrying', async () => {
			const endpoint = await startConditionalPutEndpoint(new Set());
			try {
				const store = createS3Store(optionsFor({ endpoint: endpoint.endpoint }));
				expect(await store.put('decision.json', 'first', { ifAbsent: true })).toEqual({ written: true });
				expect(await store.put('decision.json', 'second', { ifAbsent: true })).toEqual({ written: false, reason: 'exists' });
				expect(endpoint.requests).toHaveLength(2);
			} finally {
				await endpoint.close();
			}
		});

		it('reports an existing key when S3 answers 409 ConditionalRequestConflict', async () => {
			const endpoint = await startConditionalPutEndpoint(new Set(['contested.json']));
			try {
				const store = createS3Store(optionsFor({ endpoint: endpoint.endpoint }));
				expect(await store.put('contested.json', 'mine', { ifAbsent: true })).toEqual({ written: false, reason: 'exists' });
			} finally {
				await endpoint.close();
			}
		});
	});
});
