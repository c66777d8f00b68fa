import type { Page } from 'playwright-core';

import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { launchBrowser, saveScreenshot, watchPage, type PageProblems, type TestBrowser } from './support/browser';
import { createLlmCredentials } from './support/llm-credentials';
import { owner } from './support/n8n-rest';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { agentNodeName, deploySupportWorkflow, pausedItems, requestSupport, resumeNodeName, ticketCall } from './support/support-workflow';
import type { Workflow } from './support/workflows';

/**
 * What people see, in headless Chromium: the n8n editor offering and showing both nodes, and the
 * approval page a paused run links to.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let browser: TestBrowser;
let workflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('browser');
	const credentials = await createLlmCredentials(n8n.rest, llm);
	workflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

/**
 * n8n's editor asks for an optional output schema of every node it shows data for
 * (`/schemas/<type>/<version>.json`); a 404 means the node has none, which the editor handles.
 */
const isOptionalSchemaRequest = (failure: string) => /^404 \/schemas\/n8n-nodes-durable-agent\.[A-Za-z]+\/[\d.]+\.json$/.test(failure);

function expectNoProblems(problems: PageProblems): void {
	const failedResponses = problems.failedResponses.filter((failure) => !isOptionalSchemaRequest(failure));
	// Chromium reports every failed response as a console error too; those are judged above.
	const consoleErrors = problems.consoleErrors.filter((text) => !text.startsWith('Failed to load resource'));
	expect({ scriptErrors: problems.scriptErrors, consoleErrors, failedResponses }).toEqual({ scriptErrors: [], consoleErrors: [], failedResponses: [] });
}

async function signIn(page: Page): Promise<void> {
	await page.goto(new URL('signin', n8n.url).toString());
	await page.fill('input[name=emailOrLdapLoginId]', owner.email);
	await page.fill('input[name=password]', owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL(/\/home\//);
}

/** Whether every image inside `selector` has loaded (a missing icon has no natural width). */
async function iconsOf(page: Page, selector: string): Promise<Array<{ src: string | null; loaded: boolean }>> {
	return await page.$$eval(`${selector} img`, (images) => images.map((image) => ({ src: image.getAttribute('src'), loaded: image.complete && image.naturalWidth > 0 })));
}

describe('the n8n editor in a browser', () => {
	let page: Page;
	let problems: PageProblems;

	beforeAll(async () => {
		page = await browser.context.newPage();
		problems = watchPage(page);
		await signIn(page);
		// Before signing in, the editor's session check is answered 401 by design.
		problems.clear();
		await page.goto(new URL(`workflow/${workflow.id}`, n8n.url).toString());
		await page.waitForSelector('[data-test-id=canvas-node]');
	});

	afterAll(async () => {
		await page?.close();
	});

	it('shows both nodes on the canvas with their icons', async () => {
		const agentIcons = await iconsOf(page, `[data-test-id=canvas-node][data-node-name="${agentNodeName}"]`);
		const resumeIcons = await iconsOf(page, `[data-test-id=canvas-node][data-node-name="${resumeNodeName}"]`);

		await saveScreenshot(page, 'editor-example-workflow');
		expect(agentIcons).toEqual([{ src: expect.stringMatching(/durableAgent\.svg$/), loaded: true }]);
		expect(resumeIcons).toEqual([{ src: expect.stringMatching(/durableAgentResume\.svg$/), loaded: true }]);
		expectNoProblems(problems);
	});

	it('finds Durable AI Agent when searching "AI Agent" in the node panel', async () => {
		await page.click('[data-test-id=node-creator-plus-button]');
		await page.waitForSelector('[data-test-id=node-creator-search-bar]');
		await page.keyboard.type('AI Agent');
		const durableAgentItem = page.locator('[data-test-id=node-creator-item-name]', { hasText: /^Durable AI Agent$/ });
		await durableAgentItem.waitFor();

		await saveScreenshot(page, 'editor-node-search-ai-agent');
		expect(await page.locator('[data-test-id=node-creator-item-name]').allInnerTexts()).toContain('Durable AI Agent');
		await page.keyboard.press('Escape');
		expectNoProblems(problems);
	});

	it.each([
		[agentNodeName, 'editor-durable-agent-panel', ['model', 'task', 'outputFormat', 'builtinTools', 'toolApprovals', 'storage'], /durableAgent\.svg$/],
		[resumeNodeName, 'editor-durable-agent-resume-panel', ['storage', 'limitWaitTime'], /durableAgentResume\.svg$/],
	])('renders the parameter panel of "%s" without errors', async (nodeName, screenshotName, parameterNames, iconPattern) => {
		problems.clear();
		await page.dblclick(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
		await page.waitForSelector('[data-test-id=ndv] [data-test-id=node-parameters]');

		for (const parameter of parameterNames) {
			await page.locator(`[data-test-id=ndv] [data-test-id=parameter-input-${parameter}], [data-test-id=ndv] [data-test-id=fixed-collection-${parameter}]`).first().waitFor();
		}
		await saveScreenshot(page, screenshotName);
		const icons = await iconsOf(page, '[data-test-id=ndv]');
		await page.click('[data-test-id=ndv-close-button]');

		expect(icons).toEqual(expect.arrayContaining([{ src: expect.stringMatching(iconPattern), loaded: true }]));
		expect(icons.every((icon) => icon.loaded)).toBe(true);
		expectNoProblems(problems);
	});
});

describe('the approval page in a browser', () => {
	const hostileTitle = '<img src=x onerror="window.__injected=1"><script>window.__injected=2</script> & "quotes"';

	it('shows hostile tool arguments as text, and its Approve button resumes the execution', async () => {
		llm.load([ticketCall('call_hostile', hostileTitle)]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'Open a ticket with a nasty title' });
		await n8n.executions.waitForStatus(executionId, ['waiting']);
		const page = await browser.context.newPage();
		const problems = watchPage(page);
		try {
			await page.goto(approvalUrl);
			await page.getByRole('button', { name: 'Send decisions' }).waitFor();

			const argumentsText = await page.locator('pre').first().innerText();
			const injected = await page.evaluate(() => (globalThis as { __injected?: number }).__injected);
			const injectedImages = await page.locator('img[src=x]').count();
			await saveScreenshot(page, 'approval-page');
			expect(JSON.parse(argumentsText)).toEqual({ title: hostileTitle, priority: 'high' });
			expect(injected).toBeUndefined();
			expect(injectedImages).toBe(0);
			expect((await n8n.executions.get(executionId)).status).toBe('waiting');

			llm.load([{ kind: 'reply', text: 'Ticket T-1 is open.', expect: { toolResults: [{ toolCallId: 'call_hostile', outputIncludes: 'T-1' }] } }]);
			await page.getByRole('radio', { name: 'Approve', exact: true }).check();
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send decisions' }).click()]);
			await saveScreenshot(page, 'approval-page-after-approve');

			const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
			expect(execution.status).toBe('success');
			expect(llm.expectationFailures).toEqual([]);
			expect(tickets.calls.map((call) => call.body)).toEqual([{ title: hostileTitle, priority: 'high' }]);
			expect(pausedItems(execution)).toHaveLength(1);
			expectNoProblems(problems);
		} finally {
			await page.close();
		}
	});
});
