import { describeFailure, nodeOutput, type Execution } from './support/executions';
import { useScriptedN8n } from './support/scripted-suite';
import { postDecisions } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import type { Workflow } from './support/workflows';
import type { PausedItemJson } from '../../lib/resume';

/**
 * The README's pattern for a sub-agent that may pause: the calling workflow runs the sub-workflow
 * with an Execute Workflow node (wait for completion), the sub-workflow wires its Durable AI Agent
 * through Durable AI Agent Resume. n8n makes the caller wait with the sub-execution; after the
 * decision the caller goes on with the sub-agent's final answer — nothing dropped or replaced.
 */

const suite = useScriptedN8n('sub-agent');

const subWorkflow = (): Workflow => ({
	id: 'durableAgentSubAgent',
	name: 'Sub-agent that asks a person',
	nodes: [
		{ id: 'sub-trigger', name: 'When Called', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, position: [0, 0], parameters: { inputSource: 'passthrough' } },
		{
			id: 'sub-agent',
			name: 'Sub Agent',
			type: 'n8n-nodes-durable-agent.durableAgent',
			typeVersion: 1,
			position: [260, 0],
			credentials: { durableAgentOpenAiCompatibleApi: suite.credential },
			parameters: {
				provider: 'openAiCompatible',
				model: 'gpt-test',
				task: '={{ $json.request }}',
				builtinTools: ['ask_human'],
				options: { localFolder: suite.n8n.storageFolder, maxRetries: 0 },
			},
		},
		{ id: 'sub-resume', name: 'Wait for Answer', type: 'n8n-nodes-durable-agent.durableAgentResume', typeVersion: 1, position: [520, 160], parameters: { options: { localFolder: suite.n8n.storageFolder } } },
	],
	connections: {
		'When Called': { main: [[{ node: 'Sub Agent', type: 'main', index: 0 }]] },
		'Sub Agent': { main: [[], [{ node: 'Wait for Answer', type: 'main', index: 0 }]] },
		'Wait for Answer': { main: [[{ node: 'Sub Agent', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
});

const callingWorkflow = (subWorkflowId: string): Workflow => ({
	id: 'durableAgentSubAgentCaller',
	name: 'Calls the sub-agent',
	nodes: [
		{
			id: 'caller-webhook',
			name: 'Request',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7c3e1f2a-0000-4000-8000-000000000031',
			parameters: { httpMethod: 'POST', path: 'durable-agent/sub-agent', responseMode: 'onReceived', options: {} },
		},
		{
			id: 'caller-prepare',
			name: 'Prepare',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: { assignments: { assignments: [{ id: 'r', name: 'request', value: '={{ $json.body.request }}', type: 'string' }] }, options: {} },
		},
		{
			id: 'caller-execute',
			name: 'Run Sub-Agent',
			type: 'n8n-nodes-base.executeWorkflow',
			typeVersion: 1.2,
			position: [420, 0],
			parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: subWorkflowId }, options: { waitForSubWorkflow: true } },
		},
		{
			id: 'caller-use',
			name: 'Use Answer',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [640, 0],
			parameters: { assignments: { assignments: [{ id: 'a', name: 'answer', value: '={{ $json.output }}', type: 'string' }] }, options: {} },
		},
	],
	connections: {
		Request: { main: [[{ node: 'Prepare', type: 'main', index: 0 }]] },
		Prepare: { main: [[{ node: 'Run Sub-Agent', type: 'main', index: 0 }]] },
		'Run Sub-Agent': { main: [[{ node: 'Use Answer', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
});

async function newest(workflowId: string, statuses: Execution['status'][]): Promise<Execution> {
	return await suite.n8n.executions.waitForNext(workflowId, undefined, statuses);
}

describe('a Durable AI Agent in a sub-workflow', () => {
	it('pauses the calling execution with it, and after the decision the caller goes on with the sub-agent’s answer', async () => {
		const sub = subWorkflow();
		await suite.n8n.rest.createAndPublishWorkflow(sub);
		const caller = callingWorkflow(sub.id);
		await suite.n8n.rest.createAndPublishWorkflow(caller);
		suite.llm.load([{ kind: 'reply', toolCalls: [{ id: 'call_ask', name: 'ask_human', arguments: { question: 'Which plan should the customer get?' } }] }]);

		expect((await postToWebhook(suite.n8n.url, 'durable-agent/sub-agent', { request: 'Pick a plan for ACME.' })).status).toBe(200);
		const waitingSub = await newest(sub.id, ['waiting']);
		const waitingCaller = await newest(caller.id, ['waiting', 'success', 'error']);
		expect(waitingCaller.status).toBe('waiting');
		const [paused] = nodeOutput(waitingSub, 'Sub Agent', { output: 1 }) as unknown as PausedItemJson[];

		suite.llm.load([{ kind: 'reply', text: 'ACME gets the Pro plan.', expect: { toolResults: [{ toolCallId: 'call_ask', outputIncludes: 'Pro' }] } }]);
		const answered = await postDecisions(paused.approvalUrl, { token: paused.reference.token, decisions: [{ toolCallId: 'call_ask', decision: 'answer', answer: 'Pro' }] });
		expect(answered.status).toBe(200);

		const finishedSub = await suite.n8n.executions.waitForStatus(waitingSub.id, ['success', 'error']);
		expect({ status: finishedSub.status, failure: describeFailure(finishedSub) }).toEqual({ status: 'success', failure: 'no error recorded' });
		const finishedCaller = await suite.n8n.executions.waitForStatus(waitingCaller.id, ['success', 'error']);
		expect({ status: finishedCaller.status, failure: describeFailure(finishedCaller) }).toEqual({ status: 'success', failure: 'no error recorded' });
		expect(nodeOutput(finishedCaller, 'Use Answer')).toEqual([expect.objectContaining({ answer: 'ACME gets the Pro plan.' })]);
		expect(suite.llm.expectationFailures).toEqual([]);
	});
});
