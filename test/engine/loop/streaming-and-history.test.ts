import { runAgent, type AgentSpec, type EngineDeps, type Tool } from '../../../lib/engine';
import type { Message } from '../../../lib/engine/model/messages';
import { adaptersUnderTest } from '../../support/llm-server/adapters';
import { recordingRunStore, type RecordingRunStore } from '../../support/recording-run-store';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

// A chat: earlier messages of the session come before the task, and a text answer streams out as
// the model writes it, turn by turn, through the real SDKs on both wire formats.

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
afterEach(() => {
	expect(server.expectationFailures).toEqual([]);
	expect(server.remainingSteps()).toBe(0);
});

function deps(store: RecordingRunStore, streamed?: string[]): EngineDeps {
	let ids = 0;
	return {
		store,
		now: () => Date.parse('2026-12-07T10:00:00Z'),
		sleep: async () => undefined,
		random: () => 0.5,
		newId: () => `id-${++ids}`,
		...(streamed ? { streamText: (delta: string) => streamed.push(delta) } : {}),
	};
}

const history: Message[] = [
	{ role: 'user', content: [{ type: 'text', text: 'My name is Ada.' }] },
	{ role: 'assistant', content: [{ type: 'text', text: 'Hello Ada!' }] },
];

describe.each(adaptersUnderTest)('$wire: chat history and streaming', (adapter) => {
	const spec = (overrides: Partial<AgentSpec> = {}): AgentSpec => ({
		model: adapter.create(server),
		instructions: 'Be brief.',
		tools: [],
		output: { type: 'text' },
		limits: { maxTurns: 4, toolConcurrency: 1, maxOutputTokensPerTurn: 200 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
		...overrides,
	});

	it('puts the session’s earlier messages before the task, in the request and the transcript', async () => {
		server.load([{ kind: 'reply', text: 'Your name is Ada.', expect: { messageCount: 3, lastUserTextIncludes: 'What is my name?' } }]);
		const store = recordingRunStore();

		const outcome = await runAgent(spec(), { runId: 'run-1', task: 'What is my name?', history }, deps(store));

		expect(outcome).toMatchObject({ status: 'done', output: 'Your name is Ada.' });
		expect(server.requests[0].conversation.messages.map((message) => [message.role, message.text])).toEqual([
			['user', 'My name is Ada.'],
			['assistant', 'Hello Ada!'],
			['user', 'What is my name?'],
		]);
		const stored = [...store.turns.values()].flat().flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
		expect(stored.slice(0, 3)).toEqual([...history, { role: 'user', content: [{ type: 'text', text: 'What is my name?' }] }]);
	});

	it('streams a text answer in pieces as it arrives', async () => {
		server.load([{ kind: 'reply', text: 'It is raining in Paris today, take an umbrella.' }]);
		const streamed: string[] = [];

		const outcome = await runAgent(spec(), { runId: 'run-1', task: 'Weather?' }, deps(recordingRunStore(), streamed));

		expect(outcome).toMatchObject({ status: 'done', output: 'It is raining in Paris today, take an umbrella.' });
		expect(streamed.length).toBeGreaterThan(1);
		expect(streamed.join('')).toBe('It is raining in Paris today, take an umbrella.');
	});

	it('sets the text of separate turns apart, and joins an answer continued after the output-token limit', async () => {
		const tool: Tool = {
			name: 'get_weather',
			description: 'The weather in a city',
			inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
			concurrencySafe: true,
			readOnly: true,
			execute: async () => 'sunny',
		};
		server.load([
			{ kind: 'reply', text: 'Let me check.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
			{ kind: 'reply', text: 'It is sun', stopReason: 'max-tokens' },
			{ kind: 'reply', text: 'ny in Paris.' },
		]);
		const streamed: string[] = [];

		const outcome = await runAgent(spec({ tools: [tool] }), { runId: 'run-1', task: 'Weather?' }, deps(recordingRunStore(), streamed));

		expect(outcome).toMatchObject({ status: 'done', output: 'It is sunny in Paris.' });
		expect(streamed.join('')).toBe('Let me check.\n\nIt is sunny in Paris.');
	});

	it('streams nothing for JSON output, whose raw text is no reply', async () => {
		server.load([{ kind: 'reply', text: '{"city":"Paris"}' }]);
		const streamed: string[] = [];

		const outcome = await runAgent(
			spec({ output: { type: 'json', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, repairTurns: 0 } }),
			{ runId: 'run-1', task: 'City?' },
			deps(recordingRunStore(), streamed),
		);

		expect(outcome).toMatchObject({ status: 'done', output: { city: 'Paris' } });
		expect(streamed).toEqual([]);
	});
});
