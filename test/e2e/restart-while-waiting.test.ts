import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { nodeOutput } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import {
	deploySupportWorkflow,
	getApprovalPage,
	pausedItems,
	postDecisions,
	replyAfterDecision,
	requestSupport,
	ticketCall,
} from './support/support-workflow';
import type { Workflow } from './support/workflows';

/**
 * A paused execution outlives its n8n process: only n8n's database and the agent's storage carry
 * it across the restart, and the approval link still continues the same run.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let workflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('restart');
	const credentials = await createLlmCredentials(n8n.rest, llm);
	workflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });
});

afterAll(async () => {
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

describe('Durable AI Agent across an n8n restart', () => {
	it('resumes an execution that waited while n8n was stopped and started again', async () => {
		llm.load([ticketCall('call_ticket', 'Server room is too hot')]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'The server room is too hot' });
		const [paused] = pausedItems(await n8n.executions.waitForStatus(executionId, ['waiting']));

		await n8n.restart();

		expect((await n8n.executions.get(executionId)).status).toBe('waiting');
		const page = await getApprovalPage(approvalUrl);
		expect(page.status).toBe(200);
		expect(page.text).toContain('Server room is too hot');
		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open; facilities are on it.');
		const approval = await postDecisions(approvalUrl, { token: paused.reference.token, decisions: [{ toolCallId: 'call_ticket', decision: 'approve' }] });

		expect(approval.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Server room is too hot', priority: 'high' }]);
		expect(nodeOutput(execution, 'Result')).toEqual([{ answer: 'Ticket T-1 is open; facilities are on it.', agentRunId: paused.runId }]);
	});
});
