import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { StorageError, createLocalDiskStore, loadSigningSecret } from '../../lib/storage';
import { toLocalDiskError } from '../../lib/storage/local-disk-error';
import { describeBlobStoreContract, invalidKeys } from './blob-store-contract';

/** The permission bits of a file or folder, as an octal string such as '600'. */
async function modeOf(filePath: string): Promise<string> {
	return ((await fs.stat(filePath)).mode & 0o7777).toString(8);
}

/** The mode of every file and folder under `folder` (itself included), by relative path. */
async function modesUnder(folder: string): Promise<Record<string, string>> {
	const modes: Record<string, string> = { '.': await modeOf(folder) };
	for (const entry of await everythingUnder(folder)) modes[entry] = await modeOf(path.join(folder, entry));
	return modes;
}

/** Every file and folder under `folder`, dotfiles included, relative and sorted. */
async function everythingUnder(folder: string): Promise<string[]> {
	const entries = await fs.readdir(folder, { recursive: true });
	return entries.map((entry) => entry.split(path.sep).join('/')).sort();
}

describe('local disk store', () => {
	let workFolder: string;
	let root: string;
	let rootCount = 0;

	beforeAll(async () => {
		workFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'local-disk-store-'));
	});

	beforeEach(() => {
		rootCount += 1;
		root = path.join(workFolder, `root-${rootCount}`);
	});

	afterAll(async () => {
		await fs.rm(workFolder, { recursive: true, force: true });
	});

	describeBlobStoreContract({ createStore: async () => createLocalDiskStore(root), conditionalWrites: true });

	it('stores each key as a file in nested folders under the root', async () => {
		const store = createLocalDiskStore(root);
		await store.put('workflows/w1/run.json', '{"status":"done"}');

		expect(await fs.readFile(path.join(root, 'workflows', 'w1', 'run.json'), 'utf8')).toBe('{"status":"done"}');
		expect(store.location).toBe(pathToFileURL(root).href);
	});

	it('leaves no temporary files behind after writes, overwrites and lost ifAbsent writes', async () => {
		const store = createLocalDiskStore(root);
		await store.put('a/record.json', 'first');
		await store.put('a/record.json', 'second');
		await store.put('a/once.json', 'first', { ifAbsent: true });
		await store.put('a/once.json', 'second', { ifAbsent: true });
		await Promise.all(Array.from({ length: 10 }, (_, index) => store.put('a/race.json', String(index), { ifAbsent: true })));

		expect(await everythingUnder(root)).toEqual(['a', 'a/once.json', 'a/race.json', 'a/record.json']);
	});

	it('writes into a folder again after it was deleted by hand', async () => {
		const store = createLocalDiskStore(root);
		await store.put('runs/r1/transcript/000001.ndjson', 'one');
		await fs.rm(path.join(root, 'runs'), { recursive: true });

		await store.put('runs/r1/transcript/000002.ndjson', 'two');
		await store.put('runs/r1/claim.json', 'mine', { ifAbsent: true });

		expect(await store.list('runs/')).toEqual(['runs/r1/claim.json', 'runs/r1/transcript/000002.ndjson']);
	});

	it('keeps one whole object and no temporary files when two processes overwrite a key at once', async () => {
		const stores = [createLocalDiskStore(root), createLocalDiskStore(root)];
		const bodies = stores.map((_, index) => Buffer.alloc(256 * 1024, String(index)));
		await Promise.all(stores.flatMap((store, index) => Array.from({ length: 10 }, () => store.put('shared/run.json', bodies[index]))));

		const stored = await stores[0].get('shared/run.json');
		expect(bodies.some((body) => stored?.equals(body))).toBe(true);
		expect(await everythingUnder(root)).toEqual(['shared', 'shared/run.json']);
	});

	it('never lets a reader see a half-written object while it is overwritten', async () => {
		const store = createLocalDiskStore(root);
		const size = 2 * 1024 * 1024;
		const bodies = [Buffer.alloc(size, 'a'), Buffer.alloc(size, 'b')];
		await store.put('big.bin', bodies[0]);

		const reads: Array<Buffer | undefined> = [];
		const writer = (async () => {
			for (let round = 1; round <= 20; round += 1) await store.put('big.bin', bodies[round % 2]);
		})();
		const reader = (async () => {
			for (let round = 0; round < 60; round += 1) reads.push(await store.get('big.bin'));
		})();
		await Promise.all([writer, reader]);

		for (const read of reads) {
			expect(read?.length).toBe(size);
			expect(read?.equals(bodies[0]) || read?.equals(bodies[1])).toBe(true);
		}
	});

	it('shares objects with another store on the same folder, as another n8n process would', async () => {
		await createLocalDiskStore(root).put('shared/decision.json', 'approved', { ifAbsent: true });
		const other = createLocalDiskStore(root);

		expect((await other.get('shared/decision.json'))?.toString()).toBe('approved');
		expect(await other.put('shared/decision.json', 'rejected', { ifAbsent: true })).toEqual({ written: false, reason: 'exists' });
	});

	it.each(invalidKeys.filter((key) => key !== ''))('writes nothing anywhere for the escaping key %j', async (key) => {
		const store = createLocalDiskStore(path.join(root, 'inner'));
		await expect(store.put(key, 'x')).rejects.toThrow(StorageError);
		await expect(fs.readdir(root)).rejects.toMatchObject({ code: 'ENOENT' });
	});

	it('lists nothing and reads nothing from a root that does not exist yet', async () => {
		const store = createLocalDiskStore(root);
		expect(await store.list('')).toEqual([]);
		expect(await store.get('a.json')).toBeUndefined();
	});

	it('ignores files that no key can name, such as hidden files other tools leave', async () => {
		const store = createLocalDiskStore(root);
		await store.put('runs/run.json', '{}');
		await fs.writeFile(path.join(root, 'runs', '.DS_Store'), 'finder');

		expect(await store.list('')).toEqual(['runs/run.json']);
	});

	it('treats a key that names a folder as holding nothing', async () => {
		const store = createLocalDiskStore(root);
		await store.put('folder/object.json', '{}');

		expect(await store.get('folder')).toBeUndefined();
		await store.delete('folder');
		expect(await store.list('')).toEqual(['folder/object.json']);
	});

	describe('keeps every object private to the user that runs n8n', () => {
		it.each([
			['a plain put', { ifAbsent: false, durable: false }],
			['a durable put', { ifAbsent: false, durable: true }],
			['an "only if absent" put', { ifAbsent: true, durable: false }],
		])('writes files 0600 in folders 0700 with %s', async (_, options) => {
			const store = createLocalDiskStore(path.join(root, 'storage'));
			await store.put('workflows/w1/run.json', '{}', options);

			expect(await modesUnder(root)).toEqual({
				'.': '700',
				storage: '700',
				'storage/workflows': '700',
				'storage/workflows/w1': '700',
				'storage/workflows/w1/run.json': '600',
			});
		});

		it('keeps the approval signing secret, which can forge tokens, readable by its owner only', async () => {
			await loadSigningSecret(createLocalDiskStore(root), 'prefix');

			expect(await modesUnder(root)).toEqual({ '.': '700', prefix: '700', 'prefix/keys': '700', 'prefix/keys/approval-signing-key': '600' });
		});

		it('replaces an object an earlier version wrote 0644 with a private one', async () => {
			await fs.mkdir(root, { recursive: true, mode: 0o700 });
			await fs.writeFile(path.join(root, 'run.json'), 'old', { mode: 0o644 });
			await createLocalDiskStore(root).put('run.json', 'new');

			expect(await modeOf(path.join(root, 'run.json'))).toBe('600');
		});

		it('creates the temporary file private, so no byte is readable by others before the rename', async () => {
			const store = createLocalDiskStore(root);
			await store.put('big/first.bin', 'x');
			const folder = path.join(root, 'big');
			const seen = new Map<string, string>();
			const watcher = fsSync.watch(folder, (_, name) => {
				if (name === null || !name.startsWith('.tmp-')) return;
				try {
					seen.set(name, (fsSync.statSync(path.join(folder, name)).mode & 0o7777).toString(8));
				} catch {
					// Renamed into place before this event arrived: the next write is watched instead.
				}
			});
			try {
				for (let round = 0; round < 20 && seen.size === 0; round += 1) {
					await store.put('big/object.bin', Buffer.alloc(32 * 1024 * 1024, round));
				}
			} finally {
				watcher.close();
			}

			expect(seen.size).toBeGreaterThan(0);
			expect(new Set(seen.values())).toEqual(new Set(['600']));
		});

		it('closes a root folder an earlier version left open to others at its first use, reads included', async () => {
			await fs.mkdir(path.join(root, 'keys'), { recursive: true });
			await fs.chmod(root, 0o755);
			await fs.writeFile(path.join(root, 'keys', 'approval-signing-key'), 'secret', { mode: 0o644 });

			expect(await createLocalDiskStore(root).get('keys/approval-signing-key')).toEqual(Buffer.from('secret'));
			expect(await modeOf(root)).toBe('700');
		});

		it('leaves a folder shared by design (sticky bit, like /tmp) as it is', async () => {
			await fs.mkdir(root, { recursive: true });
			await fs.chmod(root, 0o1777);
			await createLocalDiskStore(root).put('runs/run.json', '{}');

			expect(await modesUnder(root)).toEqual({ '.': '1777', runs: '700', 'runs/run.json': '600' });
		});
	});

	it('refuses an empty root folder with advice', () => {
		expect(() => createLocalDiskStore('  ')).toThrow(/local storage folder is empty/);
	});

	it('explains what to fix when the root folder sits under a file', async () => {
		await fs.mkdir(workFolder, { recursive: true });
		const blocker = path.join(workFolder, `blocker-${rootCount}`);
		await fs.writeFile(blocker, 'not a folder');
		const store = createLocalDiskStore(path.join(blocker, 'storage'));

		const failure = store.put('run.json', '{}');
		await expect(failure).rejects.toThrow(StorageError);
		await expect(failure).rejects.toThrow(/Cannot write "run.json" in the local storage folder .*blocker.*: a file and a folder would share one name/);
	});

	it('tells the user to grant access when the file system says EACCES', () => {
		// Tests run as root here, where chmod cannot provoke EACCES, so the mapping is checked directly.
		const denied = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
		const error = toLocalDiskError(denied, '/srv/n8n/durable-agent', 'write', 'run.json');

		expect(error).toBeInstanceOf(StorageError);
		expect(error.message).toBe(
			'Cannot write "run.json" in the local storage folder /srv/n8n/durable-agent: permission denied. Give the user that runs n8n read and write access to /srv/n8n/durable-agent, or choose another storage folder.',
		);
		expect(error.cause).toBe(denied);
	});
});
