import { decisionsFromReply, isChannelReply, type PausedItemJson, type PendingCallView } from '../../lib/resume';

/** What n8n's send-and-wait nodes output (checked in n8n 2.41.1), turned into decisions on the paused items they answer. */

const call = (toolCallId: string, kind: PendingCallView['kind'] = 'approval'): PendingCallView =>
	kind === 'budget'
		? { toolCallId, toolName: 'budget', kind, arguments: {}, inputSchema: {}, spending: { exceeded: 'token_budget', spentTokens: 10, approvals: 0 } }
		: { toolCallId, toolName: kind === 'question' ? 'ask_human' : 'create_ticket', kind, arguments: kind === 'question' ? { question: 'Which printer?' } : { title: 'x' }, inputSchema: {} };

const paused = (runId: string, pending: PendingCallView[]): PausedItemJson => ({
	status: 'paused',
	runId,
	reference: { workflowId: 'w', executionId: 'e', nodeId: 'n', runId, pauseId: `pause-${runId}`, snapshotKey: 'k', snapshotHash: 'h', token: 't' },
	pending,
	lastMessage: '',
	approvalUrl: 'http://localhost/webhook-waiting/e',
	usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
	turns: 1,
	transcript: 'x',
});

const respondedAt = '2026-12-07T10:00:00.000Z';
const now = new Date('2026-12-07T11:00:00.000Z');

describe('send-and-wait replies as decisions', () => {
	it('recognises the three reply shapes, and nothing without respondedAt', () => {
		expect(isChannelReply({ data: { approved: true, respondedAt } })).toBe(true);
		expect(isChannelReply({ data: { text: 'floor 3', respondedAt } })).toBe(true);
		expect(isChannelReply({ data: { Decision: 'Reject', Reason: 'no', respondedAt } })).toBe(true);
		expect(isChannelReply({ data: { approved: true } })).toBe(false);
		expect(isChannelReply({ durableAgentDecision: {} })).toBe(false);
	});

	it('an approval decides every pending call of every paused item it answers, at the time the person responded', () => {
		const items = [paused('a', [call('c1'), call('c2')]), paused('b', [call('c1'), call('budget', 'budget')])];

		const decided = decisionsFromReply({ data: { approved: true, respondedAt } }, items, now);

		expect(decided).toEqual({
			ok: true,
			payloads: [
				{ reference: items[0].reference, decidedAt: respondedAt, decisions: [{ toolCallId: 'c1', decision: 'approve' }, { toolCallId: 'c2', decision: 'approve' }] },
				{ reference: items[1].reference, decidedAt: respondedAt, decisions: [{ toolCallId: 'c1', decision: 'approve' }, { toolCallId: 'budget', decision: 'approve' }] },
			],
		});
	});

	it('a disapproval rejects every call with a reason the model reads', () => {
		const decided = decisionsFromReply({ data: { approved: false, respondedAt } }, [paused('a', [call('c1')])], now);

		expect(decided).toMatchObject({ ok: true, payloads: [{ decisions: [{ toolCallId: 'c1', decision: 'reject', reason: 'Disapproved by the person asked' }] }] });
	});

	it('a free-text reply answers questions, and is refused for calls that need approval (nothing is decided then)', () => {
		const answered = decisionsFromReply({ data: { text: '  The one on floor 3 ', respondedAt } }, [paused('a', [call('q', 'question')])], now);
		const refused = decisionsFromReply({ data: { text: 'yes', respondedAt } }, [paused('a', [call('q', 'question')]), paused('b', [call('c1')])], now);

		expect(answered).toMatchObject({ ok: true, payloads: [{ decisions: [{ toolCallId: 'q', decision: 'answer', answer: 'The one on floor 3' }] }] });
		expect(refused).toEqual({ ok: false, message: expect.stringContaining('create_ticket (c1) needs approval: a Free Text reply only answers questions') });
	});

	it('an approval cannot answer a question', () => {
		const refused = decisionsFromReply({ data: { approved: true, respondedAt } }, [paused('a', [call('q', 'question')])], now);

		expect(refused).toEqual({ ok: false, message: expect.stringContaining('an Approve / Disapprove reply cannot answer it') });
	});

	it('a custom form decides per call (labels "Decision <call id>", "Reason …", "Arguments …", "Answer …") over the form-wide fields', () => {
		const items = [paused('a', [call('c1'), call('c2'), call('q', 'question')])];
		const form = { Decision: 'Approve', 'decision c2': 'Reject', 'Reason c2': 'Too expensive', 'Arguments c1': '{"title":"Edited"}', Answer: 'Floor 3', respondedAt };

		const decided = decisionsFromReply({ data: form }, items, now);

		expect(decided).toMatchObject({
			ok: true,
			payloads: [
				{
					decisions: [
						{ toolCallId: 'c1', decision: 'approve', arguments: { title: 'Edited' } },
						{ toolCallId: 'c2', decision: 'reject', reason: 'Too expensive' },
						{ toolCallId: 'q', decision: 'answer', answer: 'Floor 3' },
					],
				},
			],
		});
	});

	it('a custom form that leaves a call undecided, or says something else than approve or reject, decides nothing', () => {
		const missing = decisionsFromReply({ data: { Reason: 'why', respondedAt } }, [paused('a', [call('c1')])], now);
		const unclear = decisionsFromReply({ data: { Decision: 'maybe', respondedAt } }, [paused('a', [call('c1')])], now);
		const badArguments = decisionsFromReply({ data: { Decision: 'yes', 'Arguments c1': '[1]', respondedAt } }, [paused('a', [call('c1')])], now);

		expect(missing).toEqual({ ok: false, message: expect.stringContaining('no "Decision" field (or "Decision c1")') });
		expect(unclear).toEqual({ ok: false, message: expect.stringContaining('(it says "maybe")') });
		expect(badArguments).toEqual({ ok: false, message: 'The "Arguments c1" field is not a JSON object.' });
	});
});
