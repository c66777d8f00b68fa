import type { Page } from 'playwright-core';

import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { launchBrowser, saveScreenshot, watchPage, type PageProblems, type TestBrowser } from './support/browser';
import { createLlmCredentials, type LlmCredentials } from './support/llm-credentials';
import { owner } from './support/n8n-rest';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { agentNodeName, deploySupportWorkflow, pausedItems, requestSupport, resumeNodeName, ticketCall } from './support/support-workflow';
import { readExample, useCredential, type Workflow } from './support/workflows';

/**
 * What people see, in headless Chromium: the n8n editor offering and showing both nodes, the
 * agent's provider and credential choice, and the approval page a paused run links to.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let browser: TestBrowser;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('browser');
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

let signedIn = false;

/** Signs the browser in as the owner, once: its pages share the session cookie. */
async function signIn(page: Page): Promise<void> {
	if (signedIn) return;
	signedIn = true;
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

const panel = '[data-test-id=ndv] [data-test-id=node-parameters]';
const credentialSlot = `${panel} [data-test-id=node-credentials-slot]`;

/**
 * Adds a Durable AI Agent to a new workflow from the node panel: n8n shows a community node's
 * details first, whose "Add to workflow" adds it (a node with Actions would list them there
 * instead, to choose from); its panel opens.
 */
async function addAgentToNewWorkflow(page: Page): Promise<void> {
	await page.goto(new URL('workflow/new', n8n.url).toString());
	await page.click('[data-test-id=canvas-plus-button]');
	await page.waitForSelector('[data-test-id=node-creator-search-bar]');
	await page.keyboard.type('Durable AI Agent');
	await page.locator('[data-test-id=node-creator-item-name]', { hasText: /^Durable AI Agent$/ }).click();
	await saveScreenshot(page, 'editor-durable-agent-node-details');
	await page.getByRole('button', { name: 'Add to workflow' }).click();
	await page.waitForSelector(panel);
}

/** The names the node panel lists for a search typed into it, on the workflow `page` shows (reloaded first). */
async function searchNodePanel(page: Page, search: string, screenshotName: string): Promise<string[]> {
	await page.reload();
	await page.waitForSelector('[data-test-id=canvas-node]');
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.waitForSelector('[data-test-id=node-creator-search-bar]');
	await page.keyboard.type(search);
	await page.locator('[data-test-id=node-creator-item-name]').first().waitFor();
	// The list settles after the last keystroke.
	await page.waitForTimeout(300);
	await saveScreenshot(page, screenshotName);
	const names = await page.locator('[data-test-id=node-creator-item-name]').allInnerTexts();
	// Leaves the canvas as the next test expects it, without the panel.
	await page.reload();
	await page.waitForSelector('[data-test-id=canvas-node]');
	return names.map((name) => name.trim());
}

/**
 * The model's credential selector: its label, the selected credential (or, when none of its type
 * exists, the text of the button that sets one up), and whether it is the panel's first row.
 */
async function modelCredentialArea(page: Page): Promise<{ label: string; shows: string; atTopOfPanel: boolean }> {
	const slot = page.locator(credentialSlot).first();
	await slot.waitFor();
	const label = await slot.locator('[data-test-id=credentials-label] label').first().innerText();
	const emptyState = slot.locator('[data-test-id=node-credentials-empty-state] button');
	const shows = (await emptyState.count()) > 0 ? await emptyState.innerText() : await slot.locator('[data-test-id=node-credentials-select] input').inputValue();
	const atTopOfPanel = (await page.locator(`${panel} [data-test-id=parameter-item]`).first().locator('[data-test-id=node-credentials-slot]').count()) > 0;
	return { label: label.trim(), shows: shows.trim(), atTopOfPanel };
}

async function providerShown(page: Page): Promise<string> {
	return await page.locator(`${panel} [data-test-id=parameter-input-provider] input`).inputValue();
}

/** Picks an option of an options parameter by its name (its description follows in the list). */
async function chooseOption(page: Page, parameterName: string, optionName: string): Promise<void> {
	await page.click(`${panel} [data-test-id=parameter-input-${parameterName}]`);
	await page.getByRole('option', { name: new RegExp(`^${optionName}`) }).click();
	await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' });
}

async function chooseProvider(page: Page, provider: 'Anthropic' | 'OpenAI-Compatible'): Promise<void> {
	await chooseOption(page, 'provider', provider);
	await page.locator(credentialSlot, { hasText: `${provider} Credential` }).waitFor();
}

/** The labels of every credential selector the panel shows, in order. */
async function credentialLabels(page: Page): Promise<string[]> {
	return (await page.locator(`${credentialSlot} [data-test-id=credentials-label] label`).allInnerTexts()).map((label) => label.trim());
}

/** The names of the credentials the model credential selector lists (the "create" row left out). */
async function credentialsOffered(page: Page): Promise<string[]> {
	await page.locator(`${credentialSlot} [data-test-id=node-credentials-select]`).first().click();
	const items = page.locator('[data-test-id^=node-credentials-select-item-]:visible:not([data-test-id=node-credentials-select-item-new])');
	await items.first().waitFor();
	return (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/**
 * Opens the dialog that creates a credential for the model, screenshots it and closes it; returns
 * the name n8n proposes for the new credential, which names its type.
 */
async function openCredentialSetUp(page: Page, screenshotName: string): Promise<string> {
	await page.click(`${credentialSlot} [data-test-id=node-credentials-empty-state] button`);
	const dialog = page.locator('[data-test-id=editCredential-modal]');
	const proposedName = dialog.getByText(/^Durable Agent: .+ account$/).first();
	// The name sits in an inline editor whose text n8n also keeps in a hidden measuring element.
	await proposedName.waitFor({ state: 'attached' });
	const title = ((await proposedName.textContent()) ?? '').trim();
	await saveScreenshot(page, screenshotName);
	await page.locator('.el-dialog__headerbtn:visible').click();
	await dialog.waitFor({ state: 'hidden' });
	return title;
}

describe('a Durable AI Agent added from the node panel before any credential exists', () => {
	it('shows Provider, and sets up a credential of the provider it names', async () => {
		const page = await browser.context.newPage();
		const problems = watchPage(page);
		try {
			await signIn(page);
			problems.clear();
			await addAgentToNewWorkflow(page);
			await page.locator(`${credentialSlot} [data-test-id=node-credentials-empty-state]`).waitFor();
			const fresh = { provider: await providerShown(page), credential: await modelCredentialArea(page) };
			const freshMode = await page.locator(`${panel} [data-test-id=parameter-input-mode] input`).inputValue();
			await saveScreenshot(page, 'editor-durable-agent-credentials-fresh');

			const anthropicDialog = await openCredentialSetUp(page, 'editor-durable-agent-credentials-fresh-set-up-anthropic');

			await chooseProvider(page, 'OpenAI-Compatible');
			const switched = { provider: await providerShown(page), credential: await modelCredentialArea(page) };
			await saveScreenshot(page, 'editor-durable-agent-credentials-fresh-openai-compatible');
			const openAiCompatibleDialog = await openCredentialSetUp(page, 'editor-durable-agent-credentials-fresh-set-up-openai-compatible');

			expect(fresh).toEqual({ provider: 'Anthropic', credential: { label: 'Anthropic Credential', shows: 'Connect to Durable Agent: Anthropic', atTopOfPanel: true } });
			// One click on the node in the panel lands on Run Agent; the other modes stay in Mode.
			expect(freshMode).toBe('Run Agent');
			expect(switched).toEqual({
				provider: 'OpenAI-Compatible',
				credential: { label: 'OpenAI-Compatible Credential', shows: 'Connect to Durable Agent: OpenAI-Compatible', atTopOfPanel: true },
			});
			expect([anthropicDialog, openAiCompatibleDialog]).toEqual(['Durable Agent: Anthropic account', 'Durable Agent: OpenAI-Compatible account']);
			expectNoProblems(problems);
		} finally {
			await page.close();
		}
	});
});

describe('with LLM credentials and the example workflows in n8n', () => {
	let credentials: LlmCredentials;
	let workflow: Workflow;
	let anthropicWorkflow: Workflow;

	beforeAll(async () => {
		credentials = await createLlmCredentials(n8n.rest, llm);
		workflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });
		anthropicWorkflow = useCredential(readExample('01-order-agent-json.json'), 'durableAgentAnthropicApi', credentials.anthropic);
		await n8n.rest.createAndPublishWorkflow(anthropicWorkflow);
	});

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

		it.each(['Durable', 'AI Agent', 'Resume', 'Approval', 'Human'])('finds both nodes when searching "%s" in the node panel', async (search) => {
			problems.clear();
			const names = await searchNodePanel(page, search, `editor-node-search-${search.toLowerCase().replace(/ /g, '-')}`);

			expect(names).toEqual(expect.arrayContaining(['Durable AI Agent', 'Durable AI Agent Resume']));
			expectNoProblems(problems);
		});

		it.each([
			[agentNodeName, 'editor-durable-agent-panel', ['provider', 'model', 'task', 'outputFormat', 'builtinTools', 'toolApprovals', 'storage'], /durableAgent\.svg$/],
			[resumeNodeName, 'editor-durable-agent-resume-panel', ['storage', 'limitWaitTime'], /durableAgentResume\.svg$/],
		])('renders the parameter panel of "%s" without errors', async (nodeName, screenshotName, parameterNames, iconPattern) => {
			problems.clear();
			await page.dblclick(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
			await page.waitForSelector(panel);

			for (const parameter of parameterNames) {
				await page.locator(`${panel} [data-test-id=parameter-input-${parameter}], ${panel} [data-test-id=fixed-collection-${parameter}]`).first().waitFor();
			}
			await saveScreenshot(page, screenshotName);
			const icons = await iconsOf(page, '[data-test-id=ndv]');
			await page.click('[data-test-id=ndv-close-button]');

			expect(icons).toEqual(expect.arrayContaining([{ src: expect.stringMatching(iconPattern), loaded: true }]));
			expect(icons.every((icon) => icon.loaded)).toBe(true);
			expectNoProblems(problems);
		});

		it("shows an OpenAI-compatible agent's provider and credential at the top of its panel; switching provider offers the other credential type", async () => {
			problems.clear();
			await page.dblclick(`[data-test-id=canvas-node][data-node-name="${agentNodeName}"]`);
			const asDeployed = { provider: await providerShown(page), credential: await modelCredentialArea(page) };
			await saveScreenshot(page, 'editor-durable-agent-credentials-openai-compatible');

			await chooseProvider(page, 'Anthropic');
			const afterSwitch = { provider: await providerShown(page), label: (await modelCredentialArea(page)).label, offered: await credentialsOffered(page) };
			await page.locator(`[data-test-id=node-credentials-select-item-${credentials.anthropic.id}]`).click();
			await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' });
			const picked = await modelCredentialArea(page);
			await saveScreenshot(page, 'editor-durable-agent-credentials-switched-to-anthropic');

			await chooseOption(page, 'storage', 'S3-Compatible');
			await page.locator(credentialSlot, { hasText: 'S3 Storage Credential' }).waitFor();
			const withS3Storage = { labels: await credentialLabels(page), atTopOfPanel: (await modelCredentialArea(page)).atTopOfPanel };
			await page.locator(credentialSlot).first().scrollIntoViewIfNeeded();
			await saveScreenshot(page, 'editor-durable-agent-credentials-s3-storage');
			await chooseOption(page, 'mode', 'Manage Memory');
			await page.locator(credentialSlot, { hasText: 'Anthropic Credential' }).waitFor({ state: 'detached' });
			const managingMemory = { labels: await credentialLabels(page), providerShown: await page.locator(`${panel} [data-test-id=parameter-input-provider]`).count() };
			await page.click('[data-test-id=ndv-close-button]');

			expect(asDeployed).toEqual({
				provider: 'OpenAI-Compatible',
				credential: { label: 'OpenAI-Compatible Credential', shows: credentials.openAiCompatible.name, atTopOfPanel: true },
			});
			expect(afterSwitch).toEqual({ provider: 'Anthropic', label: 'Anthropic Credential', offered: [credentials.anthropic.name] });
			expect(picked).toEqual({ label: 'Anthropic Credential', shows: credentials.anthropic.name, atTopOfPanel: true });
			expect(withS3Storage).toEqual({ labels: ['Anthropic Credential', 'S3 Storage Credential'], atTopOfPanel: true });
			// Manage Memory calls no model: only the storage credential is asked for.
			expect(managingMemory).toEqual({ labels: ['S3 Storage Credential'], providerShown: 0 });
			expectNoProblems(problems);
		});

		it("shows an Anthropic agent's provider and credential at the top of its panel", async () => {
			problems.clear();
			await page.goto(new URL(`workflow/${anthropicWorkflow.id}`, n8n.url).toString());
			await page.dblclick('[data-test-id=canvas-node][data-node-name="Order Agent"]');
			const shown = { provider: await providerShown(page), credential: await modelCredentialArea(page) };
			await saveScreenshot(page, 'editor-durable-agent-credentials-anthropic');
			const offered = await credentialsOffered(page);
			await saveScreenshot(page, 'editor-durable-agent-credentials-anthropic-offered');
			await page.keyboard.press('Escape');
			await page.click('[data-test-id=ndv-close-button]');

			expect(shown).toEqual({ provider: 'Anthropic', credential: { label: 'Anthropic Credential', shows: credentials.anthropic.name, atTopOfPanel: true } });
			expect(offered).toEqual([credentials.anthropic.name]);
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
});
