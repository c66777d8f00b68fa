import { askHumanTool, parseSnapshot, resumeAgent, runAgent, type AgentSpec, type Decision, type EngineDeps, type RunOutcome, type Tool } from '../../../lib/engine';
import type { ModelResponse } from '../../../lib/engine/model/language-model';
import type { ToolResultPart, UserMessage } from '../../../lib/engine/model/messages';
import { fakeModel, textReply, toolCallsReply, type FakeModel } from '../../support/fake-model';
import { recordingRunStore, type RecordingRunStore } from '../../support/recording-run-store';

const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

/** Tools that record every execution in one shared log, so runs can be compared call by call. */
function tools(log: string[], options: { gateBooking: boolean }): Tool[] {
	const tool = (name: string, concurrencySafe: boolean, gated: boolean): Tool => ({
		name,
		description: name,
		inputSchema: citySchema,
		concurrencySafe,
		approval: gated ? { type: 'always' } : undefined,
		async execute(input) {
			const city = (input as { city: string }).city;
			log.push(`${name}:${city}`);
			return `${name} done for ${city}`;
		},
	});
	return [tool('lookup', true, false), tool('book', false, options.gateBooking)];
}

function spec(model: FakeModel, agentTools: Tool[]): AgentSpec {
	return {
		model,
		instructions: 'Book things.',
		tools: agentTools,
		output: { type: 'text' },
		limits: { maxTurns: 20, toolConcurrency: 2, maxOutputTokensPerTurn: 100 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
	};
}

function deps(store: RecordingRunStore): EngineDeps {
	let ids = 0;
	return { store, now: () => Date.parse('2026-11-22T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `pause-${++ids}` };
}

/** A pseudo-random scenario: turns of 1–3 calls to `lookup` (free) and `book` (gated), then an answer. */
function scenario(seed: number): ModelResponse[] {
	let state = seed;
	const next = (limit: number) => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state % limit;
	};
	const turns = 1 + next(4);
	const replies: ModelResponse[] = [];
	for (let turn = 0; turn < turns; turn += 1) {
		const calls = Array.from({ length: 1 + next(3) }, (_, index) => ({
			id: `t${turn}c${index}`,
			name: next(2) === 0 ? 'lookup' : 'book',
			input: { city: ['Paris', 'Oslo', 'Rome'][next(3)] },
		}));
		replies.push(toolCallsReply(calls, `turn ${turn}`));
	}
	replies.push(textReply(`finished after ${turns} turns`));
	return replies;
}

/** Runs with every pause serialized, parsed back and approved, until the run is no longer paused. */
async function runApprovingEveryPause(replies: ModelResponse[], log: string[]) {
	const model = fakeModel(replies);
	const store = recordingRunStore();
	const agent = spec(model, tools(log, { gateBooking: true }));
	let outcome: RunOutcome = await runAgent(agent, { runId: 'run-1', task: 'Plan a trip' }, deps(store));
	let pauses = 0;
	while (outcome.status === 'paused') {
		pauses += 1;
		const parsed = parseSnapshot(store.snapshots.get(outcome.pause.pauseId)!);
		if (!parsed.ok) throw new Error(parsed.message);
		const decisions: Decision[] = outcome.pause.pending.map((call) => ({ toolCallId: call.toolCallId, decision: 'approve' }));
		outcome = await resumeAgent(agent, parsed.snapshot, decisions, deps(store));
	}
	return { outcome, model, pauses };
}

describe('pause → serialize → load → resume', () => {
	it.each(Array.from({ length: 30 }, (_, index) => index + 1))('equals the uninterrupted run when every call is approved (scenario %i)', async (seed) => {
		const pausedLog: string[] = [];
		const paused = await runApprovingEveryPause(scenario(seed), pausedLog);

		const straightLog: string[] = [];
		const straightModel = fakeModel(scenario(seed));
		const straight = await runAgent(spec(straightModel, tools(straightLog, { gateBooking: false })), { runId: 'run-1', task: 'Plan a trip' }, deps(recordingRunStore()));

		expect(paused.outcome).toEqual(straight);
		// The same calls ran, each once; within a turn, calls that need no approval run before the
		// pause and approved ones after it, so only the order inside a turn may differ.
		expect([...pausedLog].sort()).toEqual([...straightLog].sort());
		expect(paused.model.requests.map((request) => request.messages)).toEqual(straightModel.requests.map((request) => request.messages));
		const bookings = scenario(seed).flatMap((reply) => reply.message.content.filter((part) => part.type === 'tool-call' && part.toolName === 'book'));
		expect(paused.pauses).toBe(scenario(seed).filter((reply) => reply.message.content.some((part) => part.type === 'tool-call' && part.toolName === 'book')).length);
		expect(pausedLog.filter((entry) => entry.startsWith('book:'))).toHaveLength(bookings.length);
	});
});

describe('decisions', () => {
	const twoCalls = () =>
		fakeModel([
			toolCallsReply([
				{ id: 'free', name: 'lookup', input: { city: 'Paris' } },
				{ id: 'b1', name: 'book', input: { city: 'Paris' } },
				{ id: 'b2', name: 'book', input: { city: 'Oslo' } },
			]),
			textReply('ok'),
		]);

	it('pauses on gated calls after running the turn’s free calls once, and keeps the snapshot free of secrets', async () => {
		const log: string[] = [];
		const store = recordingRunStore();
		const outcome = await runAgent(spec(twoCalls(), tools(log, { gateBooking: true })), { runId: 'run-1', task: 'go' }, deps(store));

		expect(outcome).toMatchObject({ status: 'paused', pause: { pauseId: 'pause-1', pending: [{ toolCallId: 'b1', kind: 'approval' }, { toolCallId: 'b2', kind: 'approval' }] } });
		expect(log).toEqual(['lookup:Paris']);
		expect(store.records.at(-1)).toMatchObject({ status: 'paused', pauseId: 'pause-1' });
		expect(store.snapshots.get('pause-1')).not.toMatch(/apiKey|secret|password/i);
	});

	it('runs approved calls (with edited arguments) and returns rejections with their reason', async () => {
		const log: string[] = [];
		const store = recordingRunStore();
		const model = twoCalls();
		const agent = spec(model, tools(log, { gateBooking: true }));
		const paused = await runAgent(agent, { runId: 'run-1', task: 'go' }, deps(store));
		if (paused.status !== 'paused') throw new Error('expected a pause');
		const snapshot = store.snapshot('pause-1');

		const outcome = await resumeAgent(agent, snapshot, [
			{ toolCallId: 'b1', decision: 'approve', arguments: { city: 'Lyon' } },
			{ toolCallId: 'b2', decision: 'reject', reason: 'Oslo is too cold' },
		], deps(store));

		expect(outcome).toMatchObject({ status: 'done', output: 'ok', turns: 2 });
		expect(log).toEqual(['lookup:Paris', 'book:Lyon']);
		const results = (model.requests[1].messages.at(-1) as UserMessage).content as ToolResultPart[];
		expect(results.map((result) => [result.toolCallId, result.isError])).toEqual([['free', false], ['b1', false], ['b2', true]]);
		expect(results[1].output).toContain('edited the arguments');
		expect(results[2].output).toContain('Oslo is too cold');
	});

	it('turns the answer to an ask_human question into its tool result', async () => {
		const store = recordingRunStore();
		const model = fakeModel([toolCallsReply([{ id: 'q1', name: 'ask_human', input: { question: 'Which city?' } }]), textReply('Booked Rome')]);
		const agent = spec(model, [askHumanTool]);
		const paused = await runAgent(agent, { runId: 'run-1', task: 'go' }, deps(store));
		expect(paused).toMatchObject({ status: 'paused', pause: { pending: [{ toolCallId: 'q1', kind: 'question', input: { question: 'Which city?' } }] } });
		const snapshot = store.snapshot('pause-1');

		await resumeAgent(agent, snapshot, [{ toolCallId: 'q1', decision: 'answer', answer: 'Rome' }], deps(store));

		expect((model.requests[1].messages.at(-1) as UserMessage).content).toEqual([{ type: 'tool-result', toolCallId: 'q1', toolName: 'ask_human', output: 'Rome', isError: false }]);
	});

	it.each<[string, Decision[], RegExp]>([
		['an unknown call id', [{ toolCallId: 'b1', decision: 'approve' }, { toolCallId: 'b2', decision: 'approve' }, { toolCallId: 'nope', decision: 'approve' }], /no pending call 'nope'/],
		['a missing decision', [{ toolCallId: 'b1', decision: 'approve' }], /missing: b2/],
		['edited arguments that fail the schema', [{ toolCallId: 'b1', decision: 'approve', arguments: { town: 'x' } }, { toolCallId: 'b2', decision: 'approve' }], /edited arguments of call 'b1'/],
		['an answer to an approval', [{ toolCallId: 'b1', decision: 'answer', answer: 'yes' }, { toolCallId: 'b2', decision: 'approve' }], /approve or reject/],
	])('refuses %s and executes nothing', async (_name, decisions, message) => {
		const log: string[] = [];
		const store = recordingRunStore();
		const agent = spec(twoCalls(), tools(log, { gateBooking: true }));
		await runAgent(agent, { runId: 'run-1', task: 'go' }, deps(store));
		const snapshot = store.snapshot('pause-1');

		await expect(resumeAgent(agent, snapshot, decisions, deps(store))).rejects.toThrow(message);
		expect(log).toEqual(['lookup:Paris']);
	});

	it('refuses to continue under a changed configuration and names the change', async () => {
		const store = recordingRunStore();
		const log: string[] = [];
		await runAgent(spec(twoCalls(), tools(log, { gateBooking: true })), { runId: 'run-1', task: 'go' }, deps(store));
		const snapshot = store.snapshot('pause-1');
		const changed = spec(fakeModel([], { modelId: 'other-model' }), tools(log, { gateBooking: true }).slice(1));

		await expect(resumeAgent(changed, snapshot, [], deps(store))).rejects.toThrow(/model changed from anthropic:fake-model to anthropic:other-model; tool 'lookup' was removed/);
	});
});

describe('the tool-call journal', () => {
	async function pausedBooking(store: RecordingRunStore, log: string[]) {
		const model = fakeModel([toolCallsReply([{ id: 'b1', name: 'book', input: { city: 'Paris' } }]), textReply('ok'), textReply('ok again')]);
		const agent = spec(model, tools(log, { gateBooking: true }));
		await runAgent(agent, { runId: 'run-1', task: 'go' }, deps(store));
		const snapshot = store.snapshot('pause-1');
		return { agent, snapshot: snapshot, model };
	}

	it('never executes an approved call twice when the resume is retried', async () => {
		const log: string[] = [];
		const store = recordingRunStore();
		const { agent, snapshot, model } = await pausedBooking(store, log);
		const approve: Decision[] = [{ toolCallId: 'b1', decision: 'approve' }];

		await resumeAgent(agent, snapshot, approve, deps(store));
		await resumeAgent(agent, snapshot, approve, deps(store));

		expect(log).toEqual(['book:Paris']);
		const secondResults = (model.requests[2].messages.at(-1) as UserMessage).content as ToolResultPart[];
		expect(secondResults[0]).toMatchObject({ toolCallId: 'b1', output: 'book done for Paris', isError: false });
	});

	it('does not run a call again whose intent was recorded but whose result was not (the process died mid-call)', async () => {
		const log: string[] = [];
		const store = recordingRunStore();
		const { agent, snapshot, model } = await pausedBooking(store, log);
		store.intents.set('b1', { toolName: 'book', input: { city: 'Paris' } });

		await resumeAgent(agent, snapshot, [{ toolCallId: 'b1', decision: 'approve' }], deps(store));

		expect(log).toEqual([]);
		const results = (model.requests[1].messages.at(-1) as UserMessage).content as ToolResultPart[];
		expect(results[0]).toMatchObject({ isError: true, output: expect.stringContaining('not run again') });
	});

	it('records intent before and result after every call', async () => {
		const log: string[] = [];
		const store = recordingRunStore();
		await runAgent(spec(fakeModel([toolCallsReply([{ id: 'l1', name: 'lookup', input: { city: 'Rome' } }]), textReply('ok')]), tools(log, { gateBooking: true })), { runId: 'run-1', task: 'go' }, deps(store));
		expect(store.intents.get('l1')).toEqual({ toolName: 'lookup', input: { city: 'Rome' } });
		expect(store.results.get('l1')).toMatchObject({ output: 'lookup done for Rome' });
	});
});

describe('read-only tools', () => {
	it('are not journaled: re-running them changes nothing, so they cost no journal writes', async () => {
		const store = recordingRunStore();
		const reads: Tool = { name: 'lookup', description: 'reads', inputSchema: citySchema, concurrencySafe: true, readOnly: true, execute: async () => 'found' };
		await runAgent(spec(fakeModel([toolCallsReply([{ id: 'r1', name: 'lookup', input: { city: 'Rome' } }]), textReply('ok')]), [reads]), { runId: 'run-1', task: 'go' }, deps(store));
		expect(store.intents.size + store.results.size).toBe(0);
	});
});
