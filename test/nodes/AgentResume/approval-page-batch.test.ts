import { createRunStore } from '../../../lib/storage';
import { runLocationOf } from '../../../lib/resume/decision-records';
import type { DecisionPayload, PausedItemJson } from '../../../lib/resume';
import { approvalCall, pauseAgentRun, startWait } from './support/paused-runs';
import { useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();
/** n8n's signature alone, as on a link n8n 2.14+ signs: it may decide every paused item of the wait. */
const signed = '?signature=n8n-resume-token';

/** The approval page's batch decisions, one-click buttons, refusals that keep the input, and the run's timeline. */

async function threePausedItems(): Promise<PausedItemJson[]> {
	const paused = [
		await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_a')] }),
		await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_b')] }),
		await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_c')] }),
	];
	await startWait(testbed.store, testbed.prefix, paused);
	return paused;
}

const resumedDecisions = () => {
	const [result] = testbed.server.results.slice(-1) as Array<{ workflowData?: Array<Array<{ json: { durableAgentDecision: DecisionPayload } }>> }>;
	return result.workflowData?.[0].map((item) => item.json.durableAgentDecision.decisions);
};

describe('The approval page: deciding several paused items at once', () => {
	it('"Approve all" decides every paused item in one submit', async () => {
		await threePausedItems();

		const response = await testbed.postForm([['all', 'approve']], signed);

		expect(response.status).toBe(200);
		expect(resumedDecisions()).toEqual([[{ toolCallId: 'call_a', decision: 'approve' }], [{ toolCallId: 'call_b', decision: 'approve' }], [{ toolCallId: 'call_c', decision: 'approve' }]]);
	});

	it('"Reject all" gives every call the one reason, while a call\'s own choice and reason override it', async () => {
		await threePausedItems();

		const response = await testbed.postForm([
			['decision:1:call_b', 'approve'],
			['reason:2:call_c', 'Not this one'],
			['allReason', 'Too expensive'],
			['all', 'reject'],
		], signed);

		expect(response.status).toBe(200);
		expect(resumedDecisions()).toEqual([
			[{ toolCallId: 'call_a', decision: 'reject', reason: 'Too expensive' }],
			[{ toolCallId: 'call_b', decision: 'approve' }],
			[{ toolCallId: 'call_c', decision: 'reject', reason: 'Not this one' }],
		]);
	});

	it('a call\'s one-click button overrides its radio choice', async () => {
		const [paused] = [await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_a')] })];
		await startWait(testbed.store, testbed.prefix, [paused]);

		const response = await testbed.postForm([['decision:0:call_a', 'approve'], ['click:0:call_a', 'reject']], signed);

		expect(response.status).toBe(200);
		expect(resumedDecisions()).toEqual([[{ toolCallId: 'call_a', decision: 'reject' }]]);
	});

	it('a refused submit shows the page again with the reason and everything the person typed', async () => {
		await threePausedItems();

		const response = await testbed.postForm([
			['decision:0:call_a', 'edit'],
			['arguments:0:call_a', '{"to": "LISBON", "seats": 2}'],
			['reason:1:call_b', 'typed <b>reason</b>'],
		], signed);
		const page = await response.text();

		expect(response.status).toBe(400);
		expect(page).toContain('Nothing was recorded: please check your decisions');
		expect(page).toContain('value="edit" checked');
		expect(page).toContain('{&quot;to&quot;: &quot;LISBON&quot;, &quot;seats&quot;: 2}</textarea>');
		expect(page).toContain('value="typed &lt;b&gt;reason&lt;/b&gt;"');
		expect(await testbed.keys()).not.toContainEqual(expect.stringContaining('/decisions/'));
	});

	it('shows the run so far above the pending calls, with hostile text kept as text', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const runStore = createRunStore(testbed.store, runLocationOf(testbed.prefix, paused.reference));
		await runStore.appendTurn(1, [
			{ type: 'message', message: { role: 'user', content: [{ type: 'text', text: 'Book <script>alert(1)</script> Lisbon' }] } },
			{ type: 'message', message: { role: 'assistant', content: [{ type: 'text', text: 'Searching.' }, { type: 'tool-call', toolCallId: 'call_search', toolName: 'search_flights', input: { to: 'LIS' } }] } },
			{ type: 'usage', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 }, modelId: 'test-model', usedFallback: false },
		]);
		await runStore.appendTurn(2, [
			{ type: 'message', message: { role: 'user', content: [{ type: 'tool-result', toolCallId: 'call_search', toolName: 'search_flights', output: `TP 1351 "><img src=x onerror=alert(2)> ${'x'.repeat(900)}`, isError: false }] } },
			{ type: 'usage', usage: { inputTokens: 200, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0 }, modelId: 'test-model', usedFallback: false },
		]);
		await startWait(testbed.store, testbed.prefix, [paused]);

		const page = await (await testbed.get(signed, { Accept: 'text/html' })).text();

		expect(page).toContain('The run so far: 2 turns, 350 tokens');
		expect(page).toContain('Book &lt;script&gt;alert(1)&lt;/script&gt; Lisbon');
		expect(page).toContain('search_flights');
		expect(page).toContain('Result (first 600 of');
		expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
		expect(page).not.toContain('<img');
		expect(page).not.toContain('<script');
		expect(page.indexOf('The run so far')).toBeLessThan(page.indexOf('name="decision:0:call_book"'));
	});
});
