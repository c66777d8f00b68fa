import { runLocationOf } from '../../../lib/resume/decision-records';
import { decisionKey } from '../../../lib/storage/keys';
import { waitForApprovals } from './support/paused-runs';
import { approvalQuery, errorOf, useResumeTestbed } from './support/resume-testbed';

/**
 * A write-once record that cannot be read (two writers interleaved on a store that ignored "only if
 * absent", or an edit outside n8n) reads the same way every time. The webhook says so, names the
 * object, and never answers 503 "send the same request again", which could never succeed.
 */

const testbed = useResumeTestbed();

/** What two interleaved writes of a decision leave: neither JSON object whole. */
const interleaved = '{"reference":{"workflowId":"workflow-1"},"decisions":[{"toolCallId":"call_book","decision":"appr{"reference":';

describe('the waiting webhook when a decision record is unreadable', () => {
	it('answers 500 record_unreadable naming the object, the same on every try, and does not ask for a retry', async () => {
		const paused = await waitForApprovals(testbed.store, testbed.prefix, 'call_book');
		const key = decisionKey(runLocationOf(testbed.prefix, paused.reference), paused.reference.pauseId);
		await testbed.store.put(key, interleaved);

		const answers = [];
		for (let attempt = 0; attempt < 2; attempt++) {
			const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });
			answers.push({ status: response.status, error: await errorOf(response) });
		}

		for (const { status, error } of answers) {
			expect(status).toBe(500);
			expect(error.code).toBe('record_unreadable');
			expect(error.message).toContain('is not valid JSON');
			expect(error.message).toContain('Sending this request again will not help');
			expect(error.message).not.toMatch(/send the same request again/i);
			expect(error.details).toEqual([`Object: ${key}`]);
		}
		expect(testbed.server.results.filter((result) => result.workflowData !== undefined)).toEqual([]);
		expect(String(await testbed.store.get(key))).toBe(interleaved);
	});

	it('shows the same error instead of the approval page', async () => {
		const paused = await waitForApprovals(testbed.store, testbed.prefix, 'call_book');
		await testbed.store.put(decisionKey(runLocationOf(testbed.prefix, paused.reference), paused.reference.pauseId), '{"decisions": "not a list"}');

		const response = await testbed.get(approvalQuery(paused.reference.token), { Accept: 'text/html' });

		expect(response.status).toBe(500);
		const page = await response.text();
		expect(page).toContain('record_unreadable');
		expect(page).toContain('is not a decision record');
	});
});
