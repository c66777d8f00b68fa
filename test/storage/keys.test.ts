import { continuationAttemptOf, continuationKey, journalFolder, journalKey, runFolder, runRecordKey, transcriptFolder, transcriptTurnKey, waitRecordKey, workflowFolder, workflowObjectOf, type RunLocation } from '../../lib/storage/keys';

const location: RunLocation = {
	prefix: 'durable-agent',
	workflowId: 'wf1',
	executionId: '42',
	nodeId: '3f1c2a4e-node',
	runId: 'run-7',
};

describe('storage keys', () => {
	it('lays a run out under workflow, execution, node and run ids', () => {
		expect(runFolder(location)).toBe('durable-agent/workflows/wf1/executions/42/nodes/3f1c2a4e-node/runs/run-7/');
		expect(runRecordKey(location)).toBe('durable-agent/workflows/wf1/executions/42/nodes/3f1c2a4e-node/runs/run-7/run.json');
		expect(transcriptFolder(location)).toBe('durable-agent/workflows/wf1/executions/42/nodes/3f1c2a4e-node/runs/run-7/transcript/');
		expect(transcriptTurnKey(location, 1)).toBe('durable-agent/workflows/wf1/executions/42/nodes/3f1c2a4e-node/runs/run-7/transcript/000001.ndjson');
	});

	it('names the first continuation of a pause by the pause, and each recovery attempt after it', () => {
		const folder = `${runFolder(location)}continuations/`;
		expect(continuationKey(location, 'pause-1')).toBe(`${folder}pause-1.json`);
		expect(continuationKey(location, 'pause-1', 1)).toBe(`${folder}pause-1.json`);
		expect(continuationKey(location, 'pause-1', 2)).toBe(`${folder}pause-1.attempt-2.json`);
		expect(() => continuationKey(location, 'pause-1', 0)).toThrow(/attempt must be a whole number from 1/);
		expect(journalFolder(location)).toBe(`${runFolder(location)}journal/`);
		expect([`${folder}pause-1.json`, `${folder}pause-1.attempt-3.json`, `${folder}pause-10.json`, `${folder}pause-1.attempt-x.json`].map((key) => continuationAttemptOf(location, 'pause-1', key))).toEqual([1, 3, undefined, undefined]);
	});

	it('pads turn numbers so that key order is turn order', () => {
		const turns = [1, 2, 9, 10, 11, 99, 100, 12345, 999999];
		const keys = turns.map((turn) => transcriptTurnKey(location, turn));

		expect(keys.map((key) => key.slice(key.lastIndexOf('/') + 1))).toEqual([
			'000001.ndjson',
			'000002.ndjson',
			'000009.ndjson',
			'000010.ndjson',
			'000011.ndjson',
			'000099.ndjson',
			'000100.ndjson',
			'012345.ndjson',
			'999999.ndjson',
		]);
		expect([...keys].reverse().sort()).toEqual(keys);
	});

	it.each([0, -1, 1.5, Number.NaN, 1_000_000])('refuses turn %p', (turn) => {
		expect(() => transcriptTurnKey(location, turn)).toThrow(/turn must be a whole number from 1 to 999999/);
	});

	it.each([
		['', 'workflows/wf1/'],
		['/', 'workflows/wf1/'],
		['/tenant//agents/', 'tenant/agents/workflows/wf1/'],
		['n8n/prod', 'n8n/prod/workflows/wf1/'],
	])('normalises the prefix %j', (prefix, expectedStart) => {
		expect(runFolder({ ...location, prefix }).startsWith(expectedStart)).toBe(true);
	});

	it('escapes ids so they cannot add, remove or climb out of folders', () => {
		const folder = runFolder({
			prefix: '../outside',
			workflowId: 'a/b',
			executionId: '..',
			nodeId: 'My Node (copy)*',
			runId: '.hidden\\run',
		});

		expect(folder).toBe('%2E./outside/workflows/a%2Fb/executions/%2E./nodes/My%20Node%20%28copy%29%2A/runs/%2Ehidden%5Crun/');
		expect(folder.split('/')).toHaveLength(11);
		for (const segment of folder.split('/').slice(0, -1)) {
			expect(segment).not.toMatch(/^\.|[\\\0]/);
		}
	});

	it('keeps ids recoverable and distinct after escaping', () => {
		const ids = ['a/b', 'a%2Fb', 'ü', 'x y'];
		const segments = ids.map((runId) => runFolder({ ...location, runId }).split('/').at(-2) ?? '');

		expect(new Set(segments).size).toBe(ids.length);
		expect(segments.map((segment) => decodeURIComponent(segment))).toEqual(ids);
	});

	it.each(['workflowId', 'executionId', 'nodeId', 'runId'] as const)('refuses an empty %s with a clear error', (field) => {
		expect(() => runFolder({ ...location, [field]: '' })).toThrow(`Cannot build a storage key: ${field} is empty.`);
	});

	it('refuses ids that are not valid Unicode text', () => {
		expect(() => runFolder({ ...location, runId: 'broken\uD800' })).toThrow(/runId .* is not valid Unicode text/);
	});
});

describe('reading listed keys back (a sweep of a workflow’s runs)', () => {
	const node = { prefix: 'tenant/a', workflowId: 'wf/1', executionId: 'exec 7', nodeId: '..' };

	it('finds the ids of a run record and a wait record, escaped ids included', () => {
		const run = { ...node, runId: 'run:1' };
		expect(workflowObjectOf(node.prefix, node.workflowId, runRecordKey(run))).toEqual({ kind: 'run-record', location: run });
		expect(workflowObjectOf(node.prefix, node.workflowId, waitRecordKey(node))).toEqual({ kind: 'wait-record', location: node });
		expect(runRecordKey(run).startsWith(workflowFolder(node.prefix, node.workflowId))).toBe(true);
	});

	it('takes every other key, and keys of other workflows, for something else', () => {
		const run = { ...node, runId: 'run-1' };
		for (const key of [transcriptTurnKey(run, 1), journalKey(run, 'call', 'intent'), `${workflowFolder(node.prefix, node.workflowId)}executions//nodes/n/wait.json`, 'elsewhere/run.json']) {
			expect(workflowObjectOf(node.prefix, node.workflowId, key)).toEqual({ kind: 'other' });
		}
		expect(workflowObjectOf(node.prefix, 'wf-2', runRecordKey(run))).toEqual({ kind: 'other' });
	});
});
