import { callModel, type CallModelDeps } from '../../../lib/engine/model/call-model';
import type { LanguageModel, ModelResponse } from '../../../lib/engine/model/language-model';
import type { RequestMessage, ToolCallPart } from '../../../lib/engine/model/messages';
import { ModelCallError } from '../../../lib/engine/model/model-error';
import { adaptersUnderTest, modelRequest } from '../../support/llm-server/adapters';
import { loadScenario, startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
afterEach(() => {
	expect(server.expectationFailures).toEqual([]);
	expect(server.remainingSteps()).toBe(0);
});

const question: RequestMessage = { role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] };

const toolCalls = (response: ModelResponse): ToolCallPart[] =>
	response.message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');

/** What the engine does after a tool-call turn: append the answer and one result per call. */
const withResults = (messages: RequestMessage[], response: ModelResponse, isError = false): RequestMessage[] => [
	...messages,
	response.message,
	{
		role: 'user',
		content: toolCalls(response).map((call) => ({
			type: 'tool-result',
			toolCallId: call.toolCallId,
			toolName: call.toolName,
			output: isError ? 'Invalid arguments: expected a JSON object.' : `Sunny in ${String((call.input as { city: string }).city)}`,
			isError,
		})),
	},
];

const recordingDeps = () => {
	const delays: number[] = [];
	const deps: CallModelDeps = { sleep: async (ms) => void delays.push(ms), random: () => 0.5, now: Date.now };
	return { delays, deps };
};

describe.each(adaptersUnderTest)('$wire adapter plays the scenarios', (adapter) => {
	let model: LanguageModel;
	beforeEach(() => {
		model = adapter.create(server);
	});

	test('text-answer: text, usage with cache reads, end of turn', async () => {
		server.load(loadScenario('text-answer'));
		const response = await model.generate(modelRequest());
		expect(response.message).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Paris is the capital of France.' }] });
		expect(response.stopReason).toBe('end-turn');
		expect(response.usage).toEqual({ inputTokens: 25, outputTokens: 8, cacheReadTokens: 100, cacheWriteTokens: 0 });
		expect(response.modelId).toBe(model.modelId);
	});

	test('tool-calls-over-turns: each turn yields the call with parsed input, results go back', async () => {
		server.load(loadScenario('tool-calls-over-turns'));
		const first = await model.generate(modelRequest({ messages: [question] }));
		expect(first.stopReason).toBe('tool-calls');
		expect(first.message.content).toEqual([
			{ type: 'text', text: 'Let me check the current weather.' },
			{ type: 'tool-call', toolCallId: 'call_weather_1', toolName: 'get_weather', input: { city: 'Paris' } },
		]);

		const afterFirst = withResults([question], first);
		const second = await model.generate(modelRequest({ messages: afterFirst }));
		expect(toolCalls(second)).toEqual([
			{ type: 'tool-call', toolCallId: 'call_forecast_1', toolName: 'get_forecast', input: { city: 'Paris', days: 2 } },
		]);
		expect(second.usage).toEqual({ inputTokens: 180, outputTokens: 25, cacheReadTokens: 100, cacheWriteTokens: 0 });

		const third = await model.generate(modelRequest({ messages: withResults(afterFirst, second) }));
		expect(third.stopReason).toBe('end-turn');
		expect(third.message.content).toEqual([{ type: 'text', text: 'It is sunny in Paris and it will stay dry for the next two days.' }]);
	});

	test('parallel-tool-calls: both calls of one turn, in order', async () => {
		server.load(loadScenario('parallel-tool-calls'));
		const first = await model.generate(modelRequest());
		expect(toolCalls(first).map((call) => [call.toolCallId, call.input])).toEqual([
			['call_paris', { city: 'Paris' }],
			['call_london', { city: 'London' }],
		]);
		const second = await model.generate(modelRequest({ messages: withResults([question], first) }));
		expect(second.message.content).toEqual([{ type: 'text', text: 'Paris is sunny and London is rainy.' }]);
	});

	test('invalid-tool-arguments: malformed JSON arrives as the raw string and the error result is replayed', async () => {
		server.load(loadScenario('invalid-tool-arguments'));
		const first = await model.generate(modelRequest());
		expect(toolCalls(first)).toEqual([{ type: 'tool-call', toolCallId: 'call_bad', toolName: 'get_weather', input: '{"city": "Paris"' }]);

		const afterFirst = withResults([question], first, true);
		const second = await model.generate(modelRequest({ messages: afterFirst }));
		expect(toolCalls(second)[0]?.input).toEqual({ city: 'Paris' });

		const third = await model.generate(modelRequest({ messages: withResults(afterFirst, second) }));
		expect(third.message.content).toEqual([{ type: 'text', text: 'It is sunny in Paris.' }]);
	});

	test('invalid-json-then-repaired: JSON answers pass through as text for the engine to validate', async () => {
		server.load(loadScenario('invalid-json-then-repaired'));
		const structuredOutput = {
			name: 'weather',
			schema: { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } }, required: ['city', 'temperature'] },
		};
		const first = await model.generate(modelRequest({ tools: [], structuredOutput }));
		expect(first.message.content).toEqual([{ type: 'text', text: '{"city": "Paris", "temperature": "warm"}' }]);

		const repairMessages: RequestMessage[] = [
			question,
			first.message,
			{ role: 'user', content: [{ type: 'text', text: 'Your answer does not match the schema: /temperature must be number.' }] },
		];
		const second = await model.generate(modelRequest({ tools: [], structuredOutput, messages: repairMessages }));
		expect(second.message.content).toEqual([{ type: 'text', text: '{"city": "Paris", "temperature": 21}' }]);
		expect(server.requests.map((request) => request.conversation.structuredOutput)).toEqual([true, true]);
	});

	test('rate-limited-then-success: the 429 carries retry-after, callModel waits exactly that long', async () => {
		server.load(loadScenario('rate-limited-then-success'));
		const error = await model.generate(modelRequest()).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ModelCallError);
		expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });

		server.load(loadScenario('rate-limited-then-success'));
		const { delays, deps } = recordingDeps();
		const response = await callModel(modelRequest(), { primary: model }, { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 10_000 }, deps);
		expect(response.message.content).toEqual([{ type: 'text', text: 'Paris is the capital of France.' }]);
		expect(delays).toEqual([2000]);
	});

	test('server-errors-until-fallback: three server errors on the primary, the fallback answers', async () => {
		server.load(loadScenario('server-errors-until-fallback'));
		const primary = adapter.create(server, { modelId: 'primary-model' });
		const fallback = adapter.create(server, { modelId: 'fallback-model' });
		const { delays, deps } = recordingDeps();
		const response = await callModel(modelRequest(), { primary, fallback }, { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 }, deps);
		expect(response.usedFallback).toBe(true);
		expect(response.modelId).toBe('fallback-model');
		expect(delays).toEqual([50, 100]);
		expect(server.requests.map((request) => request.conversation.model)).toEqual([
			'primary-model',
			'primary-model',
			'primary-model',
			'fallback-model',
		]);
	});

	test('stream-cut-off: a stream that stops mid-answer is a network error, and the retry gets the answer', async () => {
		server.load(loadScenario('stream-cut-off'));
		const error = await model.generate(modelRequest()).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ModelCallError);
		expect(error).toMatchObject({ kind: 'network' });

		const response = await model.generate(modelRequest());
		expect(response.message.content).toEqual([{ type: 'text', text: 'Paris is the capital of France.' }]);
	});
});
