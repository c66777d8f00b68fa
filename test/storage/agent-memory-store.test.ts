import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createAgentMemory, type AgentMemory, type MemoryEntry } from '../../lib/engine/memory';
import { createAgentMemoryStore } from '../../lib/storage/agent-memory-store';
import { createLocalDiskStore, createMemoryStore, memoryEntryKey, type BlobStore } from '../../lib/storage';
import type { MemoryScope } from '../../lib/storage/memory-scope';

const prefix = 'tenant-a';
const scope: MemoryScope = { kind: 'key', key: 'customer/42' };
const keyScope = (key: string): MemoryScope => ({ kind: 'key', key });
const entriesAndEpisodes = (keys: string[]) => keys.filter((key) => !key.includes('/contents/'));

function entry(id: string, content: string, kind: MemoryEntry['kind'] = 'fact'): MemoryEntry {
	return { id, kind, content, importance: 3, tags: [], createdAt: '2025-03-01T12:00:00.000Z', ...(kind === 'episode' ? { runId: 'run-1' } : {}) };
}

let workFolder: string;
beforeAll(async () => {
	workFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'agent-memory-store-'));
});
afterAll(async () => {
	await fs.rm(workFolder, { recursive: true, force: true });
});

/** A store, and a second handle on the same storage as another n8n process would open it. */
type StoreUnderTest = { store: BlobStore; openAgain(): BlobStore };

describe.each([
	[
		'memory store',
		async (): Promise<StoreUnderTest> => {
			const store = createMemoryStore();
			return { store, openAgain: () => store };
		},
	],
	[
		'local disk store',
		async (): Promise<StoreUnderTest> => {
			const root = await fs.mkdtemp(path.join(workFolder, 'root-'));
			return { store: createLocalDiskStore(root), openAgain: () => createLocalDiskStore(root) };
		},
	],
])('agent memory store on the %s', (_name, createStore) => {
	let store: BlobStore;
	let openAgain: () => BlobStore;
	beforeEach(async () => {
		({ store, openAgain } = await createStore());
	});

	it('stores each entry as its own object and lists them newest first', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		await memory.write(entry('20250101T000000000Z-a', 'Oldest fact.'));
		await memory.write(entry('20250301T000000000Z-c', 'Newest, an episode.', 'episode'));
		await memory.write(entry('20250201T000000000Z-b', 'Middle lesson.', 'lesson'));

		const keys = await store.list('');
		expect(entriesAndEpisodes(keys)).toEqual([
			'tenant-a/memory/keys/customer%2F42/entries/20250101T000000000Z-a.json',
			'tenant-a/memory/keys/customer%2F42/entries/20250201T000000000Z-b.json',
			'tenant-a/memory/keys/customer%2F42/episodes/20250301T000000000Z-c.json',
		]);
		// One content claim per fact or lesson; episodes are one per run and need none.
		expect(keys.filter((key) => key.includes('/contents/'))).toEqual([expect.stringMatching(/^tenant-a\/memory\/keys\/customer%2F42\/contents\/[0-9a-f]{64}\.json$/), expect.any(String)]);
		expect((await memory.list()).map((stored) => stored.content)).toEqual(['Newest, an episode.', 'Middle lesson.', 'Oldest fact.']);
		expect(await memory.list()).toContainEqual(entry('20250301T000000000Z-c', 'Newest, an episode.', 'episode'));
		expect(memory.warnings()).toEqual([]);
		expect(await createAgentMemoryStore(store, { prefix, scope: keyScope('customer/43') }).list()).toEqual([]);
	});

	it('loses nothing when two executions write the same scope at the same time', async () => {
		// Both executions start in the same millisecond, so only the random part keeps their ids apart.
		const execution = (blobStore: BlobStore) =>
			createAgentMemory(createAgentMemoryStore(blobStore, { prefix, scope }), {
				mode: 'read-write',
				instructions: '',
				promptBudgetTokens: 1000,
				now: () => Date.parse('2025-03-01T12:00:00Z'),
				newId: randomUUID,
			});
		const writes = (memory: AgentMemory, name: string) => {
			const remember = memory.tools.find((tool) => tool.name === 'remember');
			if (remember === undefined) throw new Error('A read-write memory offers remember.');
			return [
				...Array.from({ length: 20 }, (_, index) => remember.execute({ content: `${name} fact ${index}` }, { toolCallId: `${name}-${index}`, signal: new AbortController().signal })),
				memory.recordEpisode({ runId: name, task: `Task of ${name}`, status: 'done', answer: 'ok', toolsUsed: [] }),
			];
		};

		const results = await Promise.all([...writes(execution(store), 'first'), ...writes(execution(openAgain()), 'second')]);

		expect(results.filter((result) => typeof result === 'string' && result.startsWith('Remembered as fact'))).toHaveLength(40);
		const listed = await createAgentMemoryStore(store, { prefix, scope }).list();
		expect(listed).toHaveLength(42);
		for (const name of ['first', 'second']) {
			for (let index = 0; index < 20; index++) expect(listed.some((stored) => stored.content === `${name} fact ${index}`)).toBe(true);
			expect(listed.some((stored) => stored.kind === 'episode' && stored.runId === name)).toBe(true);
		}
	});

	it('skips corrupted objects, reports them, and lets them be deleted by id', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		await memory.write(entry('20250101T000000000Z-good', 'A readable fact about Lisbon.'));
		await store.put(memoryEntryKey(prefix, scope, 'entries', '20250102T000000000Z-broken'), '{"id": "20250102T0000');
		await store.put(memoryEntryKey(prefix, scope, 'entries', '20250103T000000000Z-wrong'), JSON.stringify({ ...entry('20250103T000000000Z-wrong', 'x'), importance: 9 }));
		await store.put(memoryEntryKey(prefix, scope, 'episodes', '20250104T000000000Z-moved'), JSON.stringify(entry('20250104T000000000Z-other', 'Copied here by hand.')));
		await store.put('tenant-a/memory/keys/customer%2F42/notes.txt', 'not memory');

		expect((await memory.list()).map((stored) => stored.id)).toEqual(['20250101T000000000Z-good']);
		expect(memory.warnings()).toEqual([expect.stringContaining('3 stored memory entries of scope "key:customer/42" could not be read')]);

		const block = await createAgentMemory(memory, { mode: 'read-only', instructions: '', promptBudgetTokens: 500, now: Date.now, newId: randomUUID }).promptBlock('Lisbon');
		expect(block).toContain('A readable fact about Lisbon.');
		expect(block).toContain('3 stored memory entries');

		const objects = await memory.read();
		expect(objects).toEqual([
			{
				status: 'unreadable',
				id: '20250104T000000000Z-moved',
				folder: 'episodes',
				key: 'tenant-a/memory/keys/customer%2F42/episodes/20250104T000000000Z-moved.json',
				problem: 'its id or kind (20250104T000000000Z-other, fact) does not match where it is stored',
			},
			expect.objectContaining({ status: 'unreadable', id: '20250103T000000000Z-wrong', problem: expect.stringMatching(/not a memory entry: .* at "importance"/) }),
			expect.objectContaining({ status: 'unreadable', id: '20250102T000000000Z-broken', problem: 'it is not valid JSON' }),
			{ status: 'readable', entry: entry('20250101T000000000Z-good', 'A readable fact about Lisbon.') },
		]);

		for (const object of objects) if (object.status === 'unreadable') expect(await memory.deleteEntry(object.id)).toBe(true);
		await memory.list();
		expect(memory.warnings()).toEqual([]);
	});

	it('reads only the newest entries and episodes up to the caps', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope, maxEntries: 2, maxEpisodes: 1 });
		for (const day of [1, 2, 3]) {
			await memory.write(entry(`2025010${day}T000000000Z-fact`, `Fact of day ${day}.`));
			await memory.write(entry(`2025010${day}T000000000Z-run`, `Run of day ${day}.`, 'episode'));
		}
		expect((await memory.list()).map((stored) => stored.content)).toEqual(['Run of day 3.', 'Fact of day 3.', 'Fact of day 2.']);
		expect((await memory.read({ limit: 2 })).map((object) => object.status === 'readable' && object.entry.content)).toEqual(['Run of day 3.', 'Fact of day 3.']);
		expect(await memory.read()).toHaveLength(6);
	});

	it('deletes one entry by id, and clears one scope without touching another', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		const other = createAgentMemoryStore(store, { prefix, scope: keyScope('customer/7') });
		await memory.write(entry('20250101T000000000Z-a', 'Fact A.'));
		await memory.write(entry('20250102T000000000Z-b', 'Run B.', 'episode'));
		await memory.write(entry('20250103T000000000Z-c', 'Fact C.'));
		await other.write(entry('20250101T000000000Z-a', 'Other scope.'));

		expect(await memory.deleteEntry('20250102T000000000Z-b')).toBe(true);
		expect(await memory.deleteEntry('20250102T000000000Z-b')).toBe(false);
		expect((await memory.list()).map((stored) => stored.content)).toEqual(['Fact C.', 'Fact A.']);

		expect(await memory.clear()).toBe(2);
		expect(await memory.list()).toEqual([]);
		expect((await other.list()).map((stored) => stored.content)).toEqual(['Other scope.']);
	});

	it('stores the same text once when ten runs remember it at the same time', async () => {
		const run = (index: number) =>
			createAgentMemory(createAgentMemoryStore(index % 2 === 0 ? store : openAgain(), { prefix, scope }), {
				mode: 'read-write',
				instructions: '',
				promptBudgetTokens: 1000,
				now: () => Date.parse('2025-03-01T12:00:00Z'),
				newId: randomUUID,
			});
		const remembered = await Promise.all(
			Array.from({ length: 10 }, async (_, index) => {
				const remember = run(index).tools.find((tool) => tool.name === 'remember')!;
				// Case and spacing differ: it is still the same fact.
				const content = index % 3 === 0 ? 'The customer prefers  email.' : 'the customer prefers email.';
				return await remember.execute({ content }, { toolCallId: `call-${index}`, signal: new AbortController().signal });
			}),
		);
		const listed = await createAgentMemoryStore(store, { prefix, scope }).list();
		expect(listed).toHaveLength(1);
		expect(remembered.filter((answer) => String(answer).startsWith('Remembered as fact'))).toHaveLength(1);
		expect(remembered.filter((answer) => answer === `Already remembered as ${listed[0].id}; nothing new was stored.`)).toHaveLength(9);
	});

	it('completes an entry whose writer claimed its text and stopped before storing it', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		await memory.write(entry('20250101T000000000Z-a', 'Ships on Mondays.'));
		await store.delete(memoryEntryKey(prefix, scope, 'entries', '20250101T000000000Z-a'));

		expect(await memory.write(entry('20250102T000000000Z-b', 'ships on  mondays.'))).toEqual({ stored: false, existingId: '20250101T000000000Z-a' });
		expect((await memory.list()).map((stored) => stored.id)).toEqual(['20250101T000000000Z-a']);
	});

	it('lets a deleted fact be remembered again as a new entry', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		await memory.write(entry('20250101T000000000Z-a', 'Ships on Mondays.'));
		expect(await memory.deleteEntry('20250101T000000000Z-a')).toBe(true);

		expect(await memory.write(entry('20250102T000000000Z-b', 'Ships on Mondays.'))).toEqual({ stored: true });
		expect((await memory.list()).map((stored) => stored.id)).toEqual(['20250102T000000000Z-b']);
	});

	it('keeps workflow memory and custom keys apart, whatever the key says', async () => {
		const workflowMemory = createAgentMemoryStore(store, { prefix, scope: { kind: 'workflow', workflowId: '42' } });
		await workflowMemory.write(entry('20250101T000000000Z-a', 'Workflow 42 secret.'));
		for (const key of ['workflow-42', 'workflow:42', 'workflows/42', '../workflows/42', '../../memory/workflows/42', '42', '%2E%2E/workflows/42']) {
			const keyMemory = createAgentMemoryStore(store, { prefix, scope: keyScope(key) });
			expect({ key, listed: await keyMemory.list() }).toEqual({ key, listed: [] });
			expect({ key, deleted: await keyMemory.clear() }).toEqual({ key, deleted: 0 });
		}
		expect((await workflowMemory.list()).map((stored) => stored.content)).toEqual(['Workflow 42 secret.']);
		expect(workflowMemory.scope).toBe('workflow:42');
	});

	it('refuses to overwrite an entry and to store an invalid one', async () => {
		const memory = createAgentMemoryStore(store, { prefix, scope });
		await memory.write(entry('20250101T000000000Z-a', 'First.'));
		await expect(memory.write(entry('20250101T000000000Z-a', 'Second.'))).rejects.toThrow('entry ids must be unique');
		await expect(memory.write({ ...entry('20250101T000000000Z-b', 'x'), content: '' })).rejects.toThrow('it is not a valid entry');
		expect((await memory.list()).map((stored) => stored.content)).toEqual(['First.']);
	});
});
