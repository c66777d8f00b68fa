import type { LanguageModel } from '../../../lib/engine/model/language-model';
import type { RequestMessage } from '../../../lib/engine/model/messages';
import { createOpenAICompatibleModel } from '../../../lib/engine/model/openai-compatible-model';
import { modelRequest, weatherTools } from '../../support/llm-server/adapters';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let model: LanguageModel;
beforeAll(async () => {
	server = await startScriptedLlmServer();
	model = createOpenAICompatibleModel({
		apiKey: 'sk-test',
		baseUrl: `${server.openaiBaseUrl}/`,
		headers: { 'HTTP-Referer': 'https://n8n.example' },
		modelId: 'llama-test',
	});
});
afterAll(() => server.close());

const conversation: RequestMessage[] = [
	{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
	{
		role: 'assistant',
		content: [
			{ type: 'reasoning', text: 'Two calls.' },
			{ type: 'text', text: 'Checking both.' },
			{ type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
			{ type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', input: '{"city": "Ro' },
		],
	},
	{
		role: 'user',
		content: [
			{ type: 'text', text: 'Please hurry.' },
			{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 'Sunny, 24°C', isError: false },
			{ type: 'tool-result', toolCallId: 'call_2', toolName: 'get_weather', output: 'Input is not valid JSON', isError: true },
		],
	},
];

describe('OpenAI-compatible adapter: what it sends', () => {
	test('a streaming Chat Completions request with key, extra headers, system prompt, tools and usage', async () => {
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ maxOutputTokens: 2048 }));
		const [request] = server.requests;
		expect(request.path).toBe('/v1/chat/completions');
		expect(request.headers.authorization).toBe('Bearer sk-test');
		expect(request.headers['http-referer']).toBe('https://n8n.example');
		expect(request.body).toMatchObject({ model: 'llama-test', max_tokens: 2048, stream: true, stream_options: { include_usage: true } });
		expect(request.body.messages).toEqual([
			{ role: 'system', content: 'You are a weather assistant.' },
			{ role: 'user', content: 'What is the weather in Paris?' },
		]);
		expect(request.body.tools).toEqual(
			weatherTools.map((tool) => ({
				type: 'function',
				function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
			})),
		);
	});

	test('history: tool calls with JSON arguments, one tool message per result right after them, then the user text', async () => {
		server.load([{ kind: 'reply', text: 'Paris is sunny.' }]);
		await model.generate(modelRequest({ messages: conversation }));
		expect(server.requests[0].body.messages).toEqual([
			{ role: 'system', content: 'You are a weather assistant.' },
			{ role: 'user', content: 'Weather in Paris and Rome?' },
			{
				role: 'assistant',
				content: 'Checking both.',
				// Reasoning of a turn with tool calls goes back (DeepSeek's thinking mode refuses the request without it).
				reasoning_content: 'Two calls.',
				tool_calls: [
					{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
					// Arguments that were not JSON are replayed as {}: servers parse them as an object.
					{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
				],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 24°C' },
			{ role: 'tool', tool_call_id: 'call_2', content: 'Input is not valid JSON' },
			{ role: 'user', content: 'Please hurry.' },
		]);
	});

	test('structured output sends a JSON-schema response format', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		server.load([{ kind: 'reply', text: '{"city":"Paris"}' }]);
		await model.generate(modelRequest({ tools: [], structuredOutput: { name: 'answer', schema } }));
		expect(model.supportsStructuredOutput).toBe(true);
		expect(server.requests[0].body.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'answer', schema, strict: false },
		});
		expect(server.requests[0].body).not.toHaveProperty('tools');
	});
});

describe('OpenAI-compatible adapter: what it reads back', () => {
	test('usage: cached prompt tokens are counted apart from the uncached input', async () => {
		server.load([{ kind: 'reply', text: 'ok', usage: { inputTokens: 40, cacheReadTokens: 960, outputTokens: 12 } }]);
		const response = await model.generate(modelRequest());
		expect(response.usage).toEqual({ inputTokens: 40, outputTokens: 12, cacheReadTokens: 960, cacheWriteTokens: 0 });
	});

	test.each([
		['max-tokens', 'max-tokens'],
		['refusal', 'refusal'],
	] as const)('finish reason for %s maps to %s', async (scripted, expected) => {
		server.load([{ kind: 'reply', text: 'Partial', stopReason: scripted }]);
		expect((await model.generate(modelRequest())).stopReason).toBe(expected);
	});

	test('the model id the server reports is returned', async () => {
		server.load([{ kind: 'reply', text: 'ok', model: 'llama-test-2025-01-01' }]);
		expect((await model.generate(modelRequest())).modelId).toBe('llama-test-2025-01-01');
	});

	test('the SDK does not retry on its own: one request per failed call', async () => {
		server.load([{ kind: 'http-error', status: 503 }]);
		await expect(model.generate(modelRequest())).rejects.toMatchObject({ kind: 'server', status: 503 });
		expect(server.requests).toHaveLength(1);
	});
});
