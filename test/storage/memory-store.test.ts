import { createMemoryStore } from '../../lib/storage';
import { describeBlobStoreContract } from './blob-store-contract';

describe('memory store', () => {
	describeBlobStoreContract({ createStore: async () => createMemoryStore(), conditionalWrites: true });

	it('keeps each store separate', async () => {
		const first = createMemoryStore();
		const second = createMemoryStore();
		await first.put('key.json', 'x');
		expect(await second.get('key.json')).toBeUndefined();
	});
});
