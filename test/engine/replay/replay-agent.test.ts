import { runAgent, type AgentSpec, type EngineDeps, type Tool } from '../../../lib/engine';
import type { ToolResultPart, UserMessage } from '../../../lib/engine/model/messages';
import { replayAgent, type ReplayOptions } from '../../../lib/engine/replay/replay-agent';
import { ReplayError } from '../../../lib/engine/replay/replay-error';
import { createMemoryStore, createRunStore, type BlobStore, type RunLocation } from '../../../lib/storage';
import { readRecordedRun } from '../../../lib/storage/stored-run';
import { fakeModel, textReply, toolCallsReply, type FakeModel, type FakeReply } from '../../support/fake-model';

/**
 * Replay: a stored run re-run with the node's current settings as a new run. The original's tool
 * results answer the calls it made; other calls get "not available in a replay" unless their
 * tool is marked safe; the comparison says what changed and from which turn.
 */

const cityTool = (name: string) => {
	const calls: unknown[] = [];
	const tool: Tool = {
		name,
		description: `${name} of a city`,
		inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
		concurrencySafe: false,
		async execute(input) {
			calls.push(input);
			return `21 °C in ${(input as { city: string }).city}`;
		},
	};
	return { tool, calls };
};

function spec(model: FakeModel, tools: Tool[], instructions = 'Report the weather.'): AgentSpec {
	return {
		model,
		instructions,
		tools,
		output: { type: 'text' },
		price: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 },
		limits: { maxTurns: 10, toolConcurrency: 4, maxOutputTokensPerTurn: 1000 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5 },
	};
}

const location = (runId: string): RunLocation => ({ prefix: 'agents', workflowId: 'wf-1', executionId: runId === 'original' ? 'exec-1' : 'exec-2', nodeId: 'node-1', runId });

function deps(blobs: BlobStore, runId: string): EngineDeps {
	let ids = 0;
	return { store: createRunStore(blobs, location(runId)), now: () => Date.parse('2026-12-01T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `id-${++ids}` };
}

const parisThenLyon: FakeReply[] = [
	toolCallsReply([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }]),
	toolCallsReply([{ id: 'c2', name: 'weather', input: { city: 'Lyon' } }]),
	textReply('Paris and Lyon: 21 °C.'),
];

/** Runs the original on a fresh store and returns the store, the weather tool's calls and the original's stored objects. */
async function storedOriginal(replies: FakeReply[] = parisThenLyon) {
	const blobs = createMemoryStore();
	const weather = cityTool('weather');
	const outcome = await runAgent(spec(fakeModel(replies), [weather.tool]), { runId: 'original', task: 'Weather in Paris and Lyon?' }, deps(blobs, 'original'));
	expect(outcome.status).toBe('done');
	const originalObjects = await objectsOf(blobs, 'agents/workflows/wf-1/executions/exec-1/');
	return { blobs, weather, originalObjects };
}

async function objectsOf(blobs: BlobStore, prefix: string): Promise<Map<string, string>> {
	const keys = await blobs.list(prefix);
	return new Map(await Promise.all(keys.map(async (key) => [key, (await blobs.get(key))!.toString('utf8')] as const)));
}

async function replay(blobs: BlobStore, agent: AgentSpec, options: Partial<ReplayOptions> = {}) {
	const original = await readRecordedRun(blobs, location('original'));
	return await replayAgent(agent, original, { runId: 'replay', fromTurn: 0, safeTools: [], ...options }, deps(blobs, 'replay'));
}

function toolResultsSent(model: FakeModel, request: number): ToolResultPart[] {
	const last = model.requests[request].messages.at(-1) as UserMessage;
	return last.content.filter((part): part is ToolResultPart => part.type === 'tool-result');
}

describe('replayAgent', () => {
	it('from turn 0 with identical settings reproduces the original answer with zero tool executions, as a new run linked to the original', async () => {
		const { blobs, weather, originalObjects } = await storedOriginal();
		const model = fakeModel(parisThenLyon);

		const { outcome, comparison } = await replay(blobs, spec(model, [weather.tool]));

		expect(weather.calls).toHaveLength(2);
		expect(toolResultsSent(model, 1)).toEqual([{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: '21 °C in Paris', isError: false }]);
		expect(outcome).toMatchObject({ status: 'done', runId: 'replay', output: 'Paris and Lyon: 21 °C.', transcript: 'memory:///agents/workflows/wf-1/executions/exec-2/nodes/node-1/runs/replay/transcript/' });
		expect(comparison).toMatchObject({ fromTurn: 0, answersEqual: true, divergedAtTurn: null, toolCalls: { replayed: 2, unavailable: 0, executed: 0 } });
		expect(comparison.difference).toBeUndefined();
		expect(comparison.original).toEqual({ ...comparison.replay, runId: 'original' });
		expect(comparison.original).toMatchObject({ status: 'done', answer: 'Paris and Lyon: 21 °C.', turns: 3, totalTokens: 45, costUsd: expect.any(Number) });

		const record = await createRunStore(blobs, location('replay')).readRunRecord();
		expect(record).toMatchObject({ status: 'done', replayOf: { runId: 'original', fromTurn: 0, transcript: expect.stringContaining('/runs/original/transcript/') } });
		expect(await objectsOf(blobs, 'agents/workflows/wf-1/executions/exec-1/')).toEqual(originalObjects);
	});

	it('with a changed instruction diverges at the turn where the model answers differently', async () => {
		const { blobs, weather } = await storedOriginal();
		const onlyParis = 'Report the weather of the first city only.';
		const model = fakeModel([
			toolCallsReply([{ id: 'r1', name: 'weather', input: { city: 'Paris' } }]),
			async (request) => (request.system.includes(onlyParis) ? textReply('Paris: 21 °C.') : toolCallsReply([{ id: 'r2', name: 'weather', input: { city: 'Lyon' } }])),
		]);

		const { comparison } = await replay(blobs, spec(model, [weather.tool], onlyParis));

		expect(comparison).toMatchObject({ answersEqual: false, divergedAtTurn: 2, toolCalls: { replayed: 1, unavailable: 0, executed: 0 } });
		expect(comparison.difference).toBe('from character 6: "Paris and Lyon" → "Paris"');
		expect(comparison.replay).toMatchObject({ status: 'done', answer: 'Paris: 21 °C.', turns: 2 });
		expect(weather.calls).toHaveLength(2);
	});

	it('answers a call the original never made with "not available in a replay" and runs nothing', async () => {
		const { blobs, weather } = await storedOriginal();
		const model = fakeModel([toolCallsReply([{ id: 'r1', name: 'weather', input: { city: 'Berlin' } }]), textReply('Berlin: unknown.')]);

		const { comparison } = await replay(blobs, spec(model, [weather.tool]));

		const [result] = toolResultsSent(model, 1);
		expect(result).toMatchObject({ toolName: 'weather', isError: true });
		expect(result.output).toContain("Not available in a replay: the original run never called 'weather' with these arguments");
		expect(weather.calls).toHaveLength(2);
		expect(comparison).toMatchObject({ answersEqual: false, divergedAtTurn: 1, toolCalls: { replayed: 0, unavailable: 1, executed: 0 } });
	});

	it('runs a call the original never made once when its tool is marked safe', async () => {
		const { blobs, weather } = await storedOriginal();
		const model = fakeModel([toolCallsReply([{ id: 'r1', name: 'weather', input: { city: 'Berlin' } }]), textReply('Berlin: 21 °C.')]);

		const { comparison } = await replay(blobs, spec(model, [weather.tool]), { safeTools: ['weather'] });

		expect(weather.calls).toEqual([{ city: 'Paris' }, { city: 'Lyon' }, { city: 'Berlin' }]);
		expect(toolResultsSent(model, 1)).toEqual([{ type: 'tool-result', toolCallId: 'r1', toolName: 'weather', output: '21 °C in Berlin', isError: false }]);
		expect(comparison.toolCalls).toEqual({ replayed: 0, unavailable: 0, executed: 1 });
	});

	it('matches arguments as canonical JSON: the same arguments in another key order get the recorded result', async () => {
		const blobs = createMemoryStore();
		const route = cityTool('route');
		route.tool.inputSchema = { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } };
		await runAgent(spec(fakeModel([toolCallsReply([{ id: 'c1', name: 'route', input: { from: 'Paris', to: 'Lyon' } }]), textReply('4 h.')]), [route.tool]), { runId: 'original', task: 'Route?' }, deps(blobs, 'original'));
		const model = fakeModel([toolCallsReply([{ id: 'r1', name: 'route', input: { to: 'Lyon', from: 'Paris' } }]), textReply('4 h.')]);

		const { comparison } = await replay(blobs, spec(model, [route.tool]));

		expect(route.calls).toHaveLength(1);
		expect(comparison).toMatchObject({ answersEqual: true, divergedAtTurn: null, toolCalls: { replayed: 1, unavailable: 0, executed: 0 } });
	});

	it('from a later turn keeps the original turns before it: the model is first asked for that turn, with the recorded conversation', async () => {
		const { blobs, weather } = await storedOriginal();
		const model = fakeModel([textReply('Paris: 21 °C; Lyon not checked.')]);

		const { outcome, comparison } = await replay(blobs, spec(model, [weather.tool]), { fromTurn: 1 });

		expect(model.requests).toHaveLength(1);
		expect(model.requests[0].messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
		expect(toolResultsSent(model, 0)).toEqual([expect.objectContaining({ toolCallId: 'c1', output: '21 °C in Paris' })]);
		expect(outcome).toMatchObject({ status: 'done', turns: 2 });
		expect(comparison).toMatchObject({ fromTurn: 1, divergedAtTurn: 2, answersEqual: false, toolCalls: { replayed: 0, unavailable: 0, executed: 0 } });
		expect(weather.calls).toHaveLength(2);
	});

	it("sends the original's files with the replayed task, read from the original's folder and never copied into it", async () => {
		const blobs = createMemoryStore();
		const scan = { mediaType: 'image/png' as const, name: 'scan.png', data: new Uint8Array([137, 80, 78, 71, 1, 2, 3]) };
		await runAgent(spec(fakeModel([textReply('A receipt.')]), []), { runId: 'original', task: 'What is this?', files: [scan] }, deps(blobs, 'original'));
		const originalObjects = await objectsOf(blobs, 'agents/workflows/wf-1/executions/exec-1/');
		const model = fakeModel([textReply('A receipt.')]);

		const { comparison } = await replay(blobs, spec(model, []));

		expect(model.requests[0].messages[0].content[0]).toMatchObject({ type: 'file', mediaType: 'image/png', data: Buffer.from(scan.data).toString('base64') });
		expect(comparison.answersEqual).toBe(true);
		expect(await objectsOf(blobs, 'agents/workflows/wf-1/executions/exec-1/')).toEqual(originalObjects);
	});

	it('refuses a turn the original does not have, and a run that has not ended, before anything runs', async () => {
		const { blobs, weather } = await storedOriginal();
		const model = fakeModel([]);
		await expect(replay(blobs, spec(model, [weather.tool]), { fromTurn: 3 })).rejects.toThrow(new ReplayError('turn_out_of_range', 'Cannot replay run original from turn 3: it has 3 turn(s). Use 0 (the start) up to 2.'));

		const originalStore = createRunStore(blobs, location('original'));
		await originalStore.writeRunRecord({ ...(await originalStore.readRunRecord())!, status: 'running' });
		await expect(replay(blobs, spec(model, [weather.tool]))).rejects.toMatchObject({ code: 'run_incomplete' });
		expect(model.requests).toHaveLength(0);
		expect(await createRunStore(blobs, location('replay')).readRunRecord()).toBeUndefined();
	});
});
