import { createAnthropicModel } from '../../../lib/engine/model/anthropic-model';
import type { LanguageModel, ModelRequest, ToolDefinition } from '../../../lib/engine/model/language-model';
import { createOpenAICompatibleModel } from '../../../lib/engine/model/openai-compatible-model';
import type { ScriptedLlmServer } from '../scripted-llm-server';

type AdapterOptions = { modelId?: string; apiKey?: string; timeoutMs?: number };

/** One model adapter pointed at the scripted server, so a test can run on both wire formats. */
export type AdapterUnderTest = {
	wire: 'Anthropic' | 'Chat Completions';
	create(server: Pick<ScriptedLlmServer, 'anthropicBaseUrl' | 'openaiBaseUrl'>, options?: AdapterOptions): LanguageModel;
	/** The same adapter pointed at an arbitrary base URL (e.g. a port nothing listens on). */
	createAt(baseUrl: string): LanguageModel;
};

export const adaptersUnderTest: AdapterUnderTest[] = [
	{
		wire: 'Anthropic',
		create: (server, options = {}) =>
			createAnthropicModel({
				apiKey: options.apiKey ?? 'test-anthropic-key',
				baseUrl: server.anthropicBaseUrl,
				modelId: options.modelId ?? 'claude-test',
				timeoutMs: options.timeoutMs,
			}),
		createAt: (baseUrl) => createAnthropicModel({ apiKey: 'test-anthropic-key', baseUrl, modelId: 'claude-test' }),
	},
	{
		wire: 'Chat Completions',
		create: (server, options = {}) =>
			createOpenAICompatibleModel({
				apiKey: options.apiKey ?? 'test-openai-key',
				baseUrl: server.openaiBaseUrl,
				modelId: options.modelId ?? 'gpt-test',
				timeoutMs: options.timeoutMs,
			}),
		createAt: (baseUrl) => createOpenAICompatibleModel({ apiKey: 'test-openai-key', baseUrl, modelId: 'gpt-test' }),
	},
];

export const weatherTools: ToolDefinition[] = [
	{
		name: 'get_weather',
		description: 'Current weather for a city.',
		inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
	{
		name: 'get_forecast',
		description: 'Weather forecast for a city.',
		inputSchema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'number' } }, required: ['city'] },
	},
];

/** A request with a weather question; override any field. */
export const modelRequest = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
	system: 'You are a weather assistant.',
	messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] }],
	tools: weatherTools,
	maxOutputTokens: 1024,
	signal: new AbortController().signal,
	...overrides,
});
