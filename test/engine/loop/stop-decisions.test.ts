import { offeredToolDefinitions } from '../../../lib/engine/context/offered-tools';
import { storedOutputNote } from '../../../lib/engine/context/stored-output-note';
import { readTurnEnding } from '../../../lib/engine/loop/turn-ending';
import { withUniqueToolCallIds } from '../../../lib/engine/loop/unique-tool-call-ids';
import type { StopReason, ToolDefinition } from '../../../lib/engine/model/language-model';
import type { AssistantMessage, Message } from '../../../lib/engine/model/messages';
import { ModelCallError } from '../../../lib/engine/model/model-error';
import { isStructuredOutputRejection } from '../../../lib/engine/output/structured-output-rejection';

const assistant = (...content: AssistantMessage['content']): AssistantMessage => ({ role: 'assistant', content });
const call = (toolCallId: string, input: unknown = {}) => ({ type: 'tool-call' as const, toolCallId, toolName: 'get_weather', input });
const ending = (message: AssistantMessage, stopReason: StopReason, stopDetails?: string) => readTurnEnding({ message, stopReason, stopDetails });

describe('readTurnEnding: every stop reason lands in one defined case', () => {
	test('a refusal is a refusal whatever came before it, tool calls included', () => {
		expect(ending(assistant({ type: 'text', text: 'Sure, here' }, call('c1')), 'refusal', 'category: cyber')).toEqual({ kind: 'refused', partialText: 'Sure, here', details: 'category: cyber' });
	});

	test('tool calls cut off by the output-token limit mark the last call', () => {
		const message = assistant(call('c1', { city: 'Paris' }), call('c2', '{"city": "Ly'));
		expect(ending(message, 'max-tokens')).toEqual({ kind: 'tool-calls', calls: [call('c1', { city: 'Paris' }), call('c2', '{"city": "Ly')], cutOffCall: call('c2', '{"city": "Ly') });
		expect(ending(message, 'tool-calls')).toEqual({ kind: 'tool-calls', calls: message.content });
	});

	test.each<StopReason>(['end-turn', 'other'])('no text but whitespace and no calls is empty (%s)', (stopReason) => {
		expect(ending(assistant(), stopReason)).toEqual({ kind: 'empty' });
		expect(ending(assistant({ type: 'text', text: ' \n' }, { type: 'reasoning', text: 'thinking' }), stopReason)).toEqual({ kind: 'empty' });
	});

	test('a cut-off answer is never empty: it goes on', () => {
		expect(ending(assistant(), 'max-tokens')).toEqual({ kind: 'answer', text: '', cutOff: true });
		expect(ending(assistant({ type: 'text', text: 'Half an ans' }), 'max-tokens')).toEqual({ kind: 'answer', text: 'Half an ans', cutOff: true });
	});
});

describe('withUniqueToolCallIds', () => {
	test('renames repeats within the answer and against earlier turns, and leaves unique ids alone', () => {
		const earlier: Message[] = [assistant(call('call_0')), { role: 'user', content: [{ type: 'tool-result', toolCallId: 'call_0', toolName: 'get_weather', output: 'ok', isError: false }] }];
		const renamed = withUniqueToolCallIds(assistant({ type: 'text', text: 'Again.' }, call('call_0'), call('call_0'), call('call_1')), earlier);
		expect(renamed.content).toEqual([{ type: 'text', text: 'Again.' }, call('call_0_2'), call('call_0_3'), call('call_1')]);
	});

	test('returns the same message when every id is unique', () => {
		const message = assistant(call('a'), call('b'));
		expect(withUniqueToolCallIds(message, [])).toBe(message);
	});
});

describe('offeredToolDefinitions', () => {
	const definitions: ToolDefinition[] = [
		{ name: 'fetch_page', description: 'Fetch', inputSchema: { type: 'object' } },
		{ name: 'read_tool_output', description: 'Read back', inputSchema: { type: 'object' } },
	];

	test('offers read_tool_output only once a result in the messages carries a stored-output note (as a resumed run’s snapshot holds them)', () => {
		const plain: Message[] = [{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'fetch_page', output: 'short', isError: false }] }];
		expect(offeredToolDefinitions(definitions, plain).map((tool) => tool.name)).toEqual(['fetch_page']);

		const note = storedOutputNote({ reference: 'c2', totalCharacters: 50_000 }, 2_000);
		const stored: Message[] = [...plain, { role: 'user', content: [{ type: 'tool-result', toolCallId: 'c2', toolName: 'fetch_page', output: `preview\n${note}`, isError: false }] }];
		expect(offeredToolDefinitions(definitions, stored).map((tool) => tool.name)).toEqual(['fetch_page', 'read_tool_output']);
	});
});

describe('isStructuredOutputRejection', () => {
	test.each([
		["The OpenAI-compatible API rejected the request (400): 'response_format' of type 'json_schema' is not supported", true],
		['The Anthropic API rejected the request (400): output_config: Extra inputs are not permitted', true],
		['The Anthropic API rejected the request (400): max_tokens: must be at most 8192', false],
	])('%s → %s', (message, expected) => {
		expect(isStructuredOutputRejection(new ModelCallError('bad-request', message, { status: 400 }))).toBe(expected);
	});

	test('only a bad request: a server error that names the format is retried as usual', () => {
		expect(isStructuredOutputRejection(new ModelCallError('server', 'response_format handler crashed', { status: 500 }))).toBe(false);
	});
});
