import { approvalCall, pauseAgentRun, startWait } from './support/paused-runs';
import { approvalQuery, useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();

describe('the approval page says why a call was held', () => {
	it('shows the rule that held each call, escaped, and nothing for calls paused without a reason', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, {
			pending: [
				{ ...approvalCall('call_big'), reason: 'The approval condition {{ $args.seats > 1 }} is true for these arguments.' },
				{ ...approvalCall('call_odd'), reason: "The approval condition {{ $args.to.endsWith('<b>') }} could not be evaluated: <script>alert(1)</script>." },
				approvalCall('call_old'),
			],
		});
		await startWait(testbed.store, testbed.prefix, [paused]);

		const page = await (await testbed.get(approvalQuery(paused.reference.token), { Accept: 'text/html' })).text();

		expect(page).toContain('<p class="reason">Held because: The approval condition {{ $args.seats &gt; 1 }} is true for these arguments.</p>');
		expect(page).toContain('Held because: The approval condition {{ $args.to.endsWith(&#39;&lt;b&gt;&#39;) }} could not be evaluated: &lt;script&gt;alert(1)&lt;/script&gt;.');
		expect(page).not.toContain('<script>');
		expect(page.match(/class="reason"/g)).toHaveLength(2);
	});
});
