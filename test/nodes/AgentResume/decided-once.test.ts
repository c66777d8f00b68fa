import { decisionField, type PausedItemJson } from '../../../lib/resume';
import { runLocationOf } from '../../../lib/resume/decision-records';
import { decisionKey, resumeClaimKey } from '../../../lib/storage/keys';
import { approvalCall, pauseAgentRun, questionCall, resumeNodeLocation, startWait, waitForApprovals } from './support/paused-runs';
import { approvalQuery, errorOf, useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();

const waitFor = (...pending: string[]) => waitForApprovals(testbed.store, testbed.prefix, ...pending);

const decisionKeyOf = (paused: PausedItemJson) => decisionKey(runLocationOf(testbed.prefix, paused.reference), paused.reference.pauseId);

describe('POST on the waiting webhook: each paused item is decided once, and the execution resumes once', () => {
	it('refuses a replayed decision with 409 and changes nothing', async () => {
		const paused = await waitFor('call_book');
		const request = { decisions: [{ toolCallId: 'call_book', decision: 'reject', reason: 'No' }] };
		expect((await testbed.postJson(request, { query: approvalQuery(paused.reference.token) })).status).toBe(200);
		const record = await testbed.store.get(decisionKeyOf(paused));

		const replay = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });

		expect(replay.status).toBe(409);
		expect((await errorOf(replay)).message).toContain('already decided');
		expect(await testbed.store.get(decisionKeyOf(paused))).toEqual(record);
		expect(testbed.server.results.filter((result) => result.workflowData !== undefined)).toHaveLength(1);
	});

	it('lets exactly one of several concurrent decisions on the same item through; the others get 409', async () => {
		const paused = await waitFor('call_book');

		const responses = await Promise.all(
			[0, 1, 2, 3, 4].map(async (index) => await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'reject', reason: `reason ${index}` }] }, { query: approvalQuery(paused.reference.token) })),
		);

		const statuses = responses.map((response) => response.status);
		expect(statuses.filter((status) => status === 200)).toHaveLength(1);
		expect(statuses.filter((status) => status === 409)).toHaveLength(4);
		const winner = statuses.indexOf(200);
		const record = JSON.parse(String(await testbed.store.get(decisionKeyOf(paused))));
		expect(record.decisions).toEqual([{ toolCallId: 'call_book', decision: 'reject', reason: `reason ${winner}` }]);
		const resumed = testbed.server.results.filter((result) => result.workflowData !== undefined);
		expect(resumed).toHaveLength(1);
		expect(resumed[0].workflowData?.[0][0].json[decisionField]).toEqual(record);
	});

	it('waits for every paused item: the first decision gets 202, the last resumes with all items in order', async () => {
		const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const seat = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [questionCall('call_ask', 'Window or aisle?')] });
		const wait = await startWait(testbed.store, testbed.prefix, [flight, seat]);

		const first = await testbed.postJson({ decisions: [{ toolCallId: 'call_ask', decision: 'answer', answer: 'Aisle' }] }, { query: approvalQuery(seat.reference.token) });
		expect(first.status).toBe(202);
		expect(await first.json()).toEqual({ status: 'recorded', waitingFor: 1 });
		expect(testbed.server.results).toEqual([{ noWebhookResponse: true }]);
		expect(await testbed.store.get(resumeClaimKey(resumeNodeLocation(testbed.prefix), wait.waitId))).toBeUndefined();

		const second = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(flight.reference.token) });

		expect(second.status).toBe(200);
		expect(await second.json()).toEqual({ status: 'resumed', items: 2 });
		const items = testbed.server.results[1].workflowData?.[0] ?? [];
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items.map((item) => item.json[decisionField])).toEqual([
			expect.objectContaining({ reference: flight.reference, decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }),
			expect.objectContaining({ reference: seat.reference, decisions: [{ toolCallId: 'call_ask', decision: 'answer', answer: 'Aisle' }] }),
		]);
		expect(await testbed.store.get(resumeClaimKey(resumeNodeLocation(testbed.prefix), wait.waitId))).toBeDefined();
	});

	it('decides a tool call id that several paused items share for the item the token or, on n8n’s signed URL alone, the form names', async () => {
		// Some OpenAI-compatible servers number tool calls per response ("call_0"), so ids repeat across runs.
		const first = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_0')] });
		const second = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_0')] });
		await startWait(testbed.store, testbed.prefix, [first, second]);

		const byToken = await testbed.postJson({ decisions: [{ toolCallId: 'call_0', decision: 'reject', reason: 'second' }] }, { query: approvalQuery(second.reference.token) });
		expect(byToken.status).toBe(202);
		expect(await testbed.store.get(decisionKeyOf(first))).toBeUndefined();
		expect(JSON.parse(String(await testbed.store.get(decisionKeyOf(second)))).decisions).toEqual([{ toolCallId: 'call_0', decision: 'reject', reason: 'second' }]);

		const byForm = await testbed.postForm([['decision:0:call_0', 'approve']], '?signature=n8n-resume-token');

		expect(byForm.status).toBe(200);
		expect((testbed.server.results[1].workflowData?.[0] ?? []).map((item) => item.json[decisionField])).toEqual([
			expect.objectContaining({ reference: first.reference, decisions: [{ toolCallId: 'call_0', decision: 'approve' }] }),
			expect.objectContaining({ reference: second.reference, decisions: [{ toolCallId: 'call_0', decision: 'reject', reason: 'second' }] }),
		]);
	});

	it('tells a browser how many items are still open after a partial decision', async () => {
		const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const hotel = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_hotel')] });
		await startWait(testbed.store, testbed.prefix, [flight, hotel]);

		const response = await testbed.postForm([
			['token', flight.reference.token],
			['decision:0:call_book', 'reject'],
			['reason:0:call_book', 'Use the train'],
		]);

		expect(response.status).toBe(202);
		expect(await response.text()).toContain('1 paused item is still waiting for a decision.');
	});
});
