import { checkStablePrefixFits, defaultContextPolicy, estimateRequestTokens, estimateTokens } from '../../../lib/engine/context/context-policy';
import type { ToolDefinition } from '../../../lib/engine/model/language-model';
import type { Message } from '../../../lib/engine/model/messages';

const tool = (name: string, description: string): ToolDefinition => ({ name, description, inputSchema: { type: 'object', properties: {} } });

describe('context policy', () => {
	test('defaults for a context window', () => {
		expect(defaultContextPolicy(200_000)).toEqual({
			contextWindowTokens: 200_000,
			keepRecentToolResults: 6,
			shortenedToolResultCharacters: 500,
			largeToolResultCharacters: 20_000,
			summarizeAtFraction: 0.7,
		});
	});

	test.each([0, -5, 1.5, Number.NaN])('a context window of %p is refused with what to set instead', (window) => {
		expect(() => defaultContextPolicy(window)).toThrow(`The context window must be a positive whole number of tokens, got ${window}.`);
	});
});

describe('token estimates', () => {
	test('about four characters per token, rounded up', () => {
		expect(estimateTokens('')).toBe(0);
		expect(estimateTokens('abcd')).toBe(1);
		expect(estimateTokens('abcde')).toBe(2);
		expect(estimateTokens('x'.repeat(4_000))).toBe(1_000);
	});

	test('a request counts its system prompt, tool definitions and every kind of message part', () => {
		const messages: Message[] = [
			{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(400) }] },
			{
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'r'.repeat(40), signature: 'sig' },
					{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { query: 'q'.repeat(100) } },
				],
			},
			{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: 'o'.repeat(800), isError: false }] },
		];
		const tools = [tool('lookup', 'd'.repeat(200))];
		const systemOnly = estimateRequestTokens('s'.repeat(80), [], []);
		const withTools = estimateRequestTokens('s'.repeat(80), [], tools);

		expect(systemOnly).toBe(20);
		expect(withTools - systemOnly).toBe(estimateTokens(JSON.stringify(tools[0])));
		// 100 + 10 + ceil((6 + 112) / 4) + 200: the call is its name and JSON arguments.
		expect(estimateRequestTokens('', messages, [])).toBe(100 + 10 + 30 + 200);
	});
});

describe('checkStablePrefixFits', () => {
	const policy = defaultContextPolicy(1_000);

	test('a prefix within the window passes', () => {
		expect(() => checkStablePrefixFits('Be brief.', [tool('lookup', 'Looks things up.')], policy)).not.toThrow();
	});

	test('instructions and tools larger than the window are refused with what to do', () => {
		const tools = Array.from({ length: 30 }, (_value, index) => tool(`tool_${index}`, 'A tool with a long description. '.repeat(4)));
		expect(() => checkStablePrefixFits('Follow the handbook.', tools, policy)).toThrow(
			/^The instructions and tool definitions alone are about \d+ tokens, more than the context window of 1000 tokens\. Raise the context window setting if the model allows more, shorten the instructions, or connect fewer tools \(30 are connected\)\.$/,
		);
		expect(() => checkStablePrefixFits('x'.repeat(4_004), [], policy)).toThrow('about 1001 tokens');
	});
});
