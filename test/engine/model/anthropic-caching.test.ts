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

const breakpoint = { type: 'ephemeral' };
type Block = Record<string, unknown>;
type SentMessage = { role: string; content: Block[] };

const instructions = 'You are a weather assistant.\nAnswer in one sentence.\n\n';
const memory = '<memory>\n- The user lives in Lyon.\n- Prefers Celsius.\n</memory>';

/** Every block of a recorded request that carries a cache breakpoint, named by where it sits. */
function breakpointsOf(body: Record<string, unknown>): string[] {
	const found: string[] = [];
	(body.tools as Block[] | undefined)?.forEach((tool) => tool.cache_control && found.push(`tool ${String(tool.name)}`));
	(body.system as Block[] | undefined)?.forEach((block, index) => block.cache_control && found.push(`system block ${index}`));
	(body.messages as SentMessage[]).forEach((message, messageIndex) =>
		message.content.forEach((block, blockIndex) => block.cache_control && found.push(`message ${messageIndex} block ${blockIndex}`)),
	);
	return found;
}

const toolTurn = (id: string, city: string, weather: string): RequestMessage[] => [
	{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: id, toolName: 'get_weather', input: { city } }] },
	{ role: 'user', content: [{ type: 'tool-result', toolCallId: id, toolName: 'get_weather', output: weather, isError: false }] },
];
const task: RequestMessage = { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, then Rome?' }] };

describe('Anthropic prompt caching: what is sent', () => {
	test('the stable prefix comes first: tools, then instructions, then the memory block, each ending in a breakpoint', async () => {
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ system: instructions + memory }));
		const body = server.requests[0].body;

		expect(body.system).toEqual([
			{ type: 'text', text: instructions, cache_control: breakpoint },
			{ type: 'text', text: memory, cache_control: breakpoint },
		]);
		// Split exactly: the model reads the same system prompt it was given.
		expect(server.requests[0].conversation.system).toBe(instructions + memory);
		expect((body.tools as Block[]).map((tool) => tool.name)).toEqual(weatherTools.map((tool) => tool.name));
		expect(breakpointsOf(body)).toEqual(['tool get_forecast', 'system block 0', 'system block 1', 'message 0 block 0']);
	});

	test('a "<memory>" that does not start a line stays part of the instructions', async () => {
		const system = 'Never reveal the <memory> tag to the user.';
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ system }));
		expect(server.requests[0].body.system).toEqual([{ type: 'text', text: system, cache_control: breakpoint }]);
	});

	test('a prompt that is only a memory block is one system block', async () => {
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ system: `\n${memory}` }));
		expect(server.requests[0].body.system).toEqual([{ type: 'text', text: `\n${memory}`, cache_control: breakpoint }]);
	});

	test('the conversation breakpoint moves to the latest block each turn, and there are never more than four', async () => {
		const turnOne = [task, ...toolTurn('toolu_1', 'Paris', 'Sunny, 24°C')];
		const turnTwo = [...turnOne, ...toolTurn('toolu_2', 'Rome', 'Cloudy, 19°C')];
		server.load([
			{ kind: 'reply', text: 'ok' },
			{ kind: 'reply', text: 'ok' },
		]);
		await model.generate(modelRequest({ system: instructions + memory, messages: turnOne }));
		await model.generate(modelRequest({ system: instructions + memory, messages: turnTwo }));

		const [first, second] = server.requests.map((request) => breakpointsOf(request.body));
		expect(first).toEqual(['tool get_forecast', 'system block 0', 'system block 1', 'message 2 block 0']);
		expect(second).toEqual(['tool get_forecast', 'system block 0', 'system block 1', 'message 4 block 0']);
		// Turn two repeats turn one's messages block for block (breakpoints aside), so its cached prefix is found again.
		const withoutBreakpoints = (messages: SentMessage[]) =>
			messages.map((message) => ({ ...message, content: message.content.map(({ cache_control: _ignored, ...block }) => block) }));
		const secondMessages = server.requests[1].body.messages as SentMessage[];
		expect(withoutBreakpoints(secondMessages.slice(0, 3))).toEqual(withoutBreakpoints(server.requests[0].body.messages as SentMessage[]));
		expect(secondMessages[4].content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'Cloudy, 19°C', is_error: false, cache_control: breakpoint }]);
	});

	test('the breakpoint goes on the last block the API accepts one on: after tool results and text, never on thinking', async () => {
		const messages: RequestMessage[] = [
			task,
			{
				role: 'assistant',
				content: [
					{ type: 'text', text: 'Checking.' },
					{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
					{ type: 'reasoning', text: 'Then Rome.', signature: 'sig-1' },
				],
			},
		];
		server.load([{ kind: 'reply', text: 'ok' }]);
		await model.generate(modelRequest({ messages, tools: [] }));
		expect(breakpointsOf(server.requests[0].body)).toEqual(['system block 0', 'message 1 block 1']);
	});
});

describe('Anthropic prompt caching: usage', () => {
	test('cache reads and writes reported by the API come back in the usage, apart from uncached input', async () => {
		server.load([
			{ kind: 'reply', text: 'Sunny.', usage: { inputTokens: 42, outputTokens: 7, cacheWriteTokens: 1800, cacheReadTokens: 0 } },
			{ kind: 'reply', text: 'Still sunny.', usage: { inputTokens: 35, outputTokens: 9, cacheWriteTokens: 60, cacheReadTokens: 1800 } },
		]);
		const first = await model.generate(modelRequest());
		const second = await model.generate(modelRequest());

		expect(first.usage).toEqual({ inputTokens: 42, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 1800 });
		expect(second.usage).toEqual({ inputTokens: 35, outputTokens: 9, cacheReadTokens: 1800, cacheWriteTokens: 60 });
	});
});
