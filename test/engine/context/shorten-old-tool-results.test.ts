import { defaultContextPolicy } from '../../../lib/engine/context/context-policy';
import { shortenOldToolResults } from '../../../lib/engine/context/shorten-old-tool-results';
import { findStoredOutputNote, storedOutputNote } from '../../../lib/engine/context/stored-output-note';
import type { Message } from '../../../lib/engine/model/messages';
import { assistantText, callAndResultIds, resultOutputs, toolTurn, userText } from './conversation';

const policy = { ...defaultContextPolicy(200_000), keepRecentToolResults: 2, shortenedToolResultCharacters: 20 };
const page = (turn: number) => `Page ${turn}: ${'lorem ipsum '.repeat(20)}`;

/** A task and `turns` tool turns with one long result each. */
const conversation = (turns: number): Message[] => [userText('Summarise the site.'), ...Array.from({ length: turns }, (_value, index) => toolTurn(index + 1, [page(index + 1)])).flat()];

describe('shortenOldToolResults', () => {
	test('keeps the latest results whole and cuts older ones, saying so', () => {
		const messages = conversation(4);
		const outputs = resultOutputs(shortenOldToolResults(messages, policy));

		expect(outputs.slice(2)).toEqual([page(3), page(4)]);
		for (const [index, output] of outputs.slice(0, 2).entries()) {
			expect(output).toBe(
				`${page(index + 1).slice(0, 20)}\n[Shortened to save context: the first 20 of ${page(index + 1).length} characters of this older result are shown.]`,
			);
		}
	});

	test('returns new messages and leaves the run\'s own messages complete', () => {
		const messages = conversation(4);
		const before = structuredClone(messages);
		const view = shortenOldToolResults(messages, policy);

		expect(messages).toEqual(before);
		expect(view).not.toBe(messages);
		expect(view).toHaveLength(messages.length);
	});

	test('every tool call keeps its result, in the same messages and order', () => {
		const messages = [...conversation(3), ...toolTurn(4, [page(41), page(42), page(43)]), assistantText('Done.')];
		const view = shortenOldToolResults(messages, policy);

		expect(callAndResultIds(view)).toEqual(callAndResultIds(messages));
		expect(view.map((message) => [message.role, message.content.length])).toEqual(messages.map((message) => [message.role, message.content.length]));
		// Recent is counted per result, not per turn: the last turn's two latest results stay whole.
		expect(resultOutputs(view).slice(-3)).toEqual([expect.stringContaining('[Shortened'), page(42), page(43)]);
	});

	test('leaves results that are already short, and user text, untouched', () => {
		const messages: Message[] = [userText(`Task: ${'x'.repeat(100)}`), ...toolTurn(1, ['ok']), ...toolTurn(2, ['a bit more than twenty']), ...toolTurn(3, [page(3)]), ...toolTurn(4, [page(4)])];
		const view = shortenOldToolResults(messages, policy);

		expect(view[0]).toBe(messages[0]);
		// A result only a little over the limit would grow by its marker, so it stays as it is.
		expect(resultOutputs(view).slice(0, 2)).toEqual(['ok', 'a bit more than twenty']);
	});

	test('an older stored result still tells the model how to read it back', () => {
		const stored = { reference: 'call_1_1', totalCharacters: 50_000 };
		const offloaded = `${'A'.repeat(2_000)}\n${storedOutputNote(stored, 2_000)}`;
		const messages = [userText('Go.'), ...toolTurn(1, [offloaded]), ...toolTurn(2, [page(2)]), ...toolTurn(3, [page(3)]), ...toolTurn(4, [page(4)])];
		const [shortened] = resultOutputs(shortenOldToolResults(messages, policy));

		expect(shortened).toBe(`${'A'.repeat(20)}\n${storedOutputNote(stored, 20)}`);
		expect(findStoredOutputNote(shortened)).toEqual(stored);
		expect(shortened).toContain('read_tool_output, reference "call_1_1", offset 20');
	});

	test('cuts older results a batch at a time, so the start of the conversation stays the same for several turns', () => {
		const shortenedCount = (turns: number) => resultOutputs(shortenOldToolResults(conversation(turns), policy)).filter((output) => output.includes('[Shortened')).length;

		// keepRecentToolResults 2: results are cut two at a time, never leaving fewer than two whole.
		expect([2, 3, 4, 5, 6, 7].map(shortenedCount)).toEqual([0, 0, 2, 2, 4, 4]);
		const five = shortenOldToolResults(conversation(5), policy);
		const four = shortenOldToolResults(conversation(4), policy);
		expect(five.slice(0, four.length - 1)).toEqual(four.slice(0, four.length - 1));
	});

	test('keepRecentToolResults 0 shortens every long result; a larger count than there are results shortens none', () => {
		const messages = conversation(3);
		expect(resultOutputs(shortenOldToolResults(messages, { ...policy, keepRecentToolResults: 0 })).every((output) => output.includes('[Shortened'))).toBe(true);
		expect(shortenOldToolResults(messages, { ...policy, keepRecentToolResults: 10 })).toEqual(messages);
	});

	test('never cuts an emoji in half', () => {
		const output = `${'a'.repeat(19)}😀${'b'.repeat(100)}`;
		const messages = [userText('Go.'), ...toolTurn(1, [output]), ...toolTurn(2, [page(2)]), ...toolTurn(3, [page(3)]), ...toolTurn(4, [page(4)])];
		const [shortened] = resultOutputs(shortenOldToolResults(messages, policy));

		expect(shortened.startsWith(`${'a'.repeat(19)}\n`)).toBe(true);
		// encodeURIComponent refuses text with half a surrogate pair.
		expect(() => encodeURIComponent(shortened)).not.toThrow();
	});
});
