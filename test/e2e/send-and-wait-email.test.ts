import type { PausedItemJson } from '../../lib/resume';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { describeFailure, nodeOutput, nodeRunCount, type Execution } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { responseLinks, startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';
import { replyAfterDecision, ticketCall } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import { readExample, setParameters, useCredential, type Workflow } from './support/workflows';

/**
 * Example 6 in a real n8n: the agent's Needs Approval output goes straight into n8n's own Send
 * Email "Send and Wait for Response", whose reply goes back into the same Durable AI Agent, with no
 * Code node. The message arrives at a local SMTP server; the test reads the link out of it and
 * follows it, as a person clicking in their mail client would.
 */

const agentNodeName = 'Support Agent';
const emailNodeName = 'Ask by Email';
// n8n answers link-preview bots with nothing; a person's browser gets the page.
const browserHeaders = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' };

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let inbox: SmtpInbox;
const deployed = new Map<string, Workflow>();

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	inbox = await startSmtpInbox();
	n8n = await startTestN8n('send-and-wait-email');
	const credentials = await createLlmCredentials(n8n.rest, llm);
	const smtp = await n8n.rest.createCredential({ name: 'Local SMTP', type: 'smtp', data: { user: 'test', password: 'test', host: '127.0.0.1', port: inbox.port, secure: false, disableStartTls: true } });
	const variants: Record<string, (workflow: Workflow) => void> = {
		approval: () => undefined,
		freeText: (workflow) => setParameters(workflow, emailNodeName, { responseType: 'freeText' }),
		fromDoneOutput: wiredFromDoneOutput,
	};
	for (const [variant, customize] of Object.entries(variants)) {
		const workflow = readExample('06-approve-by-email.json');
		workflow.id = `durableAgentEx6${variant}`;
		useCredential(workflow, 'durableAgentOpenAiCompatibleApi', credentials.openAiCompatible);
		useCredential(workflow, 'smtp', smtp);
		setParameters(workflow, agentNodeName, { options: { localFolder: n8n.storageFolder, maxRetries: 0, itemConcurrency: 1 } });
		setParameters(workflow, 'Create Ticket', { url: `${tickets.url}/api/tickets` });
		const trigger = workflow.nodes[0];
		trigger.webhookId = `6a0e7c1d-0b1e-4d2a-9f06-${String(deployed.size + 1).padStart(12, '0')}`;
		trigger.parameters = { ...trigger.parameters, path: `durable-agent/support-by-email-${variant}` };
		customize(workflow);
		await n8n.rest.createAndPublishWorkflow(workflow);
		deployed.set(variant, workflow);
	}
});

afterAll(async () => {
	await n8n?.stop();
	await inbox?.close();
	await tickets?.close();
	await llm?.close();
});

beforeEach(() => {
	tickets.calls.length = 0;
});

/**
 * The wrong wiring: the reply comes from a message built from the agent's Done output (an answered
 * item), so it answers no paused item; the paused item waits at a Durable AI Agent Resume node.
 */
function wiredFromDoneOutput(workflow: Workflow): void {
	const storage = { storage: 'localDisk', options: { localFolder: n8n.storageFolder } };
	workflow.nodes.push({ id: '6a0e7c1d-0b1e-4d2a-9f06-000000000099', name: 'Wait for Decision', type: 'n8n-nodes-durable-agent.durableAgentResume', typeVersion: 1, position: [700, 400], parameters: storage });
	workflow.nodes.push({ id: '6a0e7c1d-0b1e-4d2a-9f06-000000000098', name: 'Split Requests', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [150, 0], parameters: { fieldToSplitOut: 'body.requests', include: 'noOtherFields', options: {} } });
	workflow.connections['Support Request'] = { main: [[{ node: 'Split Requests', type: 'main', index: 0 }]] };
	workflow.connections['Split Requests'] = { main: [[{ node: agentNodeName, type: 'main', index: 0 }]] };
	workflow.connections[agentNodeName] = { main: [[{ node: emailNodeName, type: 'main', index: 0 }], [{ node: 'Wait for Decision', type: 'main', index: 0 }]] };
	workflow.connections['Wait for Decision'] = { main: [[{ node: agentNodeName, type: 'main', index: 0 }]] };
	setParameters(workflow, agentNodeName, { task: '=Customer request: {{ $json.request }}' });
	setParameters(workflow, emailNodeName, { subject: 'An answer', message: '={{ $json.output }}' });
}

async function start(variant: string, body: unknown): Promise<string> {
	const workflow = deployed.get(variant);
	if (workflow === undefined) throw new Error(`No workflow for ${variant}.`);
	const before = (await n8n.executions.list(workflow.id))[0]?.id;
	const response = await postToWebhook(n8n.url, String(workflow.nodes[0].parameters.path), body);
	if (response.status !== 200) throw new Error(`The request was answered with HTTP ${response.status}: ${response.text}`);
	return (await n8n.executions.waitForNext(workflow.id, before, ['waiting', 'success', 'error'])).id;
}

async function finished(executionId: string): Promise<Execution> {
	const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
	if (execution.status !== 'success') throw new Error(describeFailure(execution));
	return execution;
}

async function follow(link: string | undefined): Promise<number> {
	if (link === undefined) throw new Error('The message has no such link.');
	return (await fetch(link, { headers: browserHeaders })).status;
}

describe('Approving from any channel: Send Email "Send and Wait for Response" wired back into the agent', () => {
	it('lists every pending call in one message; following its Approve link continues the run and the approved tool runs once', async () => {
		llm.load([ticketCall('call_ticket', 'Printer on fire')]);
		const sent = inbox.messages.length;
		const executionId = await start('approval', { request: 'Please help: Printer on fire' });
		const mail = await inbox.waitForMessage(sent + 1);

		expect((await n8n.executions.get(executionId)).status).toBe('waiting');
		expect(mail.to).toBe('approver@example.com');
		expect(mail.subject).toBe('Approval needed: Create_Ticket');
		expect(mail.text).toContain('Create_Ticket {"title":"Printer on fire","priority":"high"}');
		expect(tickets.calls).toEqual([]);

		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open.');
		expect(await follow(responseLinks(mail).approve)).toBe(200);
		const execution = await finished(executionId);

		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Printer on fire', priority: 'high' }]);
		expect(nodeOutput(execution, 'Result')).toEqual([expect.objectContaining({ answer: 'Ticket T-1 is open.' })]);
		expect(await follow(responseLinks(mail).approve)).not.toBe(500);
		expect(tickets.calls).toHaveLength(1);
	});

	it('following the Reject link gives the model the rejection, and the tool never runs', async () => {
		llm.load([ticketCall('call_ticket', 'Free pizza')]);
		const sent = inbox.messages.length;
		const executionId = await start('approval', { request: 'Free pizza for the office' });
		const mail = await inbox.waitForMessage(sent + 1);
		replyAfterDecision(llm, 'call_ticket', 'Disapproved by the person asked', 'Understood: no ticket.');

		expect(await follow(responseLinks(mail).disapprove)).toBe(200);
		const execution = await finished(executionId);

		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls).toEqual([]);
		expect(nodeOutput(execution, 'Result')).toEqual([expect.objectContaining({ answer: 'Understood: no ticket.' })]);
	});

	it('a Free Text reply answers the agent\'s ask_human question', async () => {
		llm.load([{ kind: 'reply', toolCalls: [{ id: 'call_ask', name: 'ask_human', arguments: { question: 'Which printer do you mean?' } }] }]);
		const sent = inbox.messages.length;
		const executionId = await start('freeText', { request: 'The printer is broken' });
		const mail = await inbox.waitForMessage(sent + 1);
		expect(mail.text).toContain('Question: Which printer do you mean?');
		const formUrl = responseLinks(mail).respond;
		if (formUrl === undefined) throw new Error('The message has no Respond link.');
		expect((await fetch(formUrl, { headers: browserHeaders })).status).toBe(200);
		replyAfterDecision(llm, 'call_ask', 'The one on floor 3', 'Thanks, floor 3 it is.');

		const form = new FormData();
		form.set('field-0', 'The one on floor 3');
		const posted = await fetch(formUrl, { method: 'POST', body: form, headers: browserHeaders });

		expect(posted.status).toBe(200);
		const execution = await finished(executionId);
		expect(llm.expectationFailures).toEqual([]);
		expect(nodeOutput(execution, 'Result')).toEqual([expect.objectContaining({ answer: 'Thanks, floor 3 it is.' })]);
	});

	it('refuses a reply wired from an item that is not paused: nothing is decided, the paused item goes out again saying how to wire it, and the execution keeps waiting', async () => {
		llm.load([{ kind: 'reply', text: 'We open at 9.' }, ticketCall('call_monitor', 'Monitor flickers')]);
		const sent = inbox.messages.length;
		const executionId = await start('fromDoneOutput', { requests: [{ request: 'When do you open?' }, { request: 'Monitor flickers' }] });
		const mail = await inbox.waitForMessage(sent + 1);
		expect(mail.text).toContain('We open at 9.');

		expect(await follow(responseLinks(mail).approve)).toBe(200);
		const waiting = await n8n.executions.waitForStatus(executionId, ['waiting', 'error', 'success']);

		expect(waiting.status).toBe('waiting');
		expect(tickets.calls).toEqual([]);
		expect(nodeRunCount(waiting, agentNodeName)).toBe(2);
		const [again] = nodeOutput(waiting, agentNodeName, { run: 1, output: 1 }) as unknown as PausedItemJson[];
		expect(again.pending).toEqual([expect.objectContaining({ toolCallId: 'call_monitor' })]);
		expect(again.notice).toContain('is not a paused item of this node');
		expect(again.notice).toContain('Needs Approval output to the send-and-wait node');
	});
});
