import { createRunStore } from '../../../lib/storage';
import { runLocationOf } from '../../../lib/resume/decision-records';
import type { PausedItemJson } from '../../../lib/resume';
import { systemResumeDeps } from '../../../nodes/AgentResume/resume-deps';
import { approvalCall, pauseAgentRun, startWait } from './support/paused-runs';
import { approvalQuery, useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();
/** n8n's signature alone, as on the link n8n 2.14+ signs: the same for every wait of the execution. */
const signed = '?signature=n8n-resume-token';

/**
 * The page a person gets after the decision that resumes the execution: the thanks at once, then
 * what became of the run — paused again (with the new pause's form), ended, or still working.
 */

async function waitingOn(toolCallId: string, extra: Partial<PausedItemJson> = {}): Promise<PausedItemJson> {
	const paused = { ...(await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall(toolCallId)] })), ...extra };
	await startWait(testbed.store, testbed.prefix, [paused]);
	return paused;
}

/** What the agent's continuation does while the page watches: after `delayMs`, `step` runs. */
function later(delayMs: number, step: () => Promise<unknown>): Promise<unknown> {
	return new Promise((resolve, reject) => setTimeout(() => void step().then(resolve, reject), delayMs));
}

describe('The page after the last decision', () => {
	it('announces a second pause of the execution and offers its decisions on the same page', async () => {
		await waitingOn('call_first');
		const pausedAgain = later(150, async () => await waitingOn('call_second', { pauseNumber: 2, costUsd: 0.0042, lastMessage: 'Now the <b>hotel</b>.' }));

		const response = await testbed.postForm([['click:0:call_first', 'approve']], signed);
		const page = await response.text();
		await pausedAgain;

		expect(response.status).toBe(200);
		expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(page.indexOf('Thanks — the agent continues')).toBeLessThan(page.indexOf('The agent paused again and needs you'));
		expect(page).toContain('went on and paused again in this execution (pause 2 of its run)');
		expect(page).toContain('This run paused again: this is its pause 2.');
		expect(page).toContain('<form method="post">');
		expect(page).toContain('name="click:0:call_second"');
		expect(page).toContain('Now the &lt;b&gt;hotel&lt;/b&gt;.');
		expect(page).not.toContain('name="token"');
		expect(page.trimEnd().endsWith('</html>')).toBe(true);
	});

	it('to a request bound by one pause\'s token, announces the second pause without offering it', async () => {
		const first = await waitingOn('call_first');
		const pausedAgain = later(150, async () => await waitingOn('call_second', { pauseNumber: 2 }));

		const page = await (await testbed.postForm([['click:0:call_first', 'approve']], approvalQuery(first.reference.token))).text();
		await pausedAgain;

		expect(page).toContain('The agent paused again and needs you');
		expect(page).toContain('The new pause has its own approval link');
		expect(page).not.toContain('call_second');
	});

	it('says the agent finished when every continued run ended, and what n8n answers on the link from then on', async () => {
		const paused = await waitingOn('call_first');
		const runStore = createRunStore(testbed.store, runLocationOf(testbed.prefix, paused.reference));
		const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
		const finished = later(150, async () => await runStore.writeRunRecord({ runId: paused.runId, status: 'done', turns: 2, usage, endedAt: new Date().toISOString() }));

		const page = await (await testbed.postForm([['click:0:call_first', 'approve']], signed)).text();
		await finished;

		expect(page).toContain('The agent has finished');
		expect(page).toContain('The run finished with its answer.');
		expect(page).toContain("This link stops working when the workflow's execution ends.");
		expect(page).toContain('has finished already');
	});

	it('while the run is still working when the watch ends, links back to the same URL for what it asks next', async () => {
		await waitingOn('call_first');
		testbed.deps = { ...systemResumeDeps, afterDecisionWatch: { timeoutMs: 300, intervalMs: 50 } };
		const started = Date.now();

		const page = await (await testbed.postForm([['click:0:call_first', 'approve']], signed)).text();

		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(page).toContain('This page waits up to 1 second');
		expect(page).toContain('The agent is still working');
		expect(page).toContain('<a href="">check for a new question or approval</a>');
		expect(page).toContain('is running already');
	});

	it('answers a program at once, without watching', async () => {
		await waitingOn('call_first');
		testbed.deps = { ...systemResumeDeps, afterDecisionWatch: { timeoutMs: 60_000, intervalMs: 50 } };

		const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_first', decision: 'approve' }] }, { query: signed });

		expect(await response.json()).toEqual({ status: 'resumed', items: 1 });
	});
});

describe('The approval page of a run that paused again', () => {
	it('says which pause of the run it is, and shows the estimated cost so far beside the tokens', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		await createRunStore(testbed.store, runLocationOf(testbed.prefix, paused.reference)).appendTurn(1, [
			{ type: 'message', message: { role: 'user', content: [{ type: 'text', text: 'Book Lisbon' }] } },
			{ type: 'usage', usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 }, modelId: 'test-model', usedFallback: false },
		]);
		await startWait(testbed.store, testbed.prefix, [{ ...paused, pauseNumber: 3, costUsd: 0.01234 }]);

		const page = await (await testbed.get(signed, { Accept: 'text/html' })).text();

		expect(page).toContain('This run paused again: this is its pause 3.');
		expect(page).toContain('The run so far: 1 turn, 1,500 tokens, estimated cost $0.0123');
	});

	it('shows no notice on a first pause, and no cost when the model has no price', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		await createRunStore(testbed.store, runLocationOf(testbed.prefix, paused.reference)).appendTurn(1, [
			{ type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 }, modelId: 'test-model', usedFallback: false },
		]);
		await startWait(testbed.store, testbed.prefix, [{ ...paused, pauseNumber: 1 }]);

		const page = await (await testbed.get(signed, { Accept: 'text/html' })).text();

		expect(page).toContain('The run so far: 1 turn, 15 tokens</summary>');
		expect(page).not.toContain('paused again');
	});
});
