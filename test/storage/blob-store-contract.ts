import type { BlobStore } from '../../lib/storage';
import { StorageError } from '../../lib/storage';

/** What the shared BlobStore contract runs against. */
export type ContractSubject = {
	/** A fresh, empty store for each test. */
	createStore: () => Promise<BlobStore>;
	/** Whether the backing server enforces `ifAbsent` itself (s3rver does not, so S3 proves it separately). */
	conditionalWrites: boolean;
};

/** Keys every adapter must refuse, so none can be used to escape a folder or hide an object. */
export const invalidKeys = ['', '/absolute', 'a/../b', '..', 'a/./b', 'a\\b', 'a\0b', 'a//b', 'trailing/', '.hidden', 'a/.tmp-1'];

/** Registers the behaviour every BlobStore adapter shares, inside the caller's describe block. */
export function describeBlobStoreContract(subject: ContractSubject): void {
	let store: BlobStore;

	beforeEach(async () => {
		store = await subject.createStore();
	});

	it('returns undefined for a key that holds nothing', async () => {
		expect(await store.get('nothing/here.json')).toBeUndefined();
	});

	it('round-trips text, binary and empty bodies', async () => {
		const binary = Buffer.from([0, 1, 2, 254, 255, 10, 13]);
		expect(await store.put('objects/text.json', '{"greeting":"héllo ✓"}')).toEqual({ written: true });
		await store.put('objects/binary.bin', binary);
		await store.put('objects/empty.txt', '');

		expect((await store.get('objects/text.json'))?.toString('utf8')).toBe('{"greeting":"héllo ✓"}');
		expect(await store.get('objects/binary.bin')).toEqual(binary);
		expect(await store.get('objects/empty.txt')).toEqual(Buffer.alloc(0));
	});

	it('overwrites an existing key with a plain put', async () => {
		await store.put('record.json', 'first');
		expect(await store.put('record.json', 'second')).toEqual({ written: true });
		expect((await store.get('record.json'))?.toString()).toBe('second');
	});

	it('is not affected by callers changing buffers they passed in or got back', async () => {
		const body = Buffer.from('original');
		await store.put('copy.txt', body);
		body.write('XXXXXXXX');
		const read = await store.get('copy.txt');
		read?.write('YYYYYYYY');
		expect((await store.get('copy.txt'))?.toString()).toBe('original');
	});

	it('lists every key under a prefix, recursively, in byte order', async () => {
		const keys = ['runs/run-1/transcript/000010.ndjson', 'runs/run-1/run.json', 'runs/run-10/run.json', 'runs/run-1/transcript/000002.ndjson', 'other/Z.json', 'other/a.json'];
		for (const key of keys) await store.put(key, key);

		expect(await store.list('runs/run-1/')).toEqual(['runs/run-1/run.json', 'runs/run-1/transcript/000002.ndjson', 'runs/run-1/transcript/000010.ndjson']);
		// A prefix is a plain string prefix, not a folder: without the slash run-10 matches too.
		expect(await store.list('runs/run-1')).toEqual([
			'runs/run-1/run.json',
			'runs/run-1/transcript/000002.ndjson',
			'runs/run-1/transcript/000010.ndjson',
			'runs/run-10/run.json',
		]);
		expect(await store.list('')).toEqual([...keys].sort());
		expect(await store.list('other/')).toEqual(['other/Z.json', 'other/a.json']);
		expect(await store.list('missing/')).toEqual([]);
	});

	it('deletes a key, and deleting a missing key succeeds', async () => {
		await store.put('to-delete.json', 'x');
		await store.put('to-keep.json', 'y');
		await store.delete('to-delete.json');
		await store.delete('never-existed.json');

		expect(await store.get('to-delete.json')).toBeUndefined();
		expect(await store.list('')).toEqual(['to-keep.json']);
	});

	it.each(invalidKeys)('refuses the key %j for every operation', async (key) => {
		await expect(store.put(key, 'x')).rejects.toThrow(StorageError);
		await expect(store.get(key)).rejects.toThrow(StorageError);
		await expect(store.delete(key)).rejects.toThrow(StorageError);
	});

	it('refuses a list prefix that climbs out of its folder', async () => {
		await expect(store.list('../')).rejects.toThrow(StorageError);
		await expect(store.list('a/../../b')).rejects.toThrow(StorageError);
	});

	if (!subject.conditionalWrites) return;

	it('writes an ifAbsent object once and reports the key as taken afterwards', async () => {
		expect(await store.put('once.json', 'first', { ifAbsent: true })).toEqual({ written: true });
		expect(await store.put('once.json', 'second', { ifAbsent: true })).toEqual({ written: false, reason: 'exists' });
		expect((await store.get('once.json'))?.toString()).toBe('first');
	});

	it('lets exactly one of many concurrent ifAbsent puts of one key win', async () => {
		const contenders = Array.from({ length: 24 }, (_, index) => `contender-${index}`);
		const results = await Promise.all(contenders.map((body) => store.put('decision.json', body, { ifAbsent: true })));

		const winners = contenders.filter((_, index) => results[index].written);
		expect(winners).toHaveLength(1);
		expect(results.filter((result) => !result.written)).toHaveLength(contenders.length - 1);
		expect((await store.get('decision.json'))?.toString()).toBe(winners[0]);
	});
}
