import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { createMemoryStore, type BlobStore } from '../../../../lib/storage';
import { outputJson, runWorkflow, type TestWorkflowNode } from '../../../support/n8n/run-workflow';
import { StartTestNode } from '../../../support/n8n/nodes/start-test-node';
import { memoryTestStorage, MemoryTestNode } from './support/memory-test-node';

let store: BlobStore;
beforeEach(() => {
	store = createMemoryStore();
	memoryTestStorage.store = store;
	memoryTestStorage.prefix = 'agents';
});

async function runMemoryNode(parameters: INodeParameters, inputItems: IDataObject[] = [{}], extra: Partial<TestWorkflowNode> = {}) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, MemoryTestNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{ name: 'Memory', type: 'memoryTest', parameters, ...extra },
		],
		connections: { Start: { main: [[{ node: 'Memory', type: 'main', index: 0 }]] } },
		inputItems,
		workflowId: 'wf-1',
	});
}

const customerMemory = { memory: 'readWrite', memoryScope: 'customKey', memoryScopeKey: '={{ $json.customerId }}' };

describe('memory from the node parameters', () => {
	it('gives no memory when Memory is Off', async () => {
		const result = await runMemoryNode({ task: 'Anything' });
		expect(outputJson(result, 'Memory')).toEqual([{ memory: 'off' }]);
		expect(await store.list('')).toEqual([]);
	});

	it('keeps one memory per Scope Key, so each item reads only its own', async () => {
		await runMemoryNode({ ...customerMemory, remember: '=Customer {{ $json.customerId }} prefers tea' }, [{ customerId: 'c-1' }, { customerId: 42 }]);
		const result = await runMemoryNode({ ...customerMemory, task: 'What does the customer prefer?' }, [{ customerId: 'c-1' }, { customerId: 42 }]);

		const [first, second] = outputJson(result, 'Memory');
		expect(first.promptBlock).toContain('Customer c-1 prefers tea');
		expect(first.promptBlock).not.toContain('Customer 42');
		expect(second.promptBlock).toContain('Customer 42 prefers tea');
		expect(first.tools).toEqual(['recall', 'remember']);
		const keys = await store.list('agents/memory/');
		expect(keys.filter((key) => key.includes('/entries/'))).toEqual([
			expect.stringMatching(/^agents\/memory\/keys\/42\/entries\/\d{8}T\d{9}Z-[0-9a-f]{12}\.json$/),
			expect.stringMatching(/^agents\/memory\/keys\/c-1\/entries\//),
		]);
		// Every run leaves one episode summary: two runs, two items each.
		expect(keys.filter((key) => key.includes('/episodes/'))).toHaveLength(4);
	});

	it('uses a scope of its own for This Workflow, with the standing instructions first', async () => {
		await runMemoryNode({ memory: 'readWrite', remember: 'Invoices are due in 30 days.' });
		const result = await runMemoryNode({ memory: 'readOnly', task: 'When are invoices due?', memoryInstructions: '=Answer for {{ $json.team }}.' }, [{ team: 'Sales' }]);

		const [item] = outputJson(result, 'Memory');
		expect(item.tools).toEqual(['recall']);
		expect(item.promptBlock).toMatch(/^# Memory\n\n## Standing instructions\nAnswer for Sales\.\n\n## Remembered from earlier runs[^]*Invoices are due in 30 days\./);
		// One fact with its content claim, and the first run's episode.
		expect(await store.list('agents/memory/workflows/wf-1/')).toEqual([
			expect.stringMatching(/\/contents\//),
			expect.stringMatching(/\/entries\//),
			expect.stringMatching(/\/episodes\//),
		]);
	});

	it('fails an item whose Scope Key evaluates to nothing with what to fix, and stores nothing for it', async () => {
		const result = await runMemoryNode({ ...customerMemory, remember: 'x' }, [{ name: 'no customer id' }]);

		expect(result.error?.message).toBe('The memory Scope Key is empty');
		expect(result.error?.description).toMatch(/'Scope Key' evaluated to nothing for item 0\. Fix the expression .* or set 'Memory Scope' to This Workflow\./);
		expect(await store.list('')).toEqual([]);
	});

	it('with continue-on-fail, reports bad scope keys per item and runs the others', async () => {
		const result = await runMemoryNode({ ...customerMemory, task: 't' }, [{ customerId: '  ' }, { customerId: { id: 1 } }, { customerId: 'x'.repeat(201) }, { customerId: 'c-9' }], {
			onError: 'continueRegularOutput',
		});

		const [empty, object, long, good] = outputJson(result, 'Memory');
		expect(empty).toMatchObject({ error: 'The memory Scope Key is empty' });
		expect(object).toMatchObject({ error: 'The memory Scope Key is not text', description: expect.stringContaining('gave a object for item 1') });
		expect(long).toMatchObject({ error: 'The memory Scope Key is too long', description: expect.stringContaining('use at most 200') });
		expect(good).toMatchObject({ tools: ['recall', 'remember'] });
	});

	it('refuses a negative Memory Budget', async () => {
		const result = await runMemoryNode({ memory: 'readOnly', memoryBudgetTokens: -5 });
		expect(result.error?.message).toBe('The Memory Budget is not a number of tokens');
	});
});

describe('Manage Memory mode', () => {
	const manage = (parameters: INodeParameters, inputItems: IDataObject[] = [{ customerId: 'c-1' }], extra: Partial<TestWorkflowNode> = {}) =>
		runMemoryNode({ mode: 'manageMemory', memoryScope: 'customKey', memoryScopeKey: '={{ $json.customerId }}', ...parameters }, inputItems, extra);

	beforeEach(async () => {
		await runMemoryNode({ ...customerMemory, remember: 'Likes green tea.' }, [{ customerId: 'c-1' }]);
		await runMemoryNode({ ...customerMemory, remember: 'Likes coffee.' }, [{ customerId: 'c-2' }]);
	});

	it('lists the entries of the scope, one item each', async () => {
		const items = outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }), 'Memory');

		// The fact and the episode were written in the same run, often in the same millisecond: no order between them.
		expect(items).toHaveLength(2);
		expect(items).toEqual(expect.arrayContaining([
			expect.objectContaining({ scope: 'key:c-1', kind: 'episode', runId: 'run-0' }),
			expect.objectContaining({ scope: 'key:c-1', kind: 'fact', content: 'Likes green tea.', importance: 3, id: expect.any(String) }),
		]));
		expect(outputJson(await manage({ memoryOperation: 'list', memoryLimit: 1 }), 'Memory')).toHaveLength(1);
	});

	it('lists an unreadable entry with its problem so it can be deleted by id', async () => {
		await store.put('agents/memory/keys/c-1/entries/20250101T000000000Z-broken.json', 'not json');
		const items = outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }), 'Memory');
		expect(items).toContainEqual(expect.objectContaining({ id: '20250101T000000000Z-broken', unreadable: true, problem: 'it is not valid JSON' }));

		const deleted = outputJson(await manage({ memoryOperation: 'deleteEntry', memoryEntryId: '20250101T000000000Z-broken' }), 'Memory');
		expect(deleted).toEqual([{ operation: 'deleteEntry', scope: 'key:c-1', id: '20250101T000000000Z-broken', deleted: true }]);
	});

	it('deletes one entry by id, and says so when the id is not in the scope', async () => {
		const fact = outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }), 'Memory').find((item) => item.kind === 'fact');
		if (fact === undefined) throw new Error('The scope holds the fact remembered in beforeEach.');
		const deleted = outputJson(await manage({ memoryOperation: 'deleteEntry', memoryEntryId: '={{ $json.id }}' }, [{ customerId: 'c-1', id: fact.id as string }]), 'Memory');
		expect(deleted).toEqual([{ operation: 'deleteEntry', scope: 'key:c-1', id: fact.id, deleted: true }]);

		const again = outputJson(await manage({ memoryOperation: 'deleteEntry', memoryEntryId: String(fact.id) }), 'Memory');
		expect(again).toEqual([expect.objectContaining({ deleted: false, message: expect.stringContaining('No entry with this id in scope "key:c-1"') })]);
		expect(outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }), 'Memory').map((item) => item.kind)).toEqual(['episode']);
	});

	it('refuses an empty Entry ID with what to fix', async () => {
		const result = await manage({ memoryOperation: 'deleteEntry', memoryEntryId: '={{ $json.missing }}' });
		expect(result.error?.message).toBe('The Entry ID is empty');
		expect(result.error?.description).toContain("Set 'Entry ID' to the id of an entry");
	});

	it('clears one scope and leaves the others', async () => {
		const cleared = outputJson(await manage({ memoryOperation: 'clearScope' }), 'Memory');
		expect(cleared).toEqual([{ operation: 'clearScope', scope: 'key:c-1', deletedObjects: 2, location: 'memory:///agents/memory/keys/c-1/' }]);
		expect(outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }), 'Memory')).toEqual([]);
		expect(outputJson(await manage({ memoryOperation: 'list', memoryReturnAll: true }, [{ customerId: 'c-2' }]), 'Memory')).toHaveLength(2);
	});

	it('reports a bad scope key per item with continue-on-fail', async () => {
		const items = outputJson(await manage({ memoryOperation: 'clearScope' }, [{}, { customerId: 'c-2' }], { onError: 'continueRegularOutput' }), 'Memory');
		expect(items).toEqual([expect.objectContaining({ error: 'The memory Scope Key is empty' }), expect.objectContaining({ scope: 'key:c-2', deletedObjects: 2 })]);
	});
});
