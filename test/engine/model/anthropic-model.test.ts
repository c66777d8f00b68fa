import { createAnthropicModel } from '../../../lib/engine/model/anthropic-model';
import type { LanguageModel } from '../../../lib/engine/model/language-model';
import type { RequestMessage } from '../../../lib/engine/model/messages';
import { modelRequest, weatherTools } from '../../support/llm-server/adapters';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let model: LanguageModel;
beforeAll(async () => {
	server = await startScriptedLlmServer();
	model = createAnthropicModel({ apiKey: 'sk-ant-test', baseUrl: server.anthropicBaseUrl, modelId: 'claude-sonnet-test' });
});
afterAll(() => server.close());

const conversation: RequestMessage[] = [
	{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
	{
		role: 'assistant',
		content: [
			{ type: 'reasoning', text: 'I should call the tool twice.', signature: 'sig-abc' },
			{ type: 'reasoning', text: '', redactedData: 'encrypted-blob' },
			{ type: 'text', text: 'Checking both.' },
			{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
			{ type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather', input: '{"city": "Ro' },
		],
	},
	{
		role: 'user',
		content: [
			{ type: 'text', text: 'Please hurry.' },
			{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: 'Sunny, 24°C', isError: false },
			{ type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', output: 'Input is not valid JSON', isError: true },
		],
	},
];

describe('Anthropic adapter: what it sends', () => {
	test('the Messages API request: model, key, streaming, system and tools with cache breakpoints', async () => {
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ maxOutputTokens: 2048 }));
		const [request] = server.requests;
		expect(request.path).toBe('/v1/messages');
		// The documented Anthropic header, which proxies and gateways expect; no bearer token.
		expect(request.headers['x-api-key']).toBe('sk-ant-test');
		expect(request.headers.authorization).toBeUndefined();
		expect(request.body).toMatchObject({ model: 'claude-sonnet-test', max_tokens: 2048, stream: true });
		expect(request.body.system).toEqual([{ type: 'text', text: 'You are a weather assistant.', cache_control: { type: 'ephemeral' } }]);
		expect(request.body.tools).toEqual([
			{ name: 'get_weather', description: weatherTools[0].description, input_schema: weatherTools[0].inputSchema },
			{
				name: 'get_forecast',
				description: weatherTools[1].description,
				input_schema: weatherTools[1].inputSchema,
				cache_control: { type: 'ephemeral' },
			},
		]);
		expect(request.body).not.toHaveProperty('output_config');
	});

	test('no system prompt and no tools: neither field is sent', async () => {
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ system: '', tools: [] }));
		expect(server.requests[0].body).not.toHaveProperty('system');
		expect(server.requests[0].body).not.toHaveProperty('tools');
	});

	test('history: thinking with its signature, redacted thinking, tool_use, tool results first with is_error, and the moving cache breakpoint last', async () => {
		server.load([{ kind: 'reply', text: 'Paris is sunny.' }]);
		await model.generate(modelRequest({ messages: conversation }));
		expect(server.requests[0].body.messages).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
			{
				role: 'assistant',
				content: [
					{ type: 'thinking', thinking: 'I should call the tool twice.', signature: 'sig-abc' },
					{ type: 'redacted_thinking', data: 'encrypted-blob' },
					{ type: 'text', text: 'Checking both.' },
					{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
					// Arguments that were not JSON are replayed as {}: the API only accepts objects.
					{ type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
				],
			},
			{
				role: 'user',
				content: [
					{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 24°C', is_error: false },
					{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'Input is not valid JSON', is_error: true },
					// The latest block carries the conversation's breakpoint, so the next turn reads all this from cache.
					{ type: 'text', text: 'Please hurry.', cache_control: { type: 'ephemeral' } },
				],
			},
		]);
	});

	test('structured output uses the native JSON-schema output format', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
		server.load([{ kind: 'reply', text: '{"city":"Paris"}' }]);
		const response = await model.generate(modelRequest({ tools: [], structuredOutput: { name: 'answer', schema } }));
		expect(model.supportsStructuredOutput).toBe(true);
		expect(server.requests[0].body.output_config).toEqual({ format: { type: 'json_schema', schema } });
		expect(response.message.content).toEqual([{ type: 'text', text: '{"city":"Paris"}' }]);
	});
});

describe('Anthropic adapter: what it reads back', () => {
	test('thinking arrives as reasoning with its signature, before the text', async () => {
		server.load([
			{ kind: 'reply', thinking: { text: 'The user wants the capital.', signature: 'sig-xyz' }, text: 'Paris.', usage: { cacheWriteTokens: 300 } },
		]);
		const response = await model.generate(modelRequest());
		expect(response.message.content).toEqual([
			{ type: 'reasoning', text: 'The user wants the capital.', signature: 'sig-xyz' },
			{ type: 'text', text: 'Paris.' },
		]);
		expect(response.usage.cacheWriteTokens).toBe(300);
	});

	test.each([
		['max-tokens', 'max-tokens'],
		['refusal', 'refusal'],
	] as const)('stop reason %s maps to %s', async (scripted, expected) => {
		server.load([{ kind: 'reply', text: 'Partial', stopReason: scripted }]);
		expect((await model.generate(modelRequest())).stopReason).toBe(expected);
	});

	test('the SDK does not retry on its own: one request per failed call', async () => {
		server.load([
			{ kind: 'http-error', status: 529 },
			{ kind: 'http-error', status: 429, headers: { 'retry-after': '0' } },
		]);
		await expect(model.generate(modelRequest())).rejects.toMatchObject({ kind: 'server' });
		await expect(model.generate(modelRequest())).rejects.toMatchObject({ kind: 'rate-limited' });
		expect(server.requests).toHaveLength(2);
	});
});
