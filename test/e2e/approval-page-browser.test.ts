import type { Page } from 'playwright-core';

import type { PausedItemJson } from '../../lib/resume';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { launchBrowser, saveScreenshot, watchPage, type PageProblems, type TestBrowser } from './support/browser';
import { nodeOutput } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { offersTools } from './support/offered-tools';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { agentNodeName, deploySupportWorkflow, pausedItems, requestSupport, ticketCall, ticketToolName, withOneItemPerRequest } from './support/support-workflow';
import type { Workflow } from './support/workflows';

/**
 * The approval page as a person uses it, in headless Chromium against example 02 in a real n8n:
 * the run's timeline over several turns, hostile text from the model, a tool and a reviewer shown
 * as text, a second pause of the execution announced on the page the person submitted on, "Approve
 * all" over three paused items, a refused form that keeps what was typed, and what the link shows
 * once the execution has finished.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let browser: TestBrowser;
let workflow: Workflow;
let splitWorkflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('approval-page-browser');
	browser = await launchBrowser();
	const credentials = await createLlmCredentials(n8n.rest, llm);
	workflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });
	splitWorkflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets, customize: withOneItemPerRequest });
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

beforeEach(() => {
	tickets.calls.length = 0;
});

/** Text that becomes markup if anything along the way pastes it into the page unescaped. */
const hostile = {
	title: 'Printer <img src=x onerror=window.__injected=1> broken',
	said: 'Opening a ticket <script>window.__injected=2</script> now.',
	reason: 'No: <img src=x onerror=window.__injected=3> is not a title',
	saidAgain: 'Understood <b onmouseover=window.__injected=4>bold</b>, a plain title then.',
};

/** What hostile text could have made of the page: script or image elements, or a script that ran. */
async function injectedMarkup(page: Page): Promise<{ scripts: number; images: number; bold: number; injected: unknown }> {
	return {
		scripts: await page.locator('script').count(),
		images: await page.locator('img').count(),
		bold: await page.locator('b').count(),
		injected: await page.evaluate(() => (globalThis as { __injected?: unknown }).__injected),
	};
}

const noInjectedMarkup = { scripts: 0, images: 0, bold: 0, injected: undefined };

/** No script ran or failed, and nothing the page asked for was refused (CSP reports land in the console). */
function expectNoScriptProblems(problems: PageProblems): void {
	expect({ scriptErrors: problems.scriptErrors, consoleErrors: problems.consoleErrors.filter((text) => !text.startsWith('Failed to load resource')) }).toEqual({
		scriptErrors: [],
		consoleErrors: [],
	});
}

/** Submits the page's form with `click` and waits for the whole answer (a page that watches the run ends its response last). */
async function submit(page: Page, click: () => Promise<void>): Promise<number> {
	const [response] = await Promise.all([page.waitForNavigation(), click()]);
	return response?.status() ?? 0;
}

/** The call section of the open form for `toolCallId`. */
const callSection = (page: Page, toolCallId: string) => page.locator('.call', { hasText: `Call ${toolCallId}` });

async function withPage(test: (page: Page, problems: PageProblems) => Promise<void>): Promise<void> {
	const page = await browser.context.newPage();
	const problems = watchPage(page);
	try {
		await test(page, problems);
	} finally {
		await page.close();
	}
}

describe('The approval page in a browser', () => {
	it('shows the run so far with hostile text as text, announces the second pause on the page the person submitted on, and after the run explains the link', async () => {
		llm.load([
			{
				kind: 'reply',
				text: hostile.said,
				toolCalls: [{ id: 'call_first', name: ticketToolName, arguments: { title: hostile.title, priority: 'high' } }],
				expect: offersTools([ticketToolName, 'ask_human']),
			},
		]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'My printer is broken' });
		await n8n.executions.waitForStatus(executionId, ['waiting']);

		await withPage(async (page, problems) => {
			await page.goto(approvalUrl);
			const timeline = page.locator('.timeline');
			await timeline.waitFor();
			const firstPause = {
				summary: await timeline.locator('summary').innerText(),
				text: await timeline.innerText(),
				arguments: await callSection(page, 'call_first').locator('pre').innerText(),
				markup: await injectedMarkup(page),
			};
			await saveScreenshot(page, 'approval-page-browser-first-pause');

			expect(firstPause.summary).toMatch(/^The run so far: 1 turn, [\d,]+ tokens, estimated cost \$0\.\d{4,6}$/);
			expect(firstPause.text).toContain('Customer request: My printer is broken');
			expect(firstPause.text).toContain(hostile.said);
			expect(JSON.parse(firstPause.arguments)).toEqual({ title: hostile.title, priority: 'high' });
			expect(firstPause.markup).toEqual(noInjectedMarkup);

			// The reviewer's reason goes back to the model as the tool's result; the model tries again.
			llm.load([
				{
					kind: 'reply',
					text: hostile.saidAgain,
					toolCalls: [{ id: 'call_second', name: ticketToolName, arguments: { title: 'Printer broken', priority: 'normal' } }],
					expect: { toolResults: [{ toolCallId: 'call_first', outputIncludes: hostile.reason }] },
				},
			]);
			await callSection(page, 'call_first').getByLabel('Reason for rejecting (the agent reads it)').fill(hostile.reason);
			const rejected = await submit(page, async () => await callSection(page, 'call_first').getByRole('button', { name: 'Reject', exact: true }).click());
			await page.getByRole('heading', { name: 'The agent paused again and needs you' }).waitFor();
			const secondPause = {
				status: rejected,
				notice: await page.locator('.paused-again').innerText(),
				runNotice: await page.locator('.item .reason').first().innerText(),
				summary: await page.locator('.timeline summary').innerText(),
				timeline: await page.locator('.timeline').innerText(),
				offered: await callSection(page, 'call_second').locator('pre').innerText(),
				markup: await injectedMarkup(page),
			};
			await saveScreenshot(page, 'approval-page-browser-paused-again');

			expect(secondPause.status).toBe(200);
			expect(secondPause.notice).toContain('After your decision the run went on and paused again in this execution (pause 2 of its run).');
			expect(secondPause.runNotice).toBe('This run paused again: this is its pause 2. Earlier pauses and their decisions are in the run below.');
			expect(secondPause.summary).toMatch(/^The run so far: 2 turns, [\d,]+ tokens, estimated cost \$0\.\d{4,6}$/);
			expect(secondPause.timeline).toContain(hostile.said);
			expect(secondPause.timeline).toContain(hostile.reason);
			expect(secondPause.timeline).toContain(hostile.saidAgain);
			expect(secondPause.timeline).toMatch(/Turn 1: .*\n[\s\S]*Turn 2: /);
			expect(JSON.parse(secondPause.offered)).toEqual({ title: 'Printer broken', priority: 'normal' });
			expect(secondPause.markup).toEqual(noInjectedMarkup);

			// The new pause's buttons decide it from the same page.
			const waitingAgain = await n8n.executions.waitForStatus(executionId, ['waiting']);
			llm.load([{ kind: 'reply', text: 'Ticket T-1 is open.', expect: { toolResults: [{ toolCallId: 'call_second', outputIncludes: 'T-1' }] } }]);
			const approved = await submit(page, async () => await callSection(page, 'call_second').getByRole('button', { name: 'Approve', exact: true }).click());
			await page.getByRole('heading', { name: 'The agent has finished' }).waitFor();
			const finishedNotice = await page.locator('.notice').last().innerText();
			await saveScreenshot(page, 'approval-page-browser-run-finished');

			expect(approved).toBe(200);
			expect(finishedNotice).toContain('The run finished with its answer.');
			const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
			expect(execution.status).toBe('success');
			expect(llm.expectationFailures).toEqual([]);
			expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Printer broken', priority: 'normal' }]);
			// The Needs Approval item of the second pause says so, for a workflow that notifies again.
			const [first] = pausedItems(waitingAgain);
			const [second] = nodeOutput(execution, agentNodeName, { run: 1, output: 1 }) as unknown as PausedItemJson[];
			expect(first).toMatchObject({ pauseNumber: 1, costUsd: expect.any(Number) });
			expect(second).toMatchObject({ runId: first.runId, pauseNumber: 2, costUsd: expect.any(Number) });
			expect(second.costUsd).toBeGreaterThan(first.costUsd ?? Infinity);
			expectNoScriptProblems(problems);

			// Once the execution has finished, n8n answers the link itself; the request never reaches the node.
			const afterRun = await page.goto(approvalUrl);
			const afterRunText = await page.locator('body').innerText();
			await saveScreenshot(page, 'approval-link-after-execution-finished');

			expect(afterRun?.status()).toBe(409);
			expect(afterRun?.headers()['content-type']).toContain('application/json');
			// n8n adds a `stacktrace` outside production (NODE_ENV=production leaves it out).
			expect(JSON.parse(afterRunText)).toMatchObject({ code: 409, message: `The execution "${executionId} has finished already.` });
		});
	});

	it('"Approve all" decides three paused items in one submit: the execution resumes and each approved ticket is opened once', async () => {
		const titles = ['Laptop will not boot', 'VPN is down', 'Monitor flickers'];
		llm.load(titles.map((title, index) => ticketCall(`call_${index + 1}`, title)));
		const { approvalUrl, executionId } = await requestSupport(n8n, splitWorkflow, { requests: titles.map((request) => ({ request })) });
		await n8n.executions.waitForStatus(executionId, ['waiting']);

		await withPage(async (page, problems) => {
			await page.goto(approvalUrl);
			await page.getByRole('button', { name: 'Approve all' }).waitFor();
			const shown = { items: await page.locator('section.item:not(.batch)').count(), timelines: await page.locator('.timeline').count() };
			await saveScreenshot(page, 'approval-page-browser-three-items');

			expect(shown).toEqual({ items: 3, timelines: 3 });
			llm.load(titles.map((_title, index) => ({ kind: 'reply' as const, text: `Ticket T-${index + 1} is open.` })));
			const status = await submit(page, async () => await page.getByRole('button', { name: 'Approve all' }).click());
			await page.getByRole('heading', { name: 'The agent has finished' }).waitFor();
			const notice = await page.locator('.notice').last().innerText();
			await saveScreenshot(page, 'approval-page-browser-approve-all-done');

			expect(status).toBe(200);
			expect(notice).toContain('The 3 runs ended (0 with an error).');
			const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
			expect(execution.status).toBe('success');
			expect(tickets.calls.map((call) => call.body)).toEqual(titles.map((title) => ({ title, priority: 'high' })));
			expect(nodeOutput(execution, 'Result').map((item) => item.answer)).toEqual(['Ticket T-1 is open.', 'Ticket T-2 is open.', 'Ticket T-3 is open.']);
			expectNoScriptProblems(problems);
		});
	});

	it('a refused submit (edited arguments that are not JSON) shows the page again with everything the person typed, and nothing is decided', async () => {
		llm.load([ticketCall('call_edit', 'Printer jammed')]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'Printer jammed' });
		await n8n.executions.waitForStatus(executionId, ['waiting']);
		const typedArguments = '{"title": "Printer <img src=x onerror=window.__injected=5> on floor 3", "priority": }';
		const typedReason = '<script>window.__injected=6</script> kept as typed';

		await withPage(async (page, problems) => {
			await page.goto(approvalUrl);
			const call = callSection(page, 'call_edit');
			await call.getByRole('radio', { name: 'Approve with the edited arguments below' }).check();
			await call.getByLabel('Edited arguments (JSON, checked against the tool\'s input schema)').fill(typedArguments);
			await call.getByLabel('Reason for rejecting (the agent reads it)').fill(typedReason);
			await saveScreenshot(page, 'approval-page-browser-before-invalid-edit');
			const status = await submit(page, async () => await page.getByRole('button', { name: 'Send decisions' }).last().click());
			const refused = {
				status,
				alert: await page.getByRole('alert').innerText(),
				edit: await callSection(page, 'call_edit').getByRole('radio', { name: 'Approve with the edited arguments below' }).isChecked(),
				arguments: await callSection(page, 'call_edit').getByLabel('Edited arguments (JSON, checked against the tool\'s input schema)').inputValue(),
				reason: await callSection(page, 'call_edit').getByLabel('Reason for rejecting (the agent reads it)').inputValue(),
				markup: await injectedMarkup(page),
			};
			await saveScreenshot(page, 'approval-page-browser-invalid-edit-kept');

			expect(refused).toEqual({
				status: 400,
				alert: expect.stringContaining('the edited arguments are not valid JSON'),
				edit: true,
				arguments: typedArguments,
				reason: typedReason,
				markup: noInjectedMarkup,
			});
			expect(refused.alert).toContain('Nothing was recorded: please check your decisions');
			expect((await n8n.executions.get(executionId)).status).toBe('waiting');
			expect(tickets.calls).toEqual([]);

			// Corrected, the same form goes through.
			llm.load([{ kind: 'reply', text: 'Ticket T-1 is open.', expect: { toolResults: [{ toolCallId: 'call_edit', outputIncludes: 'T-1' }] } }]);
			await callSection(page, 'call_edit').getByLabel('Edited arguments (JSON, checked against the tool\'s input schema)').fill('{"title": "Printer on floor 3 jams", "priority": "normal"}');
			const corrected = await submit(page, async () => await page.getByRole('button', { name: 'Send decisions' }).last().click());
			await page.getByRole('heading', { name: 'The agent has finished' }).waitFor();

			expect(corrected).toBe(200);
			const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
			expect(execution.status).toBe('success');
			expect(llm.expectationFailures).toEqual([]);
			expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Printer on floor 3 jams', priority: 'normal' }]);
			expectNoScriptProblems(problems);
		});
	});
});
