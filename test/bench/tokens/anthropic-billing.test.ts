import {
	anthropicCacheRules,
	billedInputTokens,
	createPromptCache,
	parseBilledRequest,
	promptBlocks,
	type PromptBlock,
} from '../../../bench/tokens/anthropic-billing';

// The tokens benchmark is only as honest as this bill: these cases pin the caching rules it claims.
const block = (name: string, tokens: number, breakpoint = false): PromptBlock => ({ canonical: name, tokens, breakpoint });
const cachingOn = () => createPromptCache({ ...anthropicCacheRules, caching: true });
const minute = 60_000;

describe('the simulated Anthropic bill', () => {
	const prefix = [block('tools', 300), block('instructions', 1_200, true)];

	it('bills every token as plain input when caching is off', () => {
		const cache = createPromptCache({ ...anthropicCacheRules, caching: false });
		const request = [...prefix, block('task', 50, true)];
		expect(cache.bill(request, 0)).toEqual({ inputTokens: 1_550, cacheReadTokens: 0, cacheWriteTokens: 0 });
		expect(cache.bill(request, 1)).toEqual({ inputTokens: 1_550, cacheReadTokens: 0, cacheWriteTokens: 0 });
	});

	it('writes up to the last breakpoint, then reads that prefix back and writes only what is new', () => {
		const cache = cachingOn();
		const first = [...prefix, block('task', 50, true), block('after the breakpoint', 10)];
		expect(cache.bill(first, 0)).toEqual({ inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 1_550 });
		// The next turn moves the breakpoint to its latest message; the earlier breakpoint's prefix is found by looking back.
		const second = [...prefix, block('task', 50), block('after the breakpoint', 10), block('tool result', 400, true)];
		expect(cache.bill(second, minute)).toEqual({ inputTokens: 0, cacheReadTokens: 1_550, cacheWriteTokens: 410 });
	});

	it('reads only the prefix that is still identical when an earlier block changed', () => {
		const cache = cachingOn();
		cache.bill([...prefix, block('result 1 in full', 2_000), block('result 2', 500, true)], 0);
		const billing = cache.bill([...prefix, block('result 1 shortened', 100), block('result 2', 500), block('result 3', 500, true)], minute);
		expect(billing).toEqual({ inputTokens: 0, cacheReadTokens: 1_500, cacheWriteTokens: 1_100 });
	});

	it('caches no prefix shorter than the minimum', () => {
		const cache = cachingOn();
		const short = [block('tools', 300, true), block('task', 200, true)];
		expect(cache.bill(short, 0)).toEqual({ inputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 });
		expect(cache.bill(short, 1)).toEqual({ inputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 });
	});

	it('forgets a prefix five minutes after it was last used', () => {
		const cache = cachingOn();
		cache.bill(prefix, 0);
		expect(cache.bill(prefix, 4 * minute).cacheReadTokens).toBe(1_500);
		expect(cache.bill(prefix, 8 * minute).cacheReadTokens).toBe(1_500);
		expect(cache.bill(prefix, 14 * minute).cacheReadTokens).toBe(0);
	});

	it('looks back at most twenty blocks from a breakpoint', () => {
		const cache = cachingOn();
		const written = [block('system', 1_100, true)];
		cache.bill(written, 0);
		const messages = Array.from({ length: 20 }, (_, index) => block(`message ${index}`, 10));
		expect(cache.bill([block('system', 1_100), ...messages.slice(0, 19), block('last', 10, true)], minute).cacheReadTokens).toBe(1_100);
		expect(cache.bill([block('system', 1_100), ...messages, block('last', 10, true)], minute).cacheReadTokens).toBe(0);
	});

	it('prices cache writes at 1.25× and cache reads at 0.1× the input price', () => {
		expect(billedInputTokens({ inputTokens: 100, cacheWriteTokens: 1_000, cacheReadTokens: 10_000 })).toBe(100 + 1_250 + 1_000);
	});
});

describe('a Messages API request as billed blocks', () => {
	const request = (breakpointOnLatest: boolean) =>
		parseBilledRequest({
			model: 'claude',
			tools: [{ name: 'lookup', description: 'Looks up.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
			system: [{ type: 'text', text: 'Be careful.', cache_control: { type: 'ephemeral' } }],
			messages: [
				{ role: 'user', content: 'Check the pipeline.' },
				{ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }] },
				{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok', ...(breakpointOnLatest ? { cache_control: { type: 'ephemeral' } } : {}) }] },
			],
		});

	it('lists tools, system blocks and message blocks in order, marking the breakpoints', () => {
		const blocks = promptBlocks(request(true));
		expect(blocks.map((promptBlock) => promptBlock.breakpoint)).toEqual([true, true, false, false, true]);
		expect(blocks[2].canonical).toBe(JSON.stringify({ role: 'user', block: { type: 'text', text: 'Check the pipeline.' } }));
		for (const promptBlock of blocks) expect(promptBlock.tokens).toBe(Math.ceil(promptBlock.canonical.length / 4));
	});

	it('identifies a block by its content, not by where the breakpoints are', () => {
		expect(promptBlocks(request(false)).map((promptBlock) => promptBlock.canonical)).toEqual(promptBlocks(request(true)).map((promptBlock) => promptBlock.canonical));
	});

	it('reads a cache_control at the top of the request (automatic caching) as a breakpoint on its last block', () => {
		const automatic = parseBilledRequest({ ...request(false), cache_control: { type: 'ephemeral', ttl: '5m' } });
		expect(promptBlocks(automatic).map((promptBlock) => promptBlock.breakpoint)).toEqual([true, true, false, false, true]);
		expect(promptBlocks(automatic).map((promptBlock) => promptBlock.canonical)).toEqual(promptBlocks(request(false)).map((promptBlock) => promptBlock.canonical));
	});

	it('refuses a body that is not a Messages API request', () => {
		expect(() => parseBilledRequest({ prompt: 'hello' })).toThrow(/Not a Messages API request/);
	});
});
