import { StorageError } from '../../lib/storage';

describe('S3 SDK loading', () => {
	it('loads @aws-sdk/client-s3 only when a store first talks to S3', async () => {
		let sdkLoads = 0;
		jest.doMock('@aws-sdk/client-s3', () => {
			sdkLoads += 1;
			throw new Error('module missing');
		});
		let storage: typeof import('../../lib/storage') | undefined;
		await jest.isolateModulesAsync(async () => {
			storage = await import('../../lib/storage');
		});
		if (storage === undefined) throw new Error('lib/storage did not load');

		const store = storage.createS3Store({
			endpoint: 'http://127.0.0.1:9',
			region: 'us-east-1',
			bucket: 'bucket',
			accessKeyId: 'key',
			secretAccessKey: 'secret',
			forcePathStyle: true,
		});
		expect(sdkLoads).toBe(0);

		const failure = await store.get('run.json').catch((error: unknown) => error);
		expect(sdkLoads).toBe(1);
		expect(failure).toBeInstanceOf(storage.StorageError);
		expect((failure as StorageError).message).toBe('Cannot load @aws-sdk/client-s3: reinstall the n8n-nodes-durable-agent package.');
	});
});
