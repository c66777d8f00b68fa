import type { IDataObject } from 'n8n-workflow';

import { decisionField, type PausedItemJson } from '../../../lib/resume';
import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { DurableAgentResume } from '../../../nodes/AgentResume/DurableAgentResume.node';
import { outputJson, resumeWorkflow, runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { useWeatherAgent } from '../AgentNode/support/weather-agent-harness';
import { testIds } from './support/paused-runs';
import { approvalQuery, errorOf, useResumeTestbed } from './support/resume-testbed';

/**
 * On Budget Exceeded = Ask for Approval, end to end in n8n-core's WorkflowExecute: the agent pauses
 * on its budget, the Durable AI Agent Resume node waits, its page (on real HTTP) shows what the run
 * spent against its budgets, and the decision comes back into the agent, which continues or ends.
 */

const agent = useWeatherAgent();
const testbed = useResumeTestbed();

/** $1000 and $2000 per million tokens: the first turn's 100 + 20 tokens cost an estimated $0.14. */
const priceTable = JSON.stringify({ 'gpt-test': { input: 1000, output: 2000, cacheRead: 0, cacheWrite: 0 } });
const overBudgetTurn = { kind: 'reply' as const, text: 'Checking Paris.', toolCalls: [{ id: 'call_Paris', name: 'get_weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 100, outputTokens: 20 } };

/** Start → Agent; Needs Approval → Resume → back into the Agent, as the README wires it. */
function workflow(resumeParameters: IDataObject = {}): RunWorkflowOptions {
	const [agentNode, weatherTool] = agent.agentNodes({
		toolApprovals: { rules: [] },
		options: { localFolder: testbed.folder, itemConcurrency: 1, maxRetries: 0, tokenBudget: 100, costBudgetUsd: 1, onBudgetExceeded: 'ask', priceTable },
	});
	return {
		nodeTypes: [StartTestNode, DurableAgent, DurableAgentResume, TestToolNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			agentNode,
			weatherTool,
			{ name: 'Wait for approval', id: testIds.resumeNodeId, type: 'durableAgentResume', parameters: { storage: 'localDisk', options: { localFolder: testbed.folder }, ...resumeParameters } },
		],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			Agent: { main: [[], [{ node: 'Wait for approval', type: 'main', index: 0 }]] },
			'Wait for approval': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		inputItems: [{ city: 'Paris' }],
		credentials: agent.credentials(),
		workflowId: testIds.workflowId,
		executionId: testIds.executionId,
	};
}

async function pauseOnBudget(options: RunWorkflowOptions): Promise<{ waiting: WorkflowRunResult; paused: PausedItemJson }> {
	agent.server.load([overBudgetTurn]);
	const waiting = await runWorkflow(options);
	expect(waiting.status).toBe('waiting');
	const [paused] = outputJson(waiting, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
	return { waiting, paused };
}

/** Decides through the Resume node's webhook and hands n8n's resumed items to the workflow. */
async function decide(options: RunWorkflowOptions, waiting: WorkflowRunResult, paused: PausedItemJson, decision: IDataObject): Promise<WorkflowRunResult> {
	const response = await testbed.postJson({ decisions: [{ toolCallId: paused.pending[0].toolCallId, ...decision }] }, { query: approvalQuery(paused.reference.token) });
	expect(response.status).toBe(200);
	const decisionItems = (testbed.server.results.at(-1)?.workflowData?.[0] ?? []).map((item) => item.json);
	return await resumeWorkflow(options, waiting, decisionItems);
}

describe('A budget pause through the Durable AI Agent Resume node', () => {
	it('pauses before the turn’s tool calls run; the paused item carries what the run spent against its budgets', async () => {
		const { paused } = await pauseOnBudget(workflow());

		expect(paused.pending).toEqual([
			expect.objectContaining({
				kind: 'budget',
				toolName: 'budget',
				spending: { exceeded: 'token_budget', spentTokens: 120, spentCostUsd: expect.closeTo(0.14, 6), tokenBudget: 100, costBudgetUsd: 1, approvals: 0 },
			}),
		]);
		expect(recordedToolCalls).toEqual([]);
	});

	it('shows the spending and approve / reject only on the approval page', async () => {
		const { paused } = await pauseOnBudget(workflow());

		const page = await (await testbed.get(approvalQuery(paused.reference.token), { Accept: 'text/html' })).text();

		expect(page).toContain('Budget reached');
		expect(page).toContain('<strong>120 tokens</strong> spent of 100 tokens allowed');
		expect(page).toContain('<strong>$0.1400</strong> spent of $1.0000 allowed');
		expect(page).toContain('the run may spend as much again (up to 200 tokens and $2.0000 in total)');
		expect(page).toContain('failed with the code <code>token_budget</code>');
		expect(page.match(/value="(approve|reject|edit)"/g)).toEqual(['value="approve"', 'value="reject"']);
		expect(page).not.toContain('Your answer');
		expect(page).not.toContain('Edited arguments');
	});

	it('refuses an answer and edited arguments for the budget, recording nothing', async () => {
		const { paused } = await pauseOnBudget(workflow());
		const send = async (decision: IDataObject) =>
			await testbed.postJson({ decisions: [{ toolCallId: paused.pending[0].toolCallId, ...decision }] }, { query: approvalQuery(paused.reference.token) });

		const answered = await send({ decision: 'answer', answer: 'yes' });
		const edited = await send({ decision: 'approve', arguments: { tokens: 1_000_000 } });

		expect(answered.status).toBe(400);
		expect(await errorOf(answered)).toMatchObject({ code: 'invalid_decision', details: [expect.stringContaining('"answer" is only for questions')] });
		expect(edited.status).toBe(400);
		expect(await errorOf(edited)).toMatchObject({ code: 'invalid_decision', details: [expect.stringContaining('approve it without arguments')] });
		expect(testbed.server.results.every((result) => result.workflowData === undefined)).toBe(true);
	});

	it('approve: the run continues where it stopped, runs the turn’s tool call and finishes', async () => {
		const options = workflow();
		const { waiting, paused } = await pauseOnBudget(options);
		agent.server.load([{ kind: 'reply', text: 'It is sunny in Paris.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'sunny' }] } }]);

		const resumed = await decide(options, waiting, paused, { decision: 'approve' });

		expect(agent.server.expectationFailures).toEqual([]);
		expect(resumed.status).toBe('success');
		// The agent's second run in this execution: the first paused.
		expect(outputJson(resumed, 'Agent', { output: 0, run: 1 })).toEqual([expect.objectContaining({ status: 'done', output: 'It is sunny in Paris.', runId: paused.runId, turns: 2 })]);
		expect(recordedToolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }]);
	});

	it('reject: the run ends with token_budget and the reviewer’s reason, running nothing', async () => {
		const options = workflow();
		const { waiting, paused } = await pauseOnBudget(options);
		agent.server.load([]);

		const resumed = await decide(options, waiting, paused, { decision: 'reject', reason: 'too expensive' });

		expect(resumed.status).toBe('error');
		expect(resumed.error?.message).toMatch(/^token_budget: The run spent 120 tokens, over its budget of 100\. .*A reviewer declined to raise it: too expensive$/);
		expect(recordedToolCalls).toEqual([]);
	});

	it('no decision before the time limit: Reject All ends the run with token_budget', async () => {
		const options = workflow({ limitWaitTime: true, resumeAmount: 1, resumeUnit: 'minutes', onTimeout: 'rejectAll' });
		const { waiting, paused } = await pauseOnBudget(options);
		agent.server.load([]);

		// n8n resumes a timed-out wait by passing the Resume node's input (the paused item) through.
		const resumed = await resumeWorkflow(options, waiting, [paused as unknown as IDataObject]);

		expect(resumed.status).toBe('error');
		expect(resumed.error?.message).toMatch(/^token_budget: .*A reviewer declined to raise it: No decision before the time limit$/);
		expect(recordedToolCalls).toEqual([]);
	});

	it('a decision item that approves the budget with arguments is refused by the agent, naming what to send', async () => {
		const options = workflow();
		const { paused } = await pauseOnBudget(options);

		const result = await agent.run([{ [decisionField]: { reference: paused.reference, decisions: [{ toolCallId: paused.pending[0].toolCallId, decision: 'approve', arguments: { more: true } }] } }], {
			options: { localFolder: testbed.folder, tokenBudget: 100, onBudgetExceeded: 'ask' },
			toolApprovals: { rules: [] },
		}, testIds.executionId);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The decisions cannot be applied');
		expect(result.error?.description).toContain('approve it without arguments');
	});
});
