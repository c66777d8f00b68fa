import { runAgent, type AgentSpec, type EngineDeps, type Tool } from '../../../lib/engine';
import { ModelCallError } from '../../../lib/engine/model/model-error';
import type { ToolResultPart, UserMessage } from '../../../lib/engine/model/messages';
import { fakeModel, textReply, toolCallsReply, type FakeModel } from '../../support/fake-model';
import { recordingRunStore, type RecordingRunStore } from '../../support/recording-run-store';

const weatherSchema = {
	type: 'object',
	properties: { city: { type: 'string' } },
	required: ['city'],
	additionalProperties: false,
};

function recordingTool(name: string, options: { concurrencySafe?: boolean; run?: (input: unknown) => Promise<unknown> } = {}) {
	const calls: unknown[] = [];
	const tool: Tool = {
		name,
		description: `${name} tool`,
		inputSchema: weatherSchema,
		concurrencySafe: options.concurrencySafe ?? false,
		async execute(input) {
			calls.push(input);
			return options.run ? await options.run(input) : { city: (input as { city: string }).city, celsius: 21 };
		},
	};
	return { tool, calls };
}

function spec(model: FakeModel, overrides: Partial<AgentSpec> = {}): AgentSpec {
	return {
		model,
		instructions: 'Be brief.',
		tools: [],
		output: { type: 'text' },
		limits: { maxTurns: 10, toolConcurrency: 4, maxOutputTokensPerTurn: 1000 },
		retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
		...overrides,
	};
}

function deps(store: RecordingRunStore, signal?: AbortSignal): EngineDeps {
	let ids = 0;
	return { store, now: () => Date.parse('2026-11-22T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, signal, newId: () => `id-${++ids}` };
}

const input = { runId: 'run-1', task: 'What is the weather in Paris?' };

/** The tool results the model was sent on its request number `index` (0-based). */
function toolResultsSentOn(model: FakeModel, index: number): ToolResultPart[] {
	const last = model.requests[index].messages.at(-1) as UserMessage;
	return last.content.filter((part): part is ToolResultPart => part.type === 'tool-result');
}

describe('runAgent', () => {
	it('returns the text answer with usage, turns and transcript location', async () => {
		const model = fakeModel([textReply('Sunny.', { input: 12, output: 3 })]);
		const store = recordingRunStore();
		const outcome = await runAgent(spec(model), input, deps(store));
		expect(outcome).toEqual({
			status: 'done',
			output: 'Sunny.',
			answeredBy: { modelId: 'fake-model', usedFallback: false },
			runId: 'run-1',
			turns: 1,
			usage: { inputTokens: 12, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 },
			transcript: 'memory://transcript/',
		});
		expect(model.requests[0].system).toBe('Be brief.');
		expect(store.records.map((record) => record.status)).toEqual(['running', 'done']);
	});

	it('runs tool calls over several turns and feeds their results back', async () => {
		const weather = recordingTool('weather');
		const model = fakeModel([
			toolCallsReply([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }]),
			toolCallsReply([{ id: 'c2', name: 'weather', input: { city: 'Lyon' } }]),
			textReply('Paris and Lyon are 21 °C.'),
		]);
		const store = recordingRunStore();
		const outcome = await runAgent(spec(model, { tools: [weather.tool] }), input, deps(store));
		expect(outcome).toMatchObject({ status: 'done', output: 'Paris and Lyon are 21 °C.', turns: 3 });
		expect(weather.calls).toEqual([{ city: 'Paris' }, { city: 'Lyon' }]);
		expect(toolResultsSentOn(model, 1)).toEqual([
			{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: '{"city":"Paris","celsius":21}', isError: false },
		]);
		expect(model.requests[0].tools.map((tool) => tool.name)).toEqual(['weather']);
		expect([...store.turns.keys()]).toEqual([1, 2, 3]);
	});

	it('returns unknown tools, invalid arguments and thrown errors to the model instead of failing', async () => {
		const failing = recordingTool('flaky', { run: async () => { throw new Error('upstream said no'); } });
		const weather = recordingTool('weather');
		const model = fakeModel([
			toolCallsReply([
				{ id: 'c1', name: 'nope', input: {} },
				{ id: 'c2', name: 'weather', input: { town: 'Paris' } },
				{ id: 'c3', name: 'weather', input: '{"city": "Par' },
				{ id: 'c4', name: 'flaky', input: { city: 'Paris' } },
			]),
			textReply('I could not check.'),
		]);
		const outcome = await runAgent(spec(model, { tools: [weather.tool, failing.tool] }), input, deps(recordingRunStore()));
		expect(outcome.status).toBe('done');
		const results = toolResultsSentOn(model, 1);
		expect(results.map((result) => [result.toolCallId, result.isError])).toEqual([['c1', true], ['c2', true], ['c3', true], ['c4', true]]);
		expect(results[0].output).toContain("Unknown tool 'nope'");
		expect(results[0].output).toContain('weather, flaky');
		expect(results[1].output).toMatch(/city/);
		expect(results[2].output).toMatch(/not valid JSON/);
		expect(results[3].output).toContain('upstream said no');
		expect(weather.calls).toEqual([]);
	});

	it('runs concurrency-safe calls together and other calls one at a time, results in call order', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const slow = async (value: unknown) => {
			inFlight += 1;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 20));
			inFlight -= 1;
			return value;
		};
		const safe = recordingTool('lookup', { concurrencySafe: true, run: slow });
		const model = fakeModel([
			toolCallsReply(['a', 'b', 'c'].map((city, index) => ({ id: `s${index}`, name: 'lookup', input: { city } }))),
			textReply('done'),
		]);
		await runAgent(spec(model, { tools: [safe.tool], limits: { maxTurns: 5, toolConcurrency: 2, maxOutputTokensPerTurn: 100 } }), input, deps(recordingRunStore()));
		expect(maxInFlight).toBe(2);
		expect(toolResultsSentOn(model, 1).map((result) => result.toolCallId)).toEqual(['s0', 's1', 's2']);

		inFlight = 0;
		maxInFlight = 0;
		const unsafe = recordingTool('book', { run: slow });
		const sequentialModel = fakeModel([
			toolCallsReply(['a', 'b'].map((city, index) => ({ id: `u${index}`, name: 'book', input: { city } }))),
			textReply('done'),
		]);
		await runAgent(spec(sequentialModel, { tools: [unsafe.tool] }), input, deps(recordingRunStore()));
		expect(maxInFlight).toBe(1);
		expect(unsafe.calls).toEqual([{ city: 'a' }, { city: 'b' }]);
	});

	describe('JSON output', () => {
		const output = { type: 'json' as const, schema: weatherSchema, repairTurns: 1 };

		it('validates the answer and repairs an invalid one', async () => {
			const model = fakeModel([textReply('It is Paris'), textReply('```json\n{"city": "Paris"}\n```')]);
			const outcome = await runAgent(spec(model, { output }), input, deps(recordingRunStore()));
			expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' }, turns: 2 });
			expect(model.requests[0].system).toContain('"required":["city"]');
			const repair = model.requests[1].messages.at(-1) as UserMessage;
			expect(repair.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('not valid JSON') });
		});

		it('fails with output_invalid when the repair turns are used up', async () => {
			const model = fakeModel([textReply('{"town": "Paris"}'), textReply('{"town": "Lyon"}')]);
			const outcome = await runAgent(spec(model, { output }), input, deps(recordingRunStore()));
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'output_invalid' }, turns: 2 });
			if (outcome.status === 'failed') expect(outcome.error.message).toMatch(/required property 'city'/);
		});

		it('asks for native structured output when the model supports it', async () => {
			const model = fakeModel([textReply('{"city": "Paris"}')], { supportsStructuredOutput: true });
			await runAgent(spec(model, { output }), input, deps(recordingRunStore()));
			expect(model.requests[0].structuredOutput).toEqual({ name: 'final_answer', schema: weatherSchema });
		});

		it('refuses an invalid JSON Schema before calling the model', async () => {
			const model = fakeModel([]);
			await expect(runAgent(spec(model, { output: { type: 'json', schema: { type: 'nonsense' }, repairTurns: 1 } }), input, deps(recordingRunStore()))).rejects.toThrow(/JSON Schema is invalid/);
			expect(model.requests).toHaveLength(0);
		});
	});

	describe('limits end the run with their own code', () => {
		it('max_turns', async () => {
			const weather = recordingTool('weather');
			const model = fakeModel([1, 2, 3].map((n) => toolCallsReply([{ id: `c${n}`, name: 'weather', input: { city: 'Paris' } }])));
			const outcome = await runAgent(spec(model, { tools: [weather.tool], limits: { maxTurns: 2, toolConcurrency: 1, maxOutputTokensPerTurn: 100 } }), input, deps(recordingRunStore()));
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'max_turns' }, turns: 2 });
			expect(model.requests).toHaveLength(2);
		});

		it('token_budget, before the over-budget turn’s tools run', async () => {
			const weather = recordingTool('weather');
			const model = fakeModel([toolCallsReply([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }])]);
			const outcome = await runAgent(spec(model, { tools: [weather.tool], limits: { maxTurns: 5, maxTotalTokens: 10, toolConcurrency: 1, maxOutputTokensPerTurn: 100 } }), input, deps(recordingRunStore()));
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'token_budget' } });
			expect(weather.calls).toEqual([]);
		});

		it('timeout, while the model is still answering', async () => {
			const model = fakeModel([(request) => new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(new ModelCallError('cancelled', 'aborted'))))]);
			const outcome = await runAgent(spec(model, { limits: { maxTurns: 5, timeoutMs: 30, toolConcurrency: 1, maxOutputTokensPerTurn: 100 } }), input, deps(recordingRunStore()));
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
		});

		it('cancelled, when n8n stops the execution', async () => {
			const controller = new AbortController();
			const model = fakeModel([(request) => {
				setTimeout(() => controller.abort(), 5);
				return new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(new ModelCallError('cancelled', 'aborted'))));
			}]);
			const outcome = await runAgent(spec(model), input, deps(recordingRunStore(), controller.signal));
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
		});
	});

	it('reports a provider that refuses the key as model_auth, without retrying', async () => {
		const model = fakeModel([new ModelCallError('auth', 'The Anthropic API rejected the API key (401).', { status: 401 })]);
		const store = recordingRunStore();
		const outcome = await runAgent(spec(model), input, deps(store));
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_auth', message: expect.stringContaining('401') }, turns: 0 });
		expect(model.requests).toHaveLength(1);
		expect(store.records.at(-1)).toMatchObject({ status: 'failed' });
	});

	it('writes one transcript object per turn holding that turn’s messages', async () => {
		const weather = recordingTool('weather');
		const model = fakeModel([toolCallsReply([{ id: 'c1', name: 'weather', input: { city: 'Paris' } }]), textReply('21 °C')]);
		const store = recordingRunStore();
		await runAgent(spec(model, { tools: [weather.tool] }), input, deps(store));
		const roles = (turn: number) => store.turns.get(turn)!.flatMap((entry) => (entry.type === 'message' ? [entry.message.role] : []));
		expect(roles(1)).toEqual(['user', 'assistant', 'user']);
		expect(roles(2)).toEqual(['assistant']);
	});
});
