import { signApprovalToken } from '../../../lib/resume';
import { loadSigningSecret } from '../../../lib/storage';
import { approvalCall, pauseAgentRun, questionCall, startWait } from './support/paused-runs';
import { approvalQuery, errorOf, useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();


describe('GET on the waiting webhook: the approval page', () => {
	it('shows the workflow, the node, each call with pretty-printed arguments and the agent’s last message, and keeps waiting', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, {
			pending: [approvalCall('call_book', { to: 'LIS', seats: 2 }), questionCall('call_ask', 'Window or aisle?')],
			lastMessage: 'Found TP 1351 at 09:40.',
		});
		await startWait(testbed.store, testbed.prefix, [paused]);
		const keysBefore = await testbed.keys();

		const response = await testbed.get(approvalQuery(paused.reference.token), { Accept: 'text/html' });
		const page = await response.text();

		expect(response.status).toBe(200);
		expect(page).toContain('Travel &lt;bookings&gt; &amp; &quot;approvals&quot;');
		expect(page).toContain('Wait for approval');
		expect(page).toContain('Found TP 1351 at 09:40.');
		expect(page).toContain('<pre>{\n  &quot;to&quot;: &quot;LIS&quot;,\n  &quot;seats&quot;: 2\n}</pre>');
		expect(page).toContain('name="decision:0:call_book" value="approve"');
		expect(page).toContain('name="decision:0:call_book" value="reject"');
		expect(page).toContain('name="reason:0:call_book"');
		expect(page).toContain('<textarea name="arguments:0:call_book"');
		expect(page).toContain('Window or aisle?');
		expect(page).toContain('<textarea name="answer:0:call_ask"');
		expect(page).toContain(`<input type="hidden" name="token" value="${paused.reference.token}">`);
		expect(page).toMatch(/<form method="post">/);
		expect(testbed.server.results).toEqual([{ noWebhookResponse: true }]);
		expect(await testbed.keys()).toEqual(keysBefore);
	});

	it('sends a strict Content-Security-Policy and no-leak headers, and the page loads nothing from anywhere', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		await startWait(testbed.store, testbed.prefix, [paused]);

		const response = await testbed.get(approvalQuery(paused.reference.token));
		const page = await response.text();

		const policy = response.headers.get('content-security-policy') ?? '';
		expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('no-referrer');
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(page).not.toMatch(/<script|<link|<img|<iframe|src=|href="http/i);
		expect(page).not.toMatch(/ style=/);
	});

	it('escapes hostile tool arguments, messages and questions so none of them becomes markup', async () => {
		const hostile = {
			to: '<script>alert(1)</script>',
			note: '"><img src=x onerror=alert(2)>',
			quote: "it's a \"quoted\" </textarea><b>bold</b>",
		};
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, {
			pending: [approvalCall('call_<b>"x"</b>', hostile), questionCall('call_q', '</div><script>alert(3)</script>')],
			lastMessage: '<script>alert(4)</script> & "done"',
		});
		await startWait(testbed.store, testbed.prefix, [paused]);

		const page = await (await testbed.get(approvalQuery(paused.reference.token))).text();

		expect(page).not.toContain('<script');
		expect(page).not.toContain('<img');
		expect(page).not.toContain('<b>');
		expect(page).not.toContain('</textarea><b>');
		expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
		expect(page).toContain('it&#39;s a \\&quot;quoted\\&quot; &lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;');
		expect(page).toContain('&lt;/div&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
		expect(page).toContain('&lt;script&gt;alert(4)&lt;/script&gt; &amp; &quot;done&quot;');
		expect(page).toContain('name="decision:0:call_&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
	});

	it('shows a 2 MB argument in full in a scrollable box and says it is too large to edit on the page', async () => {
		const blob = 'x'.repeat(2_000_000);
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_big', { to: 'LIS', seats: 1, attachment: blob })] });
		await startWait(testbed.store, testbed.prefix, [paused]);

		const response = await testbed.get(approvalQuery(paused.reference.token));
		const page = await response.text();

		expect(response.status).toBe(200);
		expect(page).toContain(`&quot;attachment&quot;: &quot;${blob}&quot;`);
		expect(page).toContain('too large to edit here');
		expect(page).not.toContain('name="arguments:0:call_big"');
		expect(page).toContain('name="decision:0:call_big" value="approve"');
	});

	it('shows items already decided as decided, without form controls, next to the ones still open', async () => {
		const first = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_first')] });
		const second = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_second')] });
		await startWait(testbed.store, testbed.prefix, [first, second]);
		const decided = await testbed.postJson({ decisions: [{ toolCallId: 'call_first', decision: 'reject', reason: 'Too <expensive>' }] }, { query: approvalQuery(first.reference.token) });
		expect(decided.status).toBe(202);

		const page = await (await testbed.get(approvalQuery(second.reference.token))).text();

		expect(page).toContain('rejected: Too &lt;expensive&gt;');
		expect(page).not.toContain('name="decision:0:call_first"');
		expect(page).toContain('name="decision:1:call_second"');
	});

	it('opens with n8n’s signed resume URL alone (n8n ≥ 2.14 checked the signature), its form deciding every paused item with no token of one item', async () => {
		const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const hotel = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_hotel')] });
		await startWait(testbed.store, testbed.prefix, [flight, hotel]);

		const response = await testbed.get('?signature=n8n-resume-token', { accept: 'text/html' });
		const page = await response.text();

		expect(response.status).toBe(200);
		expect(page).not.toContain('name="token"');
		expect(page).toContain('name="decision:0:call_book"');
		expect(page).toContain('name="decision:1:call_hotel"');
		expect(testbed.server.results).toEqual([{ noWebhookResponse: true }]);

		const decided = await testbed.postForm(
			[
				['decision:0:call_book', 'approve'],
				['decision:1:call_hotel', 'reject'],
			],
			'?signature=n8n-resume-token',
		);
		expect(decided.status).toBe(200);
	});

	it('opened with one paused item’s token, offers that item only and says the others have links of their own', async () => {
		const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		const hotel = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_hotel')] });
		await startWait(testbed.store, testbed.prefix, [flight, hotel]);

		const page = await (await testbed.get(approvalQuery(hotel.reference.token))).text();

		expect(page).toContain(`<input type="hidden" name="token" value="${hotel.reference.token}">`);
		expect(page).toContain('name="decision:1:call_hotel"');
		expect(page).not.toContain('name="decision:0:call_book"');
		expect(page).toContain('Decided through its own approval link.');

		expect((await testbed.postForm([['token', hotel.reference.token], ['decision:1:call_hotel', 'approve']])).status).toBe(202);
		const decidedPage = await (await testbed.get(approvalQuery(hotel.reference.token))).text();
		expect(decidedPage).toContain('This paused item has a decision. The others are decided through their own approval links.');
		expect(decidedPage).not.toContain('<form');
	});

	describe('refuses the page, in the format the caller reads, and keeps waiting', () => {
		it('without a token and without n8n’s signature: 403', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			await startWait(testbed.store, testbed.prefix, [paused]);

			const response = await testbed.get('');

			expect(response.status).toBe(403);
			expect(await response.json()).toEqual({ error: { code: 'token_missing', message: expect.stringContaining('approval token is missing') } });
			expect(testbed.server.results).toEqual([{ noWebhookResponse: true }]);
		});

		it.each([
			['forged (signature changed)', (token: string) => `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`],
			['malformed', () => 'not-a-token'],
			['cut short', (token: string) => token.split('.')[0]],
		])('with a %s token: 403', async (_label, mangle) => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			await startWait(testbed.store, testbed.prefix, [paused]);

			const response = await testbed.get(approvalQuery(mangle(paused.reference.token)));

			expect(response.status).toBe(403);
			expect((await errorOf(response)).code).toBe('token_invalid');
		});

		it('with a token signed for another execution: 403', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			await startWait(testbed.store, testbed.prefix, [paused]);
			const secret = await loadSigningSecret(testbed.store, testbed.prefix);
			const otherExecution = signApprovalToken(secret, {
				executionId: 'execution-other',
				runId: paused.reference.runId,
				pauseId: paused.reference.pauseId,
				snapshotHash: paused.reference.snapshotHash,
			});

			const response = await testbed.get(approvalQuery(otherExecution));

			expect(response.status).toBe(403);
		});

		it('with an expired token: 410', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')], tokenExpiresAt: Date.now() - 1000 });
			await startWait(testbed.store, testbed.prefix, [paused]);

			const response = await testbed.get(approvalQuery(paused.reference.token));

			expect(response.status).toBe(410);
			expect((await errorOf(response)).code).toBe('token_expired');
		});

		it('with the link of an earlier pause of this execution: 409, already decided or replaced', async () => {
			const earlier = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_earlier')] });
			const current = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_now')] });
			await startWait(testbed.store, testbed.prefix, [current]);

			const response = await testbed.get(approvalQuery(earlier.reference.token));

			expect(response.status).toBe(409);
			expect(await response.json()).toEqual({
				error: { code: 'pause_replaced', message: expect.stringContaining('already decided or replaced') },
			});
		});

		it('as an HTML page for browsers', async () => {
			const response = await testbed.get(approvalQuery('<script>x</script>'), { Accept: 'text/html' });
			const page = await response.text();

			expect(response.status).toBe(404);
			expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
			expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
			expect(page).toContain('Nothing is waiting for a decision here');
			expect(page).toContain('wait_not_found');
		});

		it('when the time limit has passed: 410', async () => {
			const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			await startWait(testbed.store, testbed.prefix, [paused], { expiresAt: new Date(Date.now() - 1000).toISOString() });

			const response = await testbed.get(approvalQuery(paused.reference.token));

			expect(response.status).toBe(410);
			expect((await errorOf(response)).code).toBe('wait_expired');
		});
	});
});
