import { decisionField, type PausedItemJson } from '../../../lib/resume';
import { runLocationOf, writeDecisionRecord } from '../../../lib/resume/decision-records';
import { decisionKey, snapshotKey } from '../../../lib/storage/keys';
import { approvalCall, pauseAgentRun, questionCall, startWait, waitForApprovals } from './support/paused-runs';
import { approvalQuery, errorOf, useResumeTestbed } from './support/resume-testbed';

const testbed = useResumeTestbed();

const waitFor = (...pending: string[]) => waitForApprovals(testbed.store, testbed.prefix, ...pending);

const decisionKeyOf = (paused: PausedItemJson) => decisionKey(runLocationOf(testbed.prefix, paused.reference), paused.reference.pauseId);

describe('POST on the waiting webhook: recording decisions', () => {
	it('resumes the execution with one decision item when an API client approves', async () => {
		const paused = await waitFor('call_book');

		const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'resumed', items: 1 });
		const [result] = testbed.server.results;
		expect(result.workflowData).toEqual([
			[
				{
					json: { [decisionField]: { reference: paused.reference, decisions: [{ toolCallId: 'call_book', decision: 'approve' }], decidedAt: expect.any(String) } },
					pairedItem: { item: 0 },
				},
			],
		]);
		const record = JSON.parse(String(await testbed.store.get(decisionKeyOf(paused))));
		expect(record).toEqual(result.workflowData?.[0][0].json[decisionField]);
	});

	it('takes the token from the JSON body as well as from the URL', async () => {
		const paused = await waitFor('call_book');

		const response = await testbed.postJson({ token: paused.reference.token, decisions: [{ toolCallId: 'call_book', decision: 'reject', reason: 'Too early' }] }, { query: '?signature=n8n-resume-token' });

		expect(response.status).toBe(200);
		expect(testbed.server.results[0].workflowData?.[0][0].json[decisionField]).toMatchObject({ decisions: [{ toolCallId: 'call_book', decision: 'reject', reason: 'Too early' }] });
	});

	it('accepts the page’s form with edited arguments and thanks the person', async () => {
		const paused = await waitFor('call_book');

		const response = await testbed.postForm(
			[
				['token', paused.reference.token],
				['decision:0:call_book', 'edit'],
				['reason:0:call_book', ''],
				['arguments:0:call_book', '{\n  "to": "OPO",\n  "seats": 1\n}'],
			],
			'?signature=n8n-resume-token',
		);

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await response.text()).toContain('Thanks — the agent continues');
		expect(testbed.server.results[0].workflowData?.[0][0].json[decisionField]).toMatchObject({
			decisions: [{ toolCallId: 'call_book', decision: 'approve', arguments: { to: 'OPO', seats: 1 } }],
		});
	});

	it('refuses edited arguments that fail the tool’s input schema with 400, naming the problems, and writes nothing', async () => {
		const paused = await waitFor('call_book');
		const keysBefore = await testbed.keys();

		const formResponse = await testbed.postForm([
			['token', paused.reference.token],
			['decision:0:call_book', 'edit'],
			['arguments:0:call_book', '{"to": "OPORTO", "seats": 20, "pets": true}'],
		]);
		const jsonResponse = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve', arguments: { seats: 0 } }] }, { query: approvalQuery(paused.reference.token) });

		expect(formResponse.status).toBe(400);
		const page = await formResponse.text();
		expect(page).toContain('book_flight (call_book): edited arguments /to: must NOT have more than 3 characters');
		expect(page).toContain('/seats: must be &lt;= 9');
		expect(page).toContain('must NOT have additional property &#39;pets&#39;');
		expect(jsonResponse.status).toBe(400);
		expect(await jsonResponse.json()).toEqual({
			error: {
				code: 'invalid_decision',
				message: 'Some decisions do not fit the calls they decide.',
				details: expect.arrayContaining(["book_flight (call_book): edited arguments root: must have required property 'to'", 'book_flight (call_book): edited arguments /seats: must be >= 1']),
			},
		});
		expect(await testbed.keys()).toEqual(keysBefore);
		expect(testbed.server.results.every((result) => result.noWebhookResponse === true && result.workflowData === undefined)).toBe(true);
	});

	it('refuses edited arguments that are not JSON, in the form, with 400', async () => {
		const paused = await waitFor('call_book');

		const response = await testbed.postForm([
			['token', paused.reference.token],
			['decision:0:call_book', 'edit'],
			['arguments:0:call_book', '{"to": "OPO",'],
		]);

		expect(response.status).toBe(400);
		expect(await response.text()).toContain('the edited arguments are not valid JSON');
	});

	it('refuses an unknown tool call id with 400 naming it, and writes nothing', async () => {
		const paused = await waitFor('call_book');
		const keysBefore = await testbed.keys();

		const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_<i>nope</i>', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token), accept: 'text/html' });

		expect(response.status).toBe(400);
		const page = await response.text();
		expect(page).toContain('No pending call has the id call_&lt;i&gt;nope&lt;/i&gt;');
		expect(page).toContain('call_book');
		expect(await testbed.keys()).toEqual(keysBefore);
	});

	it('refuses a decision that leaves calls of the same paused item open with 400 listing them', async () => {
		const paused = await waitFor('call_outbound', 'call_return');

		const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_outbound', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });

		expect(response.status).toBe(400);
		const error = await errorOf(response);
		expect(error.code).toBe('incomplete_item');
		expect(error.details).toEqual([`Paused item 1 (run ${paused.runId}) also needs a decision on book_flight (call_return).`]);
	});

	it('refuses decisions that do not fit the call: answers for approvals, approvals for questions', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book'), questionCall('call_ask', 'Window or aisle?')] });
		await startWait(testbed.store, testbed.prefix, [paused]);

		const response = await testbed.postJson(
			{ decisions: [{ toolCallId: 'call_book', decision: 'answer', answer: 'yes' }, { toolCallId: 'call_ask', decision: 'approve' }] },
			{ query: approvalQuery(paused.reference.token) },
		);

		expect(response.status).toBe(400);
		expect((await errorOf(response)).details).toEqual([
			'book_flight (call_book) needs approval: approve or reject it; "answer" is only for questions.',
			'ask_human (call_ask) is a question: answer it ("decision": "answer", "answer": "…").',
		]);
	});

	it('refuses a body that is not a decision request with 400, and other media types with 415', async () => {
		const paused = await waitFor('call_book');

		const invalid = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'maybe' }] }, { query: approvalQuery(paused.reference.token) });
		const text = await fetch(`${testbed.server.url}${approvalQuery(paused.reference.token)}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'approve' });

		expect(invalid.status).toBe(400);
		expect((await errorOf(invalid)).code).toBe('invalid_body');
		expect(text.status).toBe(415);
	});

	it('refuses a forged token with 403 and an expired one with 410, writing nothing', async () => {
		const paused = await waitFor('call_book');
		const expired = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_late')], tokenExpiresAt: Date.now() - 1 });
		await startWait(testbed.store, testbed.prefix, [expired]);
		const keysBefore = await testbed.keys();
		const [claims] = paused.reference.token.split('.');

		const forged = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(`${claims}.c2lnbmVkIGJ5IG1l`) });
		const late = await testbed.postJson({ decisions: [{ toolCallId: 'call_late', decision: 'approve' }] }, { query: approvalQuery(expired.reference.token) });

		expect(forged.status).toBe(403);
		expect((await errorOf(forged)).code).toBe('token_invalid');
		expect(late.status).toBe(410);
		expect((await errorOf(late)).code).toBe('token_expired');
		expect(await testbed.keys()).toEqual(keysBefore);
	});

	it('refuses with 410 when the paused run’s snapshot was deleted, and 409 when it was replaced; nothing is recorded', async () => {
		const deleted = await waitFor('call_book');
		await testbed.store.delete(snapshotKey(runLocationOf(testbed.prefix, deleted.reference), deleted.reference.pauseId));

		const gone = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(deleted.reference.token) });

		expect(gone.status).toBe(410);
		expect((await errorOf(gone))).toEqual({ code: 'snapshot_gone', message: expect.stringContaining("The paused run's snapshot is gone") });
		expect(await testbed.store.get(decisionKeyOf(deleted))).toBeUndefined();

		const replaced = await waitFor('call_hotel');
		await testbed.store.put(snapshotKey(runLocationOf(testbed.prefix, replaced.reference), replaced.reference.pauseId), '{"schemaVersion":1}');

		const mismatch = await testbed.postJson({ decisions: [{ toolCallId: 'call_hotel', decision: 'approve' }] }, { query: approvalQuery(replaced.reference.token) });

		expect(mismatch.status).toBe(409);
		expect((await errorOf(mismatch)).code).toBe('snapshot_mismatch');
		expect(await testbed.store.get(decisionKeyOf(replaced))).toBeUndefined();
	});

	it('answers errors as JSON for API clients and as a page for browsers', async () => {
		const paused = await waitFor('call_book');
		const request = { decisions: [{ toolCallId: 'call_unknown', decision: 'approve' }] };

		const api = await testbed.postJson(request, { query: approvalQuery(paused.reference.token) });
		const browser = await testbed.postJson(request, { query: approvalQuery(paused.reference.token), accept: 'text/html' });
		const form = await testbed.postForm([['token', paused.reference.token], ['decision:0:call_unknown', 'approve']]);

		expect(api.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect((await errorOf(api)).code).toBe('unknown_tool_call');
		for (const response of [browser, form]) {
			expect(response.status).toBe(400);
			expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
			expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(await response.text()).toContain('<h2>Nothing was recorded: please check your decisions</h2>');
		}
	});

	it('refuses decisions once the time limit has passed with 410', async () => {
		const paused = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
		await startWait(testbed.store, testbed.prefix, [paused], { expiresAt: new Date(Date.now() - 1).toISOString() });

		const response = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(paused.reference.token) });

		expect(response.status).toBe(410);
		expect(await testbed.store.get(decisionKeyOf(paused))).toBeUndefined();
	});
	it('finishes when the same request comes again after it recorded the decision but could not resume (storage failed in between); a different decision is still refused', async () => {
		const paused = await waitFor('call_book');
		const decisions = [{ toolCallId: 'call_book', decision: 'approve' as const }];
		// What the first request left: its decision record, and no resume claim.
		await writeDecisionRecord({ store: testbed.store, prefix: testbed.prefix }, { reference: paused.reference, decisions, decidedAt: new Date().toISOString() });

		const other = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'reject' }] }, { query: approvalQuery(paused.reference.token) });
		const again = await testbed.postJson({ decisions }, { query: approvalQuery(paused.reference.token) });

		expect([other.status, (await errorOf(other)).code]).toEqual([409, 'already_decided']);
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual({ status: 'resumed', items: 1 });
		expect(testbed.server.results.filter((result) => result.workflowData !== undefined)).toHaveLength(1);
	});

	it('refuses a call id shared by several paused items when only n8n’s signature, not the item’s own token, says which', async () => {
		const first = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_0')] });
		const second = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_0')] });
		await startWait(testbed.store, testbed.prefix, [first, second]);
		const reject = [{ toolCallId: 'call_0', decision: 'reject' }];

		const signatureOnly = await testbed.postJson({ decisions: reject }, { query: '?signature=n8n-resume-token' });
		const withToken = await testbed.postJson({ token: second.reference.token, decisions: reject }, { query: '?signature=n8n-resume-token' });

		expect([signatureOnly.status, (await errorOf(signatureOnly)).code]).toEqual([400, 'ambiguous_tool_call']);
		expect(withToken.status).toBe(202);
		expect(await testbed.store.get(decisionKeyOf(first))).toBeUndefined();
		expect(await testbed.store.get(decisionKeyOf(second))).toBeDefined();
	});

	describe('what a token binds: a request with one paused item’s token decides that item only', () => {
		async function waitForFlightAndHotel() {
			const flight = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_book')] });
			const hotel = await pauseAgentRun(testbed.store, testbed.prefix, { pending: [approvalCall('call_hotel')] });
			await startWait(testbed.store, testbed.prefix, [flight, hotel]);
			return { flight, hotel };
		}

		it.each([
			['in the URL (older n8n’s approval link)', (token: string): { query: string; token?: string } => ({ query: approvalQuery(token) })],
			['in the body, next to n8n’s signature', (token: string): { query: string; token?: string } => ({ query: '?signature=n8n-resume-token', token })],
		])('refuses item 2’s token, %s, deciding item 1 with 403 naming the token to use, and writes nothing', async (_label, send) => {
			const { flight, hotel } = await waitForFlightAndHotel();
			const keysBefore = await testbed.keys();
			const { query, token } = send(hotel.reference.token);

			const response = await testbed.postJson({ ...(token ? { token } : {}), decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query });

			expect(response.status).toBe(403);
			expect(await errorOf(response)).toEqual({
				code: 'token_for_other_item',
				message: `This approval token decides paused item 2 (run ${hotel.runId}) only; nothing was changed. Decide each other item with its own token (its approval link, or its reference.token sent as "token").`,
				details: [`book_flight (call_book) belongs to paused item 1 (run ${flight.runId}): send that item's reference.token.`],
			});
			expect(await testbed.keys()).toEqual(keysBefore);
		});

		it('refuses the whole request when item 2’s token decides its own item and item 1 together', async () => {
			const { flight, hotel } = await waitForFlightAndHotel();

			const response = await testbed.postJson(
				{ decisions: [{ toolCallId: 'call_hotel', decision: 'approve' }, { toolCallId: 'call_book', decision: 'approve' }] },
				{ query: approvalQuery(hotel.reference.token) },
			);

			expect([response.status, (await errorOf(response)).code]).toEqual([403, 'token_for_other_item']);
			expect(await testbed.store.get(decisionKeyOf(flight))).toBeUndefined();
			expect(await testbed.store.get(decisionKeyOf(hotel))).toBeUndefined();
		});

		it('refuses the page’s form posted with item 2’s token when it names item 1’s fields', async () => {
			const { flight, hotel } = await waitForFlightAndHotel();

			const response = await testbed.postForm([
				['token', hotel.reference.token],
				['decision:0:call_book', 'approve'],
			]);

			expect(response.status).toBe(403);
			expect(await response.text()).toContain('This approval token decides paused item 2');
			expect(await testbed.store.get(decisionKeyOf(flight))).toBeUndefined();
		});

		it('lets each item’s own token decide it, and n8n’s signature alone decide every item', async () => {
			const first = await waitForFlightAndHotel();
			const own = await testbed.postJson({ decisions: [{ toolCallId: 'call_book', decision: 'approve' }] }, { query: approvalQuery(first.flight.reference.token) });
			const other = await testbed.postJson({ token: first.hotel.reference.token, decisions: [{ toolCallId: 'call_hotel', decision: 'reject' }] }, { query: '?signature=n8n-resume-token' });
			expect([own.status, other.status]).toEqual([202, 200]);

			await waitForFlightAndHotel();
			const signatureOnly = await testbed.postJson(
				{ decisions: [{ toolCallId: 'call_book', decision: 'approve' }, { toolCallId: 'call_hotel', decision: 'approve' }] },
				{ query: '?signature=n8n-resume-token' },
			);
			expect(signatureOnly.status).toBe(200);
			expect(await signatureOnly.json()).toEqual({ status: 'resumed', items: 2 });
		});
	});
});
