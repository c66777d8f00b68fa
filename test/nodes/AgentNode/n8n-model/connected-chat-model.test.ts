import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';

import { runAgent, type AgentSpec, type EngineDeps, type LanguageModel, type Tool } from '../../../../lib/engine';
import { createConnectedChatModel } from '../../../../nodes/AgentNode/n8n-model/connected-chat-model';
import type { LangChainChatModel } from '../../../../nodes/AgentNode/n8n-model/langchain-shapes';
import { recordingRunStore } from '../../../support/recording-run-store';
import { startScriptedLlmServer, type ScriptedLlmServer, type Step } from '../../../support/scripted-llm-server';

/**
 * A chat model from an n8n Chat Model sub-node — the LangChain classes n8n 2.41's OpenAI and
 * Anthropic sub-nodes supply — driving the engine against the scripted server on each wire format:
 * tool calls, JSON output, usage, stop reasons and errors behave as with the built-in providers.
 */

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
afterEach(() => {
	expect(server.expectationFailures).toEqual([]);
});

type SubNodeUnderTest = { wire: string; nodeType: string; create(): LangChainChatModel };

const subNodes: SubNodeUnderTest[] = [
	{
		wire: 'Chat Completions (lmChatOpenAi)',
		nodeType: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		create: () => new ChatOpenAI({ apiKey: 'test-openai-key', model: 'gpt-test', maxRetries: 0, configuration: { baseURL: server.openaiBaseUrl } }) as unknown as LangChainChatModel,
	},
	{
		wire: 'Anthropic (lmChatAnthropic)',
		nodeType: '@n8n/n8n-nodes-langchain.lmChatAnthropic',
		create: () => new ChatAnthropic({ apiKey: 'test-anthropic-key', model: 'claude-test', maxRetries: 0, anthropicApiUrl: server.anthropicBaseUrl }) as unknown as LangChainChatModel,
	},
];

const weatherCalls: unknown[] = [];
const weatherTool: Tool = {
	name: 'get_weather',
	description: 'The weather in a city',
	inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	concurrencySafe: true,
	async execute(input) {
		weatherCalls.push(input);
		return `rainy in ${(input as { city: string }).city}`;
	},
};

function spec(model: LanguageModel, overrides: Partial<AgentSpec> = {}): AgentSpec {
	return {
		model,
		instructions: 'Be brief.',
		tools: [weatherTool],
		output: { type: 'text' },
		limits: { maxTurns: 6, toolConcurrency: 2, maxOutputTokensPerTurn: 200 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		...overrides,
	};
}

function deps(): EngineDeps {
	let ids = 0;
	return { store: recordingRunStore(), now: () => Date.parse('2026-12-07T10:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => `id-${++ids}` };
}

async function run(model: LanguageModel, steps: Step[], overrides: Partial<AgentSpec> = {}) {
	server.load(steps);
	return await runAgent(spec(model, overrides), { runId: 'run-1', task: 'Weather in Paris?' }, deps());
}

beforeEach(() => {
	weatherCalls.length = 0;
});

describe.each(subNodes)('a connected chat model on $wire', (subNode) => {
	const model = () => createConnectedChatModel(subNode.create(), { nodeType: subNode.nodeType, nodeName: 'Chat Model' });

	it('names the sub-node type and model, so a paused run is not continued under another model', () => {
		expect(model()).toMatchObject({ provider: 'connected', modelId: `${subNode.nodeType}:${subNode.wire.startsWith('Anthropic') ? 'claude-test' : 'gpt-test'}`, supportsStructuredOutput: false });
	});

	it('calls tools, returns each result under its call id, and answers with usage', async () => {
		const outcome = await run(model(), [
			{ kind: 'reply', text: 'Checking.', toolCalls: [{ id: 'call_paris', name: 'get_weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 30, outputTokens: 8 }, expect: { toolNames: ['get_weather'], systemIncludes: 'Be brief.' } },
			{ kind: 'reply', text: 'It is rainy in Paris.', usage: { inputTokens: 50, outputTokens: 6 }, expect: { toolResults: [{ toolCallId: 'call_paris', outputIncludes: 'rainy in Paris' }] } },
		]);

		expect(outcome).toMatchObject({ status: 'done', output: 'It is rainy in Paris.', turns: 2, usage: { inputTokens: 80, outputTokens: 14 } });
		expect(weatherCalls).toEqual([{ city: 'Paris' }]);
	});

	it('holds JSON output to the schema with a repair turn', async () => {
		const outcome = await run(
			model(),
			[
				{ kind: 'reply', text: '{"city": 42}' },
				{ kind: 'reply', text: '{"city": "Paris"}', expect: { lastUserTextIncludes: 'city' } },
			],
			{ tools: [], output: { type: 'json', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, repairTurns: 1 } },
		);

		expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' }, turns: 2 });
		expect(server.requests[0].body).not.toHaveProperty('response_format');
	});

	it('reads a refusal as model_refused', async () => {
		const outcome = await run(model(), [{ kind: 'reply', stopReason: 'refusal', refusal: { category: 'cyber', explanation: 'Not this.' } }]);

		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_refused' } });
	});

	it('continues an answer cut off by the output-token limit', async () => {
		const outcome = await run(model(), [
			{ kind: 'reply', text: 'It is rai', stopReason: 'max-tokens' },
			{ kind: 'reply', text: 'ny in Paris.' },
		]);

		expect(outcome).toMatchObject({ status: 'done', output: 'It is rainy in Paris.', turns: 2 });
	});

	it('fails with model_auth when the sub-node’s key is refused, and model_rate_limited after a 429', async () => {
		const outcome = await run(model(), [{ kind: 'http-error', status: 401, message: 'invalid x-api-key' }]);

		expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_auth', message: expect.stringContaining('"Chat Model"') } });

		const limited = await run(model(), [{ kind: 'http-error', status: 429, headers: { 'retry-after': '1' }, message: 'Slow down' }]);
		expect(limited).toMatchObject({ status: 'failed', error: { code: 'model_rate_limited', message: expect.stringContaining('Slow down') } });
	});

	it('estimates usage when the model reports none, so budgets still hold', async () => {
		const outcome = await run(model(), [{ kind: 'reply', text: 'It is rainy in Paris.', omitUsage: true }], { tools: [] });

		expect(outcome).toMatchObject({ status: 'done', usage: { estimated: true } });
		expect(outcome.usage.inputTokens).toBeGreaterThan(0);
	});
});

it('refuses tools for a chat model that cannot call them, saying what to connect', async () => {
	const plain: LangChainChatModel = { invoke: async () => ({ content: 'hi' }), model: 'plain-model' };
	const outcome = await run(createConnectedChatModel(plain, { nodeType: 'x.lmPlain', nodeName: 'Plain Model' }), []);

	expect(outcome).toMatchObject({ status: 'failed', error: { code: 'model_bad_request', message: expect.stringContaining('cannot call tools') } });
});
