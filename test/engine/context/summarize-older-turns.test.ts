import { defaultContextPolicy, estimateRequestTokens, type ContextPolicy } from '../../../lib/engine/context/context-policy';
import { requestView, type SummaryState } from '../../../lib/engine/context/request-view';
import { shortenOldToolResults } from '../../../lib/engine/context/shorten-old-tool-results';
import { summarizeOlderTurns, summaryMaxOutputTokens, type SummarizeInput } from '../../../lib/engine/context/summarize-older-turns';
import { summaryInstructions } from '../../../lib/engine/context/summary-prompt';
import type { ToolDefinition } from '../../../lib/engine/model/language-model';
import type { Message } from '../../../lib/engine/model/messages';
import { fakeModel, textReply } from '../../support/fake-model';
import { assistantText, toolTurn, userText } from './conversation';

const system = 'You research websites and report what you find.';
const tools: ToolDefinition[] = [{ name: 'fetch_page', description: 'Fetches a page.', inputSchema: { type: 'object', properties: { page: { type: 'string' } } } }];
// 12 000 tokens of window: the threshold (70 %) is reached after about a dozen 2 000-character results.
const policy: ContextPolicy = defaultContextPolicy(12_000);
const signal = new AbortController().signal;

const page = (turn: number) => `Page ${turn} says: ${'the quick brown fox jumps over the lazy dog. '.repeat(44)}`;
const conversation = (turns: number): Message[] => [userText('Research the site and list every product.'), ...Array.from({ length: turns }, (_value, index) => toolTurn(index + 1, [page(index + 1)])).flat()];
const input = (messages: Message[], summary?: SummaryState): SummarizeInput => ({ system, tools, messages, summary, policy });

/**
 * What providers require of a conversation: it opens with a user message, roles alternate, and every
 * tool result answers a call of the assistant message right before it (and every call is answered).
 */
function expectProviderValid(messages: readonly Message[]): void {
	expect(messages[0].role).toBe('user');
	messages.forEach((message, index) => {
		if (index > 0) expect(message.role).not.toBe(messages[index - 1].role);
		const resultIds = message.content.flatMap((part) => (part.type === 'tool-result' ? [part.toolCallId] : []));
		const previous = messages[index - 1];
		const callIds = previous?.role === 'assistant' ? previous.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : [])) : [];
		if (message.role === 'user') expect(resultIds).toEqual(callIds);
	});
}

const viewTokens = (messages: Message[], summary: SummaryState) => estimateRequestTokens(system, shortenOldToolResults(requestView(messages, summary), policy), tools);

describe('summarizeOlderTurns', () => {
	test('below the threshold nothing happens and the model is not called', async () => {
		const model = fakeModel([]);
		expect(await summarizeOlderTurns(input(conversation(3)), { model, signal })).toBeUndefined();
		expect(model.requests).toHaveLength(0);
	});

	test('above it, one call without tools summarises the older turns; the new view is valid and well under the threshold', async () => {
		const messages = conversation(60);
		expect(estimateRequestTokens(system, shortenOldToolResults(messages, policy), tools)).toBeGreaterThan(policy.summarizeAtFraction * policy.contextWindowTokens);
		const model = fakeModel([textReply('Pages 1 to 20 list products A to T.', { input: 900, output: 40 })]);

		const result = await summarizeOlderTurns(input(messages), { model, signal });

		expect(result).toEqual({ summary: 'Pages 1 to 20 list products A to T.', summarizedMessageCount: expect.any(Number), usage: { inputTokens: 900, outputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0 } });
		const [request] = model.requests;
		expect(request).toMatchObject({ system: summaryInstructions, tools: [], maxOutputTokens: summaryMaxOutputTokens, signal });
		expect(request.messages).toHaveLength(1);
		const summarised = (request.messages[0].content[0] as { text: string }).text;
		expect(summarised).toContain('[user]: Research the site and list every product.');
		expect(summarised).toContain('[assistant called fetch_page, call call_1_1]: {"page":"1.1"}');
		expect(summarised).toContain('[result of fetch_page, call call_1_1]: Page 1 says:');
		expect(summarised).not.toContain('<previous-summary>');

		const state = { text: result!.summary, summarizedMessageCount: result!.summarizedMessageCount };
		const view = requestView(messages, state);
		expectProviderValid(view);
		expect(view[0].content[0]).toEqual({ type: 'text', text: expect.stringContaining('<summary>\nPages 1 to 20 list products A to T.\n</summary>') });
		// The latest exchange is always kept whole.
		expect(view.slice(-2)).toEqual(messages.slice(-2));
		expect(viewTokens(messages, state)).toBeLessThanOrEqual((policy.summarizeAtFraction * policy.contextWindowTokens) / 2);
	});

	test('later, the previous summary and only the turns after it are folded into a new summary', async () => {
		const first = fakeModel([textReply('Summary one.')]);
		const firstResult = (await summarizeOlderTurns(input(conversation(60)), { model: first, signal }))!;
		const summary: SummaryState = { text: firstResult.summary, summarizedMessageCount: firstResult.summarizedMessageCount };

		const grown = conversation(62);
		expect(await summarizeOlderTurns(input(grown, summary), { model: fakeModel([]), signal })).toBeUndefined();

		const longer = conversation(120);
		const second = fakeModel([textReply('Summary two.')]);
		const secondResult = (await summarizeOlderTurns(input(longer, summary), { model: second, signal }))!;

		expect(secondResult.summarizedMessageCount).toBeGreaterThan(summary.summarizedMessageCount);
		const summarised = (second.requests[0].messages[0].content[0] as { text: string }).text;
		expect(summarised.startsWith('<previous-summary>\nSummary one.\n</previous-summary>')).toBe(true);
		expect(summarised).not.toContain('Research the site');
		expect(summarised).toContain(`[assistant called fetch_page`);
		expectProviderValid(requestView(longer, { text: secondResult.summary, summarizedMessageCount: secondResult.summarizedMessageCount }));
	});

	test('never cuts between a tool call and its result, whatever the conversation looks like', async () => {
		// Several calls per turn, text answers and repair requests between tool turns.
		const mixed: Message[] = [userText('Go.')];
		for (let turn = 1; turn <= 40; turn += 1) {
			if (turn % 7 === 0) mixed.push(assistantText(page(turn)), userText('Answer in JSON.'));
			else mixed.push(...toolTurn(turn, turn % 3 === 0 ? [page(turn), page(turn + 100), page(turn + 200)] : [page(turn)]));
		}
		const shapes: Message[][] = [
			mixed,
			// Tool turns only, so the only cuts are at assistant messages.
			conversation(60),
			// The conversation ends with a call still waiting for its result (a pause).
			conversation(60).slice(0, -1),
			// The latest message is a repair request.
			[...conversation(60), assistantText('Not JSON.'), userText('Answer in JSON.')],
		];
		for (const messages of shapes) {
			const result = (await summarizeOlderTurns(input(messages), { model: fakeModel([textReply('Summary.')]), signal }))!;
			expect(result).toBeDefined();
			const view = requestView(messages, { text: result.summary, summarizedMessageCount: result.summarizedMessageCount });
			expectProviderValid(view);
			expect(view.at(-1)).toEqual(messages.at(-1));
		}
	});

	test('nothing is summarised when only the latest exchange is large, or when there is no exchange yet', async () => {
		const largeLatest = [userText('Read the page.'), ...toolTurn(1, ['z'.repeat(40_000)])];
		expect(await summarizeOlderTurns(input(largeLatest), { model: fakeModel([]), signal })).toBeUndefined();
		expect(await summarizeOlderTurns(input([userText('z'.repeat(40_000))]), { model: fakeModel([]), signal })).toBeUndefined();
	});

	test('an empty summary or a failed call is an error, not a silently lost context', async () => {
		await expect(summarizeOlderTurns(input(conversation(60)), { model: fakeModel([textReply('  ')]), signal })).rejects.toThrow(
			"The model 'fake-model' returned an empty summary of the run's older turns (stop reason: end-turn)",
		);
		await expect(summarizeOlderTurns(input(conversation(60)), { model: fakeModel([new Error('overloaded')]), signal })).rejects.toThrow('overloaded');
	});
});

describe('requestView', () => {
	const messages = [userText('Task.'), ...toolTurn(1, ['one']), assistantText('Interim answer.'), userText('Now in JSON please.'), ...toolTurn(2, ['two'])];

	test('without a summary it is the messages as they are', () => {
		expect(requestView(messages, undefined)).toEqual(messages);
	});

	test('a summary ending before an assistant message opens the view as its own user message', () => {
		const view = requestView(messages, { text: 'Did step one.', summarizedMessageCount: 3 });
		expect(view).toEqual([{ role: 'user', content: [{ type: 'text', text: expect.stringContaining('Did step one.') }] }, ...messages.slice(3)]);
		expectProviderValid(view);
	});

	test('a summary ending before a user message joins it, so roles still alternate', () => {
		const view = requestView(messages, { text: 'Did step one.', summarizedMessageCount: 4 });
		expect(view[0]).toEqual({ role: 'user', content: [{ type: 'text', text: expect.stringContaining('Did step one.') }, ...messages[4].content] });
		expect(view.slice(1)).toEqual(messages.slice(5));
		expectProviderValid(view);
	});

	test('a stored summary count that would orphan tool results is refused', () => {
		expect(() => requestView(messages, { text: 'Bad.', summarizedMessageCount: 2 })).toThrow('would separate tool results from their calls');
	});
});
