import { costOf, priceOf, resumeAgent, runAgent, type AgentSpec, type EngineDeps, type Tool } from '../../../lib/engine';
import type { UserMessage } from '../../../lib/engine/model/messages';
import { fakeModel, textReply, toolCallsReply, type FakeModel } from '../../support/fake-model';
import { recordingRunStore } from '../../support/recording-run-store';

const echo: Tool = { name: 'echo', description: 'echo', inputSchema: { type: 'object' }, concurrencySafe: true, execute: async () => 'ok' };
const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

function spec(model: FakeModel, limits: Partial<AgentSpec['limits']>, overrides: Partial<AgentSpec> = {}): AgentSpec {
	return {
		model,
		price,
		instructions: '',
		tools: [echo],
		output: { type: 'text' },
		limits: { maxTurns: 10, toolConcurrency: 1, maxOutputTokensPerTurn: 100, ...limits },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		...overrides,
	};
}

const deps = (): EngineDeps => ({ store: recordingRunStore(), now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'id' });
const call = (id: string) => toolCallsReply([{ id, name: 'echo', input: {} }]);

describe('prices', () => {
	it('prices input, output and cache tokens separately, per million tokens', () => {
		expect(costOf({ inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 0 }, price)).toBe(3 + 1.5 + 0.3);
	});

	it('finds dated and routed model ids by their base name, and lets the user table override', () => {
		expect(priceOf('claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 });
		expect(priceOf('anthropic/claude-sonnet-5-5')).toMatchObject({ input: 2, output: 10 });
		expect(priceOf('openai/gpt-5.4-mini')).toMatchObject({ input: 0.75 });
		expect(priceOf('gpt-5.4-mini', { 'gpt-5.4-mini': { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 } })).toMatchObject({ input: 1 });
		expect(priceOf('my-local-llama')).toBeUndefined();
	});
});

describe('budgets', () => {
	it('reports the estimated cost of a run', async () => {
		const outcome = await runAgent(spec(fakeModel([textReply('hi', { input: 1000, output: 100 })]), {}), { runId: 'r', task: 't' }, deps());
		expect(outcome.costUsd).toBeCloseTo(0.0045, 10);
	});

	it('ends the run with cost_budget once the estimated cost reaches the budget, before more tools run', async () => {
		const model = fakeModel([call('c1'), call('c2'), textReply('never')]);
		// Each fake turn is 10 input + 5 output tokens = $0.000105 at this price.
		const outcome = await runAgent(spec(model, { maxCostUsd: 0.0002 }), { runId: 'r', task: 't' }, deps());
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'cost_budget', message: expect.stringContaining("Raise 'Cost Budget (USD)'") }, turns: 2 });
	});

	it('asks the model once to wrap up when the soft share of the budget is crossed', async () => {
		const model = fakeModel([call('c1'), call('c2'), call('c3'), textReply('done')]);
		await runAgent(spec(model, { maxTotalTokens: 100, softBudgetFraction: 0.25 }), { runId: 'r', task: 't' }, deps());
		const wrapUps = model.requests.map((request) => (request.messages.at(-1) as UserMessage).content.filter((part) => part.type === 'text' && part.text.startsWith('Budget notice')).length);
		// 15 tokens a turn: the share passes 0.25 in turn 2 (30 tokens), so request 3 carries the notice, and only it.
		expect(wrapUps).toEqual([0, 0, 1, 0]);
	});

	it('refuses a cost budget for a model without a price, saying how to fix it', async () => {
		const model = fakeModel([], { modelId: 'my-local-llama' });
		await expect(runAgent(spec(model, { maxCostUsd: 1 }, { price: undefined }), { runId: 'r', task: 't' }, deps())).rejects.toThrow(/no price is known for model 'my-local-llama'.*Price Table/);
	});
});

describe('asking for approval when a budget is spent', () => {
	it('pauses before the turn’s tools run; approving allows the budget once more and runs them', async () => {
		const ran: string[] = [];
		const counted: Tool = { ...echo, execute: async (_input, { toolCallId }) => ran.push(toolCallId) };
		const model = fakeModel([call('c1'), call('c2'), textReply('done')]);
		const store = recordingRunStore();
		const agent = spec(model, { maxTotalTokens: 20, onBudgetExceeded: 'ask', softBudgetFraction: undefined }, { tools: [counted] });
		let ids = 0;
		const engineDeps: EngineDeps = { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => `pause-${++ids}` };

		const paused = await runAgent(agent, { runId: 'r', task: 't' }, engineDeps);

		// Turn 1 (15 tokens) runs c1; turn 2 reaches 30 ≥ 20 before c2 runs.
		expect(paused).toMatchObject({ status: 'paused', turns: 2, pause: { pending: [{ toolCallId: 'budget-2', kind: 'budget' }] } });
		expect(ran).toEqual(['c1']);
		const snapshot = store.snapshot('pause-1');

		const outcome = await resumeAgent(agent, snapshot, [{ toolCallId: 'budget-2', decision: 'approve' }], engineDeps);

		expect(outcome).toMatchObject({ status: 'done', output: 'done', turns: 3 });
		expect(ran).toEqual(['c1', 'c2']);
		expect([...store.turns.keys()]).toEqual([1, 2, 3]);
		expect(JSON.stringify(store.turns.get(2))).toContain('"type":"paused"');
		expect(JSON.stringify(store.turns.get(3))).toMatch(/"type":"decisions".*"toolCallId":"c2"/);
	});

	it('continued again after its first continuation died in a tool call, does not run that call again', async () => {
		const ran: string[] = [];
		const counted: Tool = { ...echo, execute: async (_input, { toolCallId }) => ran.push(toolCallId) };
		const model = fakeModel([call('c1'), call('c2'), textReply('done')]);
		const store = recordingRunStore();
		const agent = spec(model, { maxTotalTokens: 20, onBudgetExceeded: 'ask', softBudgetFraction: undefined }, { tools: [counted] });
		const engineDeps: EngineDeps = { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'pause-1' };
		await runAgent(agent, { runId: 'r', task: 't' }, engineDeps);
		const snapshot = store.snapshot('pause-1');
		// What the dead continuation left: c2's intent, no result.
		store.intents.set('c2', { toolName: 'echo', input: {} });

		const outcome = await resumeAgent(agent, snapshot, [{ toolCallId: 'budget-2', decision: 'approve' }], engineDeps, 2);

		expect(outcome).toMatchObject({ status: 'done', output: 'done' });
		expect(ran).toEqual(['c1']);
		const [c2Result] = (model.requests[2].messages.at(-1) as UserMessage).content;
		expect(c2Result).toMatchObject({ type: 'tool-result', toolCallId: 'c2', isError: true, output: expect.stringContaining('its outcome was not recorded') });
	});

	it('keeps every transcript object when the approved budget turn pauses again on a gated call', async () => {
		const send: Tool = { ...echo, name: 'send', approval: { type: 'always' } };
		const model = fakeModel([call('c1'), toolCallsReply([{ id: 'g1', name: 'send', input: {} }]), textReply('done')]);
		const store = recordingRunStore();
		const agent = spec(model, { maxTotalTokens: 20, onBudgetExceeded: 'ask', softBudgetFraction: undefined }, { tools: [echo, send] });
		let ids = 0;
		const engineDeps: EngineDeps = { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => `pause-${++ids}` };

		await runAgent(agent, { runId: 'r', task: 't' }, engineDeps);
		const secondPause = await resumeAgent(agent, store.snapshot('pause-1'), [{ toolCallId: 'budget-2', decision: 'approve' }], engineDeps);
		const outcome = await resumeAgent(agent, store.snapshot('pause-2'), [{ toolCallId: 'g1', decision: 'approve' }], engineDeps);

		expect(secondPause).toMatchObject({ status: 'paused', pause: { pending: [{ toolCallId: 'g1' }] } });
		expect(outcome).toMatchObject({ status: 'done', output: 'done', turns: 3 });
		expect([...store.turns.keys()]).toEqual([1, 2, 3, 4]);
		expect(JSON.stringify(store.turns.get(3))).toMatch(/"type":"decisions","pauseId":"pause-1".*"type":"paused","pauseId":"pause-2"/);
		expect(JSON.stringify(store.turns.get(4))).toMatch(/"type":"decisions","pauseId":"pause-2".*"toolCallId":"g1"/);
	});

	it('asks before a repair turn too: approving sends the model the repair request, and the repaired answer finishes the run', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
		const model = fakeModel([call('c1'), textReply('Paris, I think'), textReply('{"city":"Paris"}')]);
		const store = recordingRunStore();
		const agent = spec(model, { maxTotalTokens: 20, onBudgetExceeded: 'ask', softBudgetFraction: undefined }, { output: { type: 'json', schema, repairTurns: 1 } });
		const engineDeps: EngineDeps = { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'pause-1' };

		const paused = await runAgent(agent, { runId: 'r', task: 't' }, engineDeps);

		// Turn 2's answer is not JSON and the run is at 30 of 20 tokens: the repair turn waits for a person.
		expect(paused).toMatchObject({ status: 'paused', turns: 2, pause: { pending: [{ toolCallId: 'budget-2', kind: 'budget' }] } });
		expect(model.requests).toHaveLength(2);
		const snapshot = store.snapshot('pause-1');

		const outcome = await resumeAgent(agent, snapshot, [{ toolCallId: 'budget-2', decision: 'approve' }], engineDeps);

		expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' }, turns: 3 });
		const repairRequest = model.requests[2].messages.at(-1) as UserMessage;
		expect(repairRequest.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining('JSON') })]);
		expect([...store.turns.keys()]).toEqual([1, 2, 3, 4]);
		expect(JSON.stringify(store.turns.get(3))).toMatch(/"role":"user".*"type":"paused"/);
	});

	it('ends the run with the budget’s code when the reviewer declines', async () => {
		const model = fakeModel([call('c1'), call('c2')]);
		const store = recordingRunStore();
		const agent = spec(model, { maxTotalTokens: 20, onBudgetExceeded: 'ask' });
		const engineDeps: EngineDeps = { store, now: () => 0, sleep: async () => undefined, random: () => 0.5, newId: () => 'pause-1' };
		await runAgent(agent, { runId: 'r', task: 't' }, engineDeps);
		const snapshot = store.snapshot('pause-1');

		const outcome = await resumeAgent(agent, snapshot, [{ toolCallId: 'budget-2', decision: 'reject', reason: 'too expensive' }], engineDeps);

		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'token_budget', message: expect.stringContaining('declined to raise it: too expensive') } });
	});
});
