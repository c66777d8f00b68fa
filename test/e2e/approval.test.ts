import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { nodeOutput, nodeRunCount } from './support/executions';
import { createLlmCredentials, type LlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import {
	agentNodeName,
	deploySupportWorkflow,
	getApprovalPage,
	pausedItems,
	postDecisions,
	replyAfterDecision,
	requestSupport,
	ticketCall,
	withOneItemPerRequest,
} from './support/support-workflow';
import type { Workflow } from './support/workflows';

/**
 * Example 2 in a real n8n: the agent pauses on the gated ticket tool (or on ask_human), the
 * execution waits in Durable AI Agent Resume, and decisions posted to n8n's resume URL continue
 * the same run.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let credentials: LlmCredentials;
let workflow: Workflow;
let splitWorkflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('approval');
	credentials = await createLlmCredentials(n8n.rest, llm);
	workflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });
	splitWorkflow = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets, customize: withOneItemPerRequest });
});

afterAll(async () => {
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

beforeEach(() => {
	tickets.calls.length = 0;
});

/** Starts a support request whose first model turn calls Create_Ticket, and waits until the execution waits. */
async function pausedOnTicket(title: string, toolCallId = 'call_ticket') {
	llm.load([ticketCall(toolCallId, title)]);
	const started = await requestSupport(n8n, workflow, { request: `Please help: ${title}` });
	const execution = await n8n.executions.waitForStatus(started.executionId, ['waiting']);
	const [paused] = pausedItems(execution);
	return { ...started, paused, token: paused.reference.token };
}

describe('Durable AI Agent approvals in a real n8n', () => {
	it('shows the approval page while the execution keeps waiting, and an approval runs the gated tool exactly once, even when replayed', async () => {
		const { approvalUrl, executionId, token, paused, response } = await pausedOnTicket('Printer on fire');
		expect(response.json()).toMatchObject({ status: 'needs_approval', approvals: [{ pending: [{ toolCallId: 'call_ticket', toolName: 'Create_Ticket' }] }] });
		expect(paused.pending).toEqual([expect.objectContaining({ toolCallId: 'call_ticket', kind: 'approval', arguments: { title: 'Printer on fire', priority: 'high' } })]);

		const page = await getApprovalPage(approvalUrl);

		expect(page.status).toBe(200);
		expect(page.text).toContain('Create_Ticket');
		expect(page.text).toContain('Printer on fire');
		expect((await n8n.executions.get(executionId)).status).toBe('waiting');
		expect(tickets.calls).toEqual([]);

		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open; a technician is on the way.');
		const approval = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: 'call_ticket', decision: 'approve' }] });

		expect(approval.status).toBe(200);
		expect(approval.json()).toEqual({ status: 'resumed', items: 1 });
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls).toEqual([{ method: 'POST', path: '/api/tickets', body: { title: 'Printer on fire', priority: 'high' } }]);
		expect(nodeOutput(execution, agentNodeName, { run: 1 })).toEqual([
			expect.objectContaining({ status: 'done', output: 'Ticket T-1 is open; a technician is on the way.', runId: paused.runId, turns: 2 }),
		]);
		expect(nodeOutput(execution, 'Result')).toEqual([{ answer: 'Ticket T-1 is open; a technician is on the way.', agentRunId: paused.runId }]);

		const replay = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: 'call_ticket', decision: 'approve' }] });

		expect(replay.status).toBe(409);
		expect(tickets.calls).toHaveLength(1);
	});

	it('returns a rejection and its reason to the model, and the tool never runs', async () => {
		const { approvalUrl, executionId, token } = await pausedOnTicket('Free pizza for the office');
		replyAfterDecision(llm, 'call_ticket', 'not a support issue', 'Understood: no ticket for that.');

		const rejection = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: 'call_ticket', decision: 'reject', reason: 'This is not a support issue' }] });

		expect(rejection.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls).toEqual([]);
		expect(nodeOutput(execution, 'Result')).toEqual([expect.objectContaining({ answer: 'Understood: no ticket for that.' })]);
	});

	it('runs the tool with the arguments the approver edited', async () => {
		const { approvalUrl, executionId, token } = await pausedOnTicket('Printer broken');
		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open with normal priority.');

		const approval = await postDecisions(approvalUrl, {
			token,
			decisions: [{ toolCallId: 'call_ticket', decision: 'approve', arguments: { title: 'Printer on floor 3 jams', priority: 'normal' } }],
		});

		expect(approval.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Printer on floor 3 jams', priority: 'normal' }]);
	});

	it('pauses on ask_human and continues with the person\'s answer as the tool result', async () => {
		llm.load([{ kind: 'reply', toolCalls: [{ id: 'call_ask', name: 'ask_human', arguments: { question: 'Which printer do you mean?' } }] }]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'The printer is broken' });
		const waiting = await n8n.executions.waitForStatus(executionId, ['waiting']);
		const [paused] = pausedItems(waiting);
		expect(paused.pending).toEqual([expect.objectContaining({ toolCallId: 'call_ask', kind: 'question', arguments: { question: 'Which printer do you mean?' } })]);
		expect((await getApprovalPage(approvalUrl)).text).toContain('Which printer do you mean?');
		replyAfterDecision(llm, 'call_ask', 'The one on floor 3', 'Thanks, I will look at the printer on floor 3.');

		const answer = await postDecisions(approvalUrl, { token: paused.reference.token, decisions: [{ toolCallId: 'call_ask', decision: 'answer', answer: 'The one on floor 3' }] });

		expect(answer.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(nodeOutput(execution, 'Result')).toEqual([expect.objectContaining({ answer: 'Thanks, I will look at the printer on floor 3.' })]);
	});

	it('refuses a forged token, a replayed decision, an unknown call and invalid edited arguments while the execution waits; a valid decision then resumes it', async () => {
		llm.load([ticketCall('call_first', 'Laptop will not boot'), ticketCall('call_second', 'VPN is down')]);
		const { approvalUrl, executionId } = await requestSupport(n8n, splitWorkflow, { requests: [{ request: 'Laptop will not boot' }, { request: 'VPN is down' }] });
		const [first, second] = pausedItems(await n8n.executions.waitForStatus(executionId, ['waiting']));
		const { token } = first.reference;
		const approveFirst = { token, decisions: [{ toolCallId: 'call_first', decision: 'approve' }] };

		const recorded = await postDecisions(approvalUrl, approveFirst);
		const replayed = await postDecisions(approvalUrl, approveFirst);
		const forged = await postDecisions(approvalUrl, { ...approveFirst, token: `${token.slice(0, -4)}AAAA` });
		const unknown = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: 'call_nobody_made', decision: 'approve' }] });
		const invalidEdit = await postDecisions(approvalUrl, { token: second.reference.token, decisions: [{ toolCallId: 'call_second', decision: 'approve', arguments: { title: 42 } }] });
		const otherItemsToken = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: 'call_second', decision: 'approve' }] });
		const withoutSignature = await postDecisions(approvalUrl.replace(/\?.*$/, ''), approveFirst);
		// No token, a made-up signature: the node trusts n8n to have checked the signature, so n8n must refuse it.
		const forgedSignature = await postDecisions(approvalUrl.replace(/signature=[^&]+/, 'signature=forged'), { decisions: [{ toolCallId: 'call_second', decision: 'approve' }] });

		expect(recorded).toMatchObject({ status: 202 });
		expect(recorded.json()).toEqual({ status: 'recorded', waitingFor: 1 });
		expect([replayed.status, (replayed.json() as { error: { code: string } }).error.code]).toEqual([409, 'already_decided']);
		expect([forged.status, (forged.json() as { error: { code: string } }).error.code]).toEqual([403, 'token_invalid']);
		expect([unknown.status, (unknown.json() as { error: { code: string } }).error.code]).toEqual([400, 'unknown_tool_call']);
		expect([invalidEdit.status, (invalidEdit.json() as { error: { code: string } }).error.code]).toEqual([400, 'invalid_decision']);
		expect([otherItemsToken.status, (otherItemsToken.json() as { error: { code: string } }).error.code]).toEqual([403, 'token_for_other_item']);
		expect(withoutSignature.status).toBe(401);
		expect(forgedSignature.status).toBe(401);
		expect((await n8n.executions.get(executionId)).status).toBe('waiting');
		expect(tickets.calls).toEqual([]);

		llm.load([{ kind: 'reply', text: 'Ticket T-1 is open.' }, { kind: 'reply', text: 'Ticket T-2 is open.' }]);
		const valid = await postDecisions(approvalUrl, { token: second.reference.token, decisions: [{ toolCallId: 'call_second', decision: 'approve' }] });

		expect(valid.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(tickets.calls.map((call) => call.body)).toEqual([
			{ title: 'Laptop will not boot', priority: 'high' },
			{ title: 'VPN is down', priority: 'high' },
		]);
	});

	it('handles several items in one execution: those that need no approval finish at once, the paused ones after the decision', async () => {
		llm.load([
			ticketCall('call_printer', 'Printer jammed'),
			{ kind: 'reply', text: 'Our opening hours are 9 to 5.' },
			ticketCall('call_monitor', 'Monitor flickers'),
		]);
		const requests = [{ request: 'Printer jammed' }, { request: 'When are you open?' }, { request: 'Monitor flickers' }];
		const { approvalUrl, executionId, response } = await requestSupport(n8n, splitWorkflow, { requests });
		const waiting = await n8n.executions.waitForStatus(executionId, ['waiting']);

		expect((response.json() as { approvals: unknown[] }).approvals).toHaveLength(2);
		expect(pausedItems(waiting).map((item) => item.pending[0].toolCallId)).toEqual(['call_printer', 'call_monitor']);
		expect(nodeOutput(waiting, 'Result')).toEqual([expect.objectContaining({ answer: 'Our opening hours are 9 to 5.' })]);

		llm.load([{ kind: 'reply', text: 'Printer ticket T-1 is open.' }, { kind: 'reply', text: 'No monitor ticket, as you said.' }]);
		// n8n's signature alone decides every item of the wait; a pause token would decide its own item only.
		const decided = await postDecisions(approvalUrl, {
			decisions: [
				{ toolCallId: 'call_printer', decision: 'approve' },
				{ toolCallId: 'call_monitor', decision: 'reject', reason: 'Replace the cable first' },
			],
		});

		expect(decided.json()).toEqual({ status: 'resumed', items: 2 });
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(nodeRunCount(execution, agentNodeName)).toBe(2);
		expect(nodeOutput(execution, 'Result', { run: 1 }).map((item) => item.answer)).toEqual(['Printer ticket T-1 is open.', 'No monitor ticket, as you said.']);
		expect(tickets.calls.map((call) => call.body)).toEqual([{ title: 'Printer jammed', priority: 'high' }]);
	});
});
