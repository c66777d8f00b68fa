import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelResponse } from '../../../lib/engine/model/language-model';
import { adaptersUnderTest, modelRequest } from '../../support/llm-server/adapters';
import { providerStreamsDirectory } from '../../support/llm-server/script';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

// Real provider streams (see test/fixtures/provider-streams/README.md) replayed verbatim over HTTP
// through the real adapters. Expected values are read off the fixture files by hand.

type Expected = {
	text?: { startsWith: string; endsWith: string; length: number };
	/** Reasoning the stream carried (DeepSeek's `reasoning_content`), one part. */
	reasoning?: { startsWith: string; endsWith: string; length: number };
	toolCalls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
	stopReason: ModelResponse['stopReason'];
	usage: ModelResponse['usage'];
	modelId: string;
};

const exactText = (text: string) => ({ startsWith: text, endsWith: text, length: text.length });

const expectations: Record<string, Expected> = {
	'anthropic/anthropic-json-tool.1.chunks.txt': {
		toolCalls: [
			{
				toolCallId: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
				toolName: 'json',
				input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
			},
		],
		stopReason: 'tool-calls',
		usage: { inputTokens: 849, outputTokens: 47, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'claude-haiku-4-5-20251001',
	},
	'anthropic/anthropic-text.chunks.txt': {
		text: exactText("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?"),
		toolCalls: [],
		stopReason: 'end-turn',
		usage: { inputTokens: 12, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'claude-sonnet-4-5-20250929',
	},
	'anthropic/anthropic-tool-no-args.chunks.txt': {
		text: exactText("I'll update the issue list for you."),
		toolCalls: [{ toolCallId: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', toolName: 'updateIssueList', input: {} }],
		stopReason: 'tool-calls',
		usage: { inputTokens: 565, outputTokens: 48, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'claude-sonnet-4-5-20250929',
	},
	'openai-compatible/deepseek-text.chunks.txt': {
		text: { startsWith: '## **Holiday Name:** Starlight Remembrance\n\n', endsWith: 'observe 15 minutes of silent looking at', length: 1855 },
		toolCalls: [],
		stopReason: 'max-tokens',
		usage: { inputTokens: 13, outputTokens: 400, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'deepseek-chat',
	},
	'openai-compatible/deepseek-tool-call.chunks.txt': {
		reasoning: { startsWith: 'The user is asking for the weather in San Francisco. I need ', endsWith: 'cation parameter set to "San Francisco".', length: 191 },
		toolCalls: [{ toolCallId: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', toolName: 'weather', input: { location: 'San Francisco' } }],
		stopReason: 'tool-calls',
		// prompt_tokens 339 of which 320 were cache hits.
		usage: { inputTokens: 19, outputTokens: 83, cacheReadTokens: 320, cacheWriteTokens: 0 },
		modelId: 'deepseek-reasoner',
	},
	'openai-compatible/groq-tool-call.chunks.txt': {
		toolCalls: [{ toolCallId: 'tk85n1k4m', toolName: 'weather', input: {} }],
		stopReason: 'tool-calls',
		usage: { inputTokens: 210, outputTokens: 15, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'llama-3.3-70b-versatile',
	},
	'openai-compatible/openai-text.chunks.txt': {
		text: { startsWith: '**Holiday Name:** Harmony Day\n\n', endsWith: 'shared human experiences and mutual respect.', length: 1724 },
		toolCalls: [],
		stopReason: 'end-turn',
		usage: { inputTokens: 16, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 },
		modelId: 'gpt-4.1-nano-2025-04-14',
	},
};

let server: ScriptedLlmServer;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());

test('every recorded stream has expectations here', () => {
	const recorded = ['anthropic', 'openai-compatible'].flatMap((folder) =>
		readdirSync(path.join(providerStreamsDirectory, folder))
			.filter((file) => file.endsWith('.chunks.txt'))
			.map((file) => `${folder}/${file}`),
	);
	expect(Object.keys(expectations).sort()).toEqual(recorded.sort());
});

test.each(Object.entries(expectations))('%s parses into the recorded answer', async (file, expected) => {
	const adapter = adaptersUnderTest[file.startsWith('anthropic/') ? 0 : 1];
	server.load([{ kind: 'recorded', file }]);
	const response = await adapter.create(server).generate(modelRequest());

	const texts = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
	if (expected.text) {
		expect(texts).toHaveLength(1);
		expect(texts[0].startsWith(expected.text.startsWith)).toBe(true);
		expect(texts[0].endsWith(expected.text.endsWith)).toBe(true);
		expect(texts[0]).toHaveLength(expected.text.length);
	} else {
		expect(texts).toEqual([]);
	}
	const reasoning = response.message.content.flatMap((part) => (part.type === 'reasoning' ? [part.text] : []));
	if (expected.reasoning) {
		expect(reasoning).toHaveLength(1);
		expect(reasoning[0].startsWith(expected.reasoning.startsWith)).toBe(true);
		expect(reasoning[0].endsWith(expected.reasoning.endsWith)).toBe(true);
		expect(reasoning[0]).toHaveLength(expected.reasoning.length);
	} else {
		expect(reasoning).toEqual([]);
	}
	const toolCalls = response.message.content.filter((part) => part.type === 'tool-call');
	expect(toolCalls).toEqual(expected.toolCalls.map((call) => ({ type: 'tool-call', ...call })));
	expect(response.stopReason).toBe(expected.stopReason);
	expect(response.usage).toEqual(expected.usage);
	expect(response.modelId).toBe(expected.modelId);
});
