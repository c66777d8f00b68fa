import type { PausedItemJson } from '../../../lib/resume';
import type { ScriptedLlmServer, Step } from '../../support/scripted-llm-server';
import { nodeOutput, type Execution } from './executions';
import type { CredentialReference } from './llm-credentials';
import type { TestN8n } from './n8n-test-instance';
import { offersTools } from './offered-tools';
import type { RecordingServer } from './recording-server';
import { postToWebhook, type WebhookResponse } from './webhooks';
import { findNode, readExample, setParameters, useCredential, webhookPath, type Workflow } from './workflows';

/**
 * Example 2 (Webhook → Durable AI Agent with the gated "Create Ticket" tool → Needs approval →
 * Send Approval Link + Durable AI Agent Resume → back into the agent) and the steps of its
 * approval flow, as a person or a program performs them over HTTP.
 */

export const agentNodeName = 'Support Agent';
export const resumeNodeName = 'Wait for Decision';
export const ticketToolName = 'Create_Ticket';

export type SupportWorkflowOptions = {
	n8n: Pick<TestN8n, 'rest' | 'storageFolder'>;
	credential: CredentialReference;
	tickets: RecordingServer;
	/** Patches applied after the test set-up, e.g. another storage. */
	customize?: (workflow: Workflow) => void;
};

/** Example 2 pointed at the test's LLM credential, ticket server and storage folder, published. */
export async function deploySupportWorkflow({ n8n, credential, tickets, customize }: SupportWorkflowOptions): Promise<Workflow> {
	const workflow = readExample('02-support-agent-approval.json');
	useCredential(workflow, 'durableAgentOpenAiCompatibleApi', credential);
	// One item at a time keeps the scripted model's replies in a known order.
	setParameters(workflow, agentNodeName, { options: { localFolder: n8n.storageFolder, maxRetries: 0, itemConcurrency: 1 } });
	setParameters(workflow, resumeNodeName, { options: { localFolder: n8n.storageFolder } });
	setParameters(workflow, 'Create Ticket', { url: `${tickets.url}/api/tickets` });
	customize?.(workflow);
	await n8n.rest.createAndPublishWorkflow(workflow);
	return workflow;
}

/** The model's first turn: it opens a ticket, which the workflow gates. */
export function ticketCall(toolCallId: string, title: string, priority = 'high'): Step {
	return {
		kind: 'reply',
		text: `I will open a ticket: ${title}.`,
		toolCalls: [{ id: toolCallId, name: ticketToolName, arguments: { title, priority } }],
		expect: offersTools([ticketToolName, 'ask_human']),
	};
}

export type StartedRequest = { response: WebhookResponse; executionId: string; approvalUrl: string };

/** Sends a support request and returns the approval link the workflow answered with. */
export async function requestSupport(n8n: Pick<TestN8n, 'url'>, workflow: Workflow, body: unknown): Promise<StartedRequest> {
	const response = await postToWebhook(n8n.url, webhookPath(workflow), body);
	if (response.status !== 200) throw new Error(`The support request was answered with HTTP ${response.status}: ${response.text}`);
	const answer = response.json() as { status?: string; approvals?: Array<{ approvalUrl: string }> };
	const approvalUrl = answer.approvals?.[0]?.approvalUrl;
	if (answer.status !== 'needs_approval' || approvalUrl === undefined) throw new Error(`Expected an approval link, got ${response.text}`);
	return { response, executionId: executionIdOf(approvalUrl), approvalUrl };
}

/** n8n's resume URL is `<base>/webhook-waiting/<executionId>?signature=…`. */
export function executionIdOf(approvalUrl: string): string {
	const match = /\/webhook-waiting\/([^/?]+)/.exec(new URL(approvalUrl).pathname);
	if (match === null) throw new Error(`${approvalUrl} is not an n8n resume URL.`);
	return match[1];
}

/** The items the agent put on its Needs approval output in its first run. */
export function pausedItems(execution: Execution): PausedItemJson[] {
	return nodeOutput(execution, agentNodeName, { output: 1 }) as unknown as PausedItemJson[];
}

export type HttpAnswer = { status: number; text: string; json(): unknown };

async function answerOf(response: Response): Promise<HttpAnswer> {
	const text = await response.text();
	return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}

/** POSTs decisions as JSON, the way a program (a chat bot, another system) answers. */
export async function postDecisions(approvalUrl: string, body: unknown): Promise<HttpAnswer> {
	return await answerOf(
		await fetch(approvalUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) }),
	);
}

/** GETs the approval page the way a browser does. */
export async function getApprovalPage(approvalUrl: string): Promise<HttpAnswer> {
	return await answerOf(await fetch(approvalUrl, { headers: { accept: 'text/html' } }));
}

/** Loads the model's reply for the turn after a decision and checks what the tool result said. */
export function replyAfterDecision(llm: ScriptedLlmServer, toolCallId: string, toolResultIncludes: string, text: string): void {
	llm.load([{ kind: 'reply', text, expect: { toolResults: [{ toolCallId, outputIncludes: toolResultIncludes }] } }]);
}

/**
 * The example with a Split Out node in front of the agent, so one request carries several
 * customer requests (`{ "requests": [{ "request": "…" }, …] }`) that reach the agent as items of one
 * execution. Its own id and webhook path let it live beside the plain example.
 */
export function withOneItemPerRequest(workflow: Workflow): void {
	workflow.id = 'durableAgentEx2split';
	const trigger = workflow.nodes.find((node) => node.name === 'Support Request');
	if (trigger === undefined) throw new Error('Example 2 has no "Support Request" node.');
	trigger.webhookId = '3f6c1d8e-2b4a-4e7f-9c1d-5a6b7c8d9e12';
	trigger.parameters = { ...trigger.parameters, path: 'durable-agent/support-requests' };
	workflow.nodes.push({
		id: '8c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e10',
		name: 'Split Requests',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [150, 0],
		parameters: { fieldToSplitOut: 'body.requests', include: 'noOtherFields', options: {} },
	});
	workflow.connections['Support Request'] = { main: [[{ node: 'Split Requests', type: 'main', index: 0 }]] };
	workflow.connections['Split Requests'] = { main: [[{ node: agentNodeName, type: 'main', index: 0 }]] };
	setParameters(workflow, agentNodeName, { task: '=Customer request: {{ $json.request }}' });
}

/**
 * The example turned into a recovery workflow: a webhook takes a stored decision record
 * (`{ reference, decisions, decidedAt }`, as the bucket keeps it under `decisions/{pauseId}.json`)
 * and the same agent, in Continue Paused Run mode, continues that pause; the webhook answers with
 * the Result node's item. The approval branch is gone: this workflow only finishes runs.
 */
export function asRecoveryWorkflow(workflow: Workflow): void {
	workflow.id = 'durableAgentEx2recover';
	workflow.name = `${workflow.name} (recovery)`;
	const trigger = findNode(workflow, 'Support Request');
	trigger.webhookId = '3f6c1d8e-2b4a-4e7f-9c1d-5a6b7c8d9e52';
	trigger.parameters = { ...trigger.parameters, path: 'durable-agent/recover-run', responseMode: 'lastNode' };
	workflow.nodes = workflow.nodes.filter((node) => node.name !== 'Send Approval Link' && node.name !== resumeNodeName);
	delete workflow.connections[resumeNodeName];
	workflow.connections[agentNodeName] = { main: [[{ node: 'Result', type: 'main', index: 0 }]] };
	setParameters(workflow, agentNodeName, { mode: 'continue', pauseReference: '={{ $json.body.reference }}', decisions: '={{ $json.body.decisions }}' });
}
