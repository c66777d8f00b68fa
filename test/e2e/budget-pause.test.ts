import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { describeFailure, nodeOutput } from './support/executions';
import { createLlmCredentials, type LlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { agentNodeName, deploySupportWorkflow, getApprovalPage, pausedItems, postDecisions, replyAfterDecision, requestSupport, ticketCall } from './support/support-workflow';
import { setParameters, type Workflow } from './support/workflows';

/**
 * On Budget Exceeded = Ask for Approval in a real n8n: Example 2 with a Token Budget of 100 and a
 * Cost Budget of $1. The model's first turn spends 120 tokens, so the run pauses on its budget
 * before the ticket call runs; the execution waits in Durable AI Agent Resume, whose page shows the
 * spending, and approving lets the run go on while rejecting ends it with token_budget.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let credentials: LlmCredentials;
let workflow: Workflow;

/** $1000 and $2000 per million tokens: the first turn's 100 + 20 tokens cost an estimated $0.14. */
const priceTable = JSON.stringify({ 'gpt-5.4-mini': { input: 1000, output: 2000, cacheRead: 0, cacheWrite: 0 } });

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('budget-pause');
	credentials = await createLlmCredentials(n8n.rest, llm);
	workflow = await deploySupportWorkflow({
		n8n,
		credential: credentials.openAiCompatible,
		tickets,
		// Tickets need no approval here: the only pause is the budget's.
		customize: (example) => setParameters(example, agentNodeName, { toolApprovals: { rules: [] }, options: { tokenBudget: 100, costBudgetUsd: 1, onBudgetExceeded: 'ask', priceTable } }),
	});
});

afterAll(async () => {
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

beforeEach(() => {
	tickets.calls.length = 0;
});

/** A support request whose first model turn calls Create_Ticket and spends 120 tokens; waits until the execution waits. */
async function pausedOnBudget(title: string) {
	const firstTurn = ticketCall('call_ticket', title);
	if (firstTurn.kind !== 'reply') throw new Error('The ticket call is a scripted reply.');
	llm.load([{ ...firstTurn, usage: { inputTokens: 100, outputTokens: 20 } }]);
	const started = await requestSupport(n8n, workflow, { request: `Please help: ${title}` });
	const execution = await n8n.executions.waitForStatus(started.executionId, ['waiting']);
	const [paused] = pausedItems(execution);
	return { ...started, paused, token: paused.reference.token, budgetCallId: paused.pending[0].toolCallId };
}

describe('A budget pause through Durable AI Agent Resume in a real n8n', () => {
	it('shows the spending against the budgets, refuses an answer or edited arguments, and an approval lets the run go on', async () => {
		const { approvalUrl, executionId, token, paused, budgetCallId } = await pausedOnBudget('Printer on fire');
		expect(paused.pending).toEqual([
			expect.objectContaining({ kind: 'budget', spending: { exceeded: 'token_budget', spentTokens: 120, spentCostUsd: expect.closeTo(0.14, 6), tokenBudget: 100, costBudgetUsd: 1, approvals: 0 } }),
		]);

		const page = await getApprovalPage(approvalUrl);

		expect(page.status).toBe(200);
		expect(page.text).toContain('<strong>120 tokens</strong> spent of 100 tokens allowed');
		expect(page.text).toContain('<strong>$0.1400</strong> spent of $1.0000 allowed');
		expect(page.text).toContain('the run may spend as much again (up to 200 tokens and $2.0000 in total)');
		expect(page.text.match(/value="(approve|reject|edit)"/g)).toEqual(['value="approve"', 'value="reject"']);
		expect(tickets.calls).toEqual([]);

		const answer = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: budgetCallId, decision: 'answer', answer: 'yes' }] });
		const edited = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: budgetCallId, decision: 'approve', arguments: { tokens: 1_000_000 } }] });

		expect([answer.status, edited.status]).toEqual([400, 400]);
		expect((await n8n.executions.get(executionId)).status).toBe('waiting');

		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open.');
		const approval = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: budgetCallId, decision: 'approve' }] });

		expect(approval.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('success');
		expect(llm.expectationFailures).toEqual([]);
		expect(tickets.calls).toEqual([{ method: 'POST', path: '/api/tickets', body: { title: 'Printer on fire', priority: 'high' } }]);
		expect(nodeOutput(execution, agentNodeName, { run: 1 })).toEqual([expect.objectContaining({ status: 'done', output: 'Ticket T-1 is open.', runId: paused.runId, turns: 2 })]);
	});

	it('a rejection ends the run with token_budget and the reviewer’s reason; the ticket is never opened', async () => {
		const { approvalUrl, executionId, token, budgetCallId } = await pausedOnBudget('Free pizza');
		llm.load([]);

		const rejection = await postDecisions(approvalUrl, { token, decisions: [{ toolCallId: budgetCallId, decision: 'reject', reason: 'Not worth more tokens' }] });

		expect(rejection.status).toBe(200);
		const execution = await n8n.executions.waitForStatus(executionId, ['success', 'error']);
		expect(execution.status).toBe('error');
		expect(describeFailure(execution)).toContain('token_budget: The run spent 120 tokens, over its budget of 100.');
		expect(describeFailure(execution)).toContain('A reviewer declined to raise it: Not worth more tokens');
		expect(tickets.calls).toEqual([]);
	});
});
