import { runAgent, type AgentSpec, type EngineDeps, type RunOutcome, type Tool } from '../../../lib/engine';
import { defaultContextPolicy } from '../../../lib/engine/context/context-policy';
import type { Message } from '../../../lib/engine/model/messages';
import { adaptersUnderTest, type AdapterUnderTest } from '../../support/llm-server/adapters';
import { recordingRunStore, type RecordingRunStore } from '../../support/recording-run-store';
import { startScriptedLlmServer, type ScriptedLlmServer, type Step } from '../../support/scripted-llm-server';

// Every way a model turn ends maps to a defined outcome, on both wire formats, through the real
// SDKs: a run never ends `done` with a refused, cut-off or empty answer.

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
afterEach(() => {
	expect(server.expectationFailures).toEqual([]);
	expect(server.remainingSteps()).toBe(0);
});

const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

/** A tool that records its calls; `readOnly` tools skip the journal and may run on the last turn. */
function recordingTool(name: string, options: { readOnly?: boolean; output?: (input: { city: string }) => unknown } = {}) {
	const calls: unknown[] = [];
	const tool: Tool = {
		name,
		description: `${name} for a city`,
		inputSchema: citySchema,
		concurrencySafe: false,
		readOnly: options.readOnly,
		async execute(input) {
			calls.push(input);
			const city = (input as { city: string }).city;
			return options.output ? options.output({ city }) : `${name} done for ${city}`;
		},
	};
	return { tool, calls };
}

function spec(adapter: AdapterUnderTest, overrides: Partial<AgentSpec> = {}, limits: Partial<AgentSpec['limits']> = {}): AgentSpec {
	return {
		model: adapter.create(server),
		instructions: 'Be brief.',
		tools: [],
		output: { type: 'text' },
		limits: { maxTurns: 10, toolConcurrency: 2, maxOutputTokensPerTurn: 200, ...limits },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		...overrides,
	};
}

function deps(store: RecordingRunStore = recordingRunStore()): EngineDeps {
	let ids = 0;
	return { store, now: () => Date.parse('2026-12-07T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `id-${++ids}` };
}

const input = { runId: 'run-1', task: 'What is the weather in Paris?' };

const run = (runSpec: AgentSpec, steps: Step[], store?: RecordingRunStore): Promise<RunOutcome> => {
	server.load(steps);
	return runAgent(runSpec, input, deps(store));
};

const lastUserText = (requestIndex: number): string => {
	const user = [...server.requests[requestIndex].conversation.messages].reverse().find((message) => message.role === 'user');
	return user?.text ?? '';
};

/** The messages the engine keeps in its transcript, in order. */
const transcriptMessages = (store: RecordingRunStore): Message[] =>
	[...store.turns.values()].flat().flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));

describe.each(adaptersUnderTest)('$wire: how a model turn ends', (adapter) => {
	describe('a refusal or content filter fails the run with model_refused', () => {
		test('without partial text, the provider’s stated reason is in the message', async () => {
			const outcome = await run(spec(adapter), [{ kind: 'reply', stopReason: 'refusal', refusal: { category: 'cyber', explanation: 'This request could enable malware.' } }]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_refused' }, turns: 1 });
			const message = outcome.status === 'failed' ? outcome.error.message : '';
			expect(message).toContain('This request could enable malware.');
			// Anthropic names a category; OpenAI's refusal is text only.
			if (adapter.wire === 'Anthropic') expect(message).toContain('cyber');
		});

		test('with partial text, the run does not end done with the fragment', async () => {
			const outcome = await run(spec(adapter), [{ kind: 'reply', text: 'Here is how to bui', stopReason: 'refusal' }]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_refused' } });
			expect(outcome.status === 'failed' && outcome.error.message).toContain('Here is how to bui');
		});
	});

	describe('the output-token limit', () => {
		test('a cut-off text answer is continued and the parts joined, counted in turns and usage', async () => {
			const outcome = await run(spec(adapter), [
				{ kind: 'reply', text: 'Paris is sunny, ', stopReason: 'max-tokens', usage: { inputTokens: 10, outputTokens: 200 } },
				{ kind: 'reply', text: 'with a light wind ', stopReason: 'max-tokens', usage: { inputTokens: 30, outputTokens: 200 }, expect: { lastUserTextIncludes: 'cut off by the output-token limit' } },
				{ kind: 'reply', text: 'from the west.', usage: { inputTokens: 50, outputTokens: 20 }, expect: { lastUserTextIncludes: 'Continue it exactly where it stopped' } },
			]);
			expect(outcome).toMatchObject({ status: 'done', output: 'Paris is sunny, with a light wind from the west.', turns: 3 });
			expect(outcome.usage).toMatchObject({ inputTokens: 90, outputTokens: 420 });
		});

		test('an answer still cut off after two continuations fails with output_truncated', async () => {
			const cutOff: Step = { kind: 'reply', text: 'and so on ', stopReason: 'max-tokens' };
			const outcome = await run(spec(adapter), [cutOff, cutOff, cutOff]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'output_truncated' }, turns: 3 });
			expect(outcome.status === 'failed' && outcome.error.message).toContain('Max Output Tokens Per Turn');
		});

		test('a cut-off JSON answer gets a repair turn that says why', async () => {
			const json = spec(adapter, { output: { type: 'json', schema: citySchema, repairTurns: 1 } });
			const outcome = await run(json, [
				{ kind: 'reply', text: '{"city": "Par', stopReason: 'max-tokens' },
				{ kind: 'reply', text: '{"city": "Paris"}', expect: { lastUserTextIncludes: 'cut off by the output-token limit' } },
			]);
			expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' }, turns: 2 });
			expect(lastUserText(1)).toContain('shorter answer');
		});

		test('a JSON answer cut off again after its repair turns fails with output_truncated', async () => {
			const json = spec(adapter, { output: { type: 'json', schema: citySchema, repairTurns: 1 } });
			const cutOff: Step = { kind: 'reply', text: '{"city": "Par', stopReason: 'max-tokens' };
			const outcome = await run(json, [cutOff, cutOff]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'output_truncated' } });
		});

		test('a tool call whose arguments were cut off is never run; the model is told to send smaller arguments', async () => {
			const weather = recordingTool('get_weather');
			const outcome = await run(spec(adapter, { tools: [weather.tool] }), [
				{ kind: 'reply', toolCalls: [{ id: 'call_cut', name: 'get_weather', arguments: '{"city": "Pa' }], stopReason: 'max-tokens' },
				{ kind: 'reply', text: 'Sunny.', expect: { toolResults: [{ toolCallId: 'call_cut', outputIncludes: 'cut off by the output-token limit' }] } },
			]);
			expect(outcome).toMatchObject({ status: 'done', output: 'Sunny.' });
			expect(weather.calls).toEqual([]);
			const [result] = server.requests[1].conversation.messages.at(-1)!.toolResults;
			expect(result.output).toContain('smaller arguments');
			expect(result.output).not.toContain('not valid JSON');
		});
	});

	describe('an empty answer gets one repair turn, then fails with empty_answer', () => {
		test.each([
			['no text at all', undefined],
			['whitespace only', ' \n\t '],
		])('%s, then an answer: done with the answer', async (_case, text) => {
			const outcome = await run(spec(adapter), [
				{ kind: 'reply', text },
				{ kind: 'reply', text: 'Sunny.', expect: { lastUserTextIncludes: 'Your reply was empty' } },
			]);
			expect(outcome).toMatchObject({ status: 'done', output: 'Sunny.', turns: 2 });
		});

		test.each([
			['no text at all', undefined],
			['whitespace only', '   '],
		])('%s twice: failed, never done with ""', async (_case, text) => {
			const outcome = await run(spec(adapter), [
				{ kind: 'reply', text },
				{ kind: 'reply', text },
			]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'empty_answer' }, turns: 2 });
		});

		test('in JSON mode too', async () => {
			const json = spec(adapter, { output: { type: 'json', schema: citySchema, repairTurns: 0 } });
			const outcome = await run(json, [{ kind: 'reply', text: '' }, { kind: 'reply', text: '\n' }]);
			expect(outcome).toMatchObject({ status: 'failed', error: { code: 'empty_answer' } });
		});
	});

	test('duplicate tool-call ids: every result reaches the model under its own call’s id, and the replay matches', async () => {
		const weather = recordingTool('get_weather');
		const outcome = await run(spec(adapter, { tools: [weather.tool] }), [
			{
				kind: 'reply',
				toolCalls: [
					{ id: 'call_same', name: 'get_weather', arguments: { city: 'Paris' } },
					{ id: 'call_same', name: 'get_weather', arguments: { city: 'Lyon' } },
				],
			},
			// Some servers number calls per turn: the next turn's first call reuses the id again.
			{ kind: 'reply', toolCalls: [{ id: 'call_same', name: 'get_weather', arguments: { city: 'Nice' } }] },
			{ kind: 'reply', text: 'All sunny.' },
		]);
		expect(outcome).toMatchObject({ status: 'done', output: 'All sunny.' });
		expect(weather.calls).toEqual([{ city: 'Paris' }, { city: 'Lyon' }, { city: 'Nice' }]);

		const { messages } = server.requests[2].conversation;
		const callIds = messages.flatMap((message) => message.toolCalls.map((call) => call.id));
		expect(new Set(callIds).size).toBe(3);
		const resultById = new Map(messages.flatMap((message) => message.toolResults.map((result) => [result.toolCallId, result.output])));
		for (const message of messages) {
			for (const call of message.toolCalls) expect(resultById.get(call.id)).toBe(`get_weather done for ${(call.input as { city: string }).city}`);
		}
	});

	test('the turn that reaches Max Turns runs no side-effecting tool; the failure names the calls left unrun', async () => {
		const send = recordingTool('send_report');
		const lookup = recordingTool('lookup_city', { readOnly: true });
		const store = recordingRunStore();
		const outcome = await run(
			spec(adapter, { tools: [send.tool, lookup.tool] }, { maxTurns: 1 }),
			[
				{
					kind: 'reply',
					toolCalls: [
						{ id: 'call_send', name: 'send_report', arguments: { city: 'Paris' } },
						{ id: 'call_lookup', name: 'lookup_city', arguments: { city: 'Paris' } },
					],
				},
			],
			store,
		);
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'max_turns' }, turns: 1 });
		expect(outcome.status === 'failed' && outcome.error.message).toContain('send_report (call_send)');
		expect(outcome.status === 'failed' && outcome.error.message).not.toContain('lookup_city');
		expect(send.calls).toEqual([]);
		expect(store.intents.size).toBe(0);
		expect(lookup.calls).toEqual([{ city: 'Paris' }]);
	});

	test('read_tool_output is offered only once a result was stored for read-back', async () => {
		const page = recordingTool('fetch_page', { output: ({ city }) => `${city} `.repeat(200) });
		const contextPolicy = { ...defaultContextPolicy(100_000), largeToolResultCharacters: 300 };
		const outcome = await run(spec(adapter, { tools: [page.tool], contextPolicy }), [
			{ kind: 'reply', toolCalls: [{ id: 'call_page', name: 'fetch_page', arguments: { city: 'Paris' } }], expect: { toolNames: ['fetch_page'] } },
			{ kind: 'reply', text: 'Read it.', expect: { toolNames: ['fetch_page', 'read_tool_output'] } },
		]);
		expect(outcome).toMatchObject({ status: 'done' });
	});

	test('a provider that reports no usage: usage is estimated and marked, so the token budget still holds', async () => {
		const weather = recordingTool('get_weather');
		const outcome = await run(spec(adapter, { tools: [weather.tool] }, { maxTotalTokens: 20 }), [
			{ kind: 'reply', text: 'Let me check the weather for you.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }], omitUsage: true },
		]);
		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'token_budget' }, usage: { estimated: true } });
		expect(outcome.usage.inputTokens).toBeGreaterThan(20);
		expect(weather.calls).toEqual([]);
	});

	test('the done outcome says which model answered, main or fallback', async () => {
		const main = await run(spec(adapter), [{ kind: 'reply', text: 'Sunny.', model: 'provider-model-2026-01-01' }]);
		expect(main).toMatchObject({ status: 'done', answeredBy: { modelId: 'provider-model-2026-01-01', usedFallback: false } });

		const withFallback = spec(adapter, { fallbackModel: adapter.create(server, { modelId: 'fallback-test' }) });
		const fallback = await run(withFallback, [{ kind: 'http-error', status: 503 }, { kind: 'reply', text: 'Sunny.', expect: { model: 'fallback-test' } }]);
		expect(fallback).toMatchObject({ status: 'done', answeredBy: { modelId: 'fallback-test', usedFallback: true } });
	});

	test('an endpoint that rejects the structured-output request: JSON by instructions, validated and repaired', async () => {
		const json = spec(adapter, { output: { type: 'json', schema: citySchema, repairTurns: 1 } });
		const store = recordingRunStore();
		const outcome = await run(
			json,
			[
				{ kind: 'http-error', status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", expect: { structuredOutput: true } },
				{ kind: 'reply', text: '{"town": "Paris"}', expect: { structuredOutput: false, systemIncludes: 'JSON Schema' } },
				{ kind: 'reply', text: '{"city": "Paris"}', expect: { structuredOutput: false, lastUserTextIncludes: 'does not match the JSON Schema' } },
			],
			store,
		);
		expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' }, turns: 2 });
		expect([...store.turns.values()].flat()).toContainEqual(expect.objectContaining({ type: 'structured-output-rejected' }));
	});
});

describe('Chat Completions reasoning', () => {
	const chat = adaptersUnderTest.find((adapter) => adapter.wire === 'Chat Completions')!;

	test('reasoning_content is kept in the transcript and sent back with the turn that made tool calls', async () => {
		const weather = recordingTool('get_weather');
		const store = recordingRunStore();
		const outcome = await run(
			spec(chat, { tools: [weather.tool] }),
			[
				{ kind: 'reply', thinking: { text: 'The user wants Paris weather; call the tool.', signature: '' }, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
				{ kind: 'reply', thinking: { text: 'The tool says it is done.', signature: '' }, text: 'Sunny.' },
			],
			store,
		);
		expect(outcome).toMatchObject({ status: 'done', output: 'Sunny.' });
		const sentBack = (server.requests[1].body.messages as Array<Record<string, unknown>>).find((message) => message.role === 'assistant');
		expect(sentBack).toMatchObject({ reasoning_content: 'The user wants Paris weather; call the tool.', tool_calls: [expect.objectContaining({ id: 'call_1' })] });
		const kept = transcriptMessages(store).filter((message) => message.role === 'assistant');
		expect(kept.map((message) => message.content[0])).toEqual([
			{ type: 'reasoning', text: 'The user wants Paris weather; call the tool.' },
			{ type: 'reasoning', text: 'The tool says it is done.' },
		]);
	});

	test('a turn without tool calls does not send its reasoning back', async () => {
		server.load([{ kind: 'reply', text: 'Hello.' }]);
		const model = chat.create(server);
		await model.generate({
			system: '',
			messages: [
				{ role: 'user', content: [{ type: 'text', text: 'Hi' }] },
				{ role: 'assistant', content: [{ type: 'reasoning', text: 'Greet back.' }, { type: 'text', text: 'Hi!' }] },
				{ role: 'user', content: [{ type: 'text', text: 'Again' }] },
			],
			tools: [],
			maxOutputTokens: 50,
			signal: new AbortController().signal,
		});
		const assistant = (server.requests[0].body.messages as Array<Record<string, unknown>>).find((message) => message.role === 'assistant');
		expect(assistant).not.toHaveProperty('reasoning_content');
	});
});
