import { episodeFromOutcome } from '../../../lib/engine/memory';
import type { Message } from '../../../lib/engine/model/messages';
import { emptyUsage } from '../../../lib/engine/model/messages';

const summary = { runId: 'run-1', turns: 2, usage: emptyUsage(), transcript: 'memory://t/' };
const messages: Message[] = [
	{ role: 'user', content: [{ type: 'text', text: 'Find the price' }] },
	{
		role: 'assistant',
		content: [
			{ type: 'tool-call', toolCallId: 'a', toolName: 'http_request', input: {} },
			{ type: 'tool-call', toolCallId: 'b', toolName: 'think', input: {} },
		],
	},
	{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'http_request', output: 'ok', isError: false }] },
	{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'http_request', input: {} }] },
];

describe('episodeFromOutcome', () => {
	it('takes a JSON answer as text and the tools in order of first use', () => {
		expect(episodeFromOutcome('Find the price', { ...summary, status: 'done', output: { price: 12 }, answeredBy: { modelId: 'claude-test', usedFallback: false } }, messages)).toEqual({
			runId: 'run-1',
			task: 'Find the price',
			status: 'done',
			answer: '{"price":12}',
			toolsUsed: ['http_request', 'think'],
		});
	});

	it('takes the failure code and message as the error', () => {
		expect(episodeFromOutcome('t', { ...summary, status: 'failed', error: { code: 'max_turns', message: 'Used all 2 turns.' } }, [])).toEqual({
			runId: 'run-1',
			task: 't',
			status: 'failed',
			error: 'max_turns: Used all 2 turns.',
			toolsUsed: [],
		});
	});
});
