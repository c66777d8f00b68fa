import type { PausedItemJson } from '../../lib/resume';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { anthropicChatModel, deepSeekChatModel, openAiChatModel, type ChatModelSubNode } from './support/chat-model-sub-nodes';
import { describeFailure, nodeOutput, nodeRunCount } from './support/executions';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { offersTools } from './support/offered-tools';
import { postDecisions } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import type { Workflow } from './support/workflows';

/**
 * Provider → Connected Chat Model in a real n8n, with n8n's own Chat Model sub-nodes pointed at the
 * scripted server: the model calls a gated Code Tool, the run pauses on the Approval output and
 * waits in Durable AI Agent Resume, the approval continues the same run, the tool runs once and
 * the model's JSON answer comes out of Done, validated against the schema. Every model call is a
 * run of the sub-node, so n8n's Logs panel and execution data show it.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('connected-chat-model');
});

afterAll(async () => {
	await n8n?.stop();
	await llm?.close();
});

const agentName = 'Order Agent';
const resumeName = 'Wait for Decision';
const toolName = 'Lookup_Order';

/** Webhook → Durable AI Agent (Connected Chat Model, JSON output, gated Code Tool) → Approval → Resume → back into the agent. */
async function deployOrderAgent(subNode: ChatModelSubNode, index: number): Promise<Workflow> {
	const credential = await subNode.createCredential(n8n.rest, llm);
	const model = subNode.node(credential);
	const workflow: Workflow = {
		id: `durableAgentConnected${index}`,
		name: `Connected chat model: ${subNode.label}`,
		nodes: [
			{
				id: `connected-${index}-webhook`,
				name: 'Order Question',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `6b2d0e3f-0000-4000-8000-00000000000${index}`,
				parameters: { httpMethod: 'POST', path: `durable-agent/connected-${index}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: `connected-${index}-agent`,
				name: agentName,
				type: 'n8n-nodes-durable-agent.durableAgent',
				typeVersion: 1,
				position: [300, 0],
				parameters: {
					provider: 'connected',
					task: '={{ $json.body.question }}',
					outputFormat: 'json',
					schemaSource: 'jsonSchema',
					jsonSchema: JSON.stringify({
						type: 'object',
						properties: { orderId: { type: 'string' }, status: { type: 'string', enum: ['shipped', 'pending'] } },
						required: ['orderId', 'status'],
					}),
					toolApprovals: { rules: [{ toolName, when: 'always' }] },
					storage: 'localDisk',
					options: { localFolder: n8n.storageFolder, maxRetries: 0 },
				},
			},
			{ id: `connected-${index}-model`, position: [200, 260], ...model },
			{
				id: `connected-${index}-tool`,
				name: 'Lookup Order',
				type: '@n8n/n8n-nodes-langchain.toolCode',
				typeVersion: 1.3,
				position: [400, 260],
				parameters: {
					description: 'Looks up an order by its id.',
					language: 'javaScript',
					jsCode: "return JSON.stringify({ orderId: query.orderId, status: 'shipped' });",
					specifyInputSchema: true,
					schemaType: 'manual',
					inputSchema: JSON.stringify({ type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] }),
				},
			},
			{
				id: `connected-${index}-resume`,
				name: resumeName,
				type: 'n8n-nodes-durable-agent.durableAgentResume',
				typeVersion: 1,
				position: [640, 160],
				parameters: { storage: 'localDisk', options: { localFolder: n8n.storageFolder } },
			},
		],
		connections: {
			'Order Question': { main: [[{ node: agentName, type: 'main', index: 0 }]] },
			[model.name]: { ai_languageModel: [[{ node: agentName, type: 'ai_languageModel', index: 0 }]] },
			'Lookup Order': { ai_tool: [[{ node: agentName, type: 'ai_tool', index: 0 }]] },
			[agentName]: { main: [[], [{ node: resumeName, type: 'main', index: 0 }]] },
			[resumeName]: { main: [[{ node: agentName, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	await n8n.rest.createAndPublishWorkflow(workflow);
	return workflow;
}

describe.each([openAiChatModel, anthropicChatModel, deepSeekChatModel].map((subNode, index) => [subNode.label, subNode, index + 1] as const))(
	'Durable AI Agent with n8n’s %s',
	(_label, subNode, index) => {
		it('calls the gated tool after an approval and answers schema-valid JSON, each model call a run of the sub-node', async () => {
			const workflow = await deployOrderAgent(subNode, index);
			llm.load([
				{
					kind: 'reply',
					text: 'Let me look that order up.',
					toolCalls: [{ id: 'call_lookup', name: toolName, arguments: { orderId: 'A-17' } }],
					expect: offersTools([toolName]),
				},
			]);

			const response = await postToWebhook(n8n.url, `durable-agent/connected-${index}`, { question: 'Where is order A-17?' });
			expect(response.status).toBe(200);
			const waiting = await n8n.executions.waitForNext(workflow.id, undefined, ['waiting', 'error', 'success']);
			expect({ status: waiting.status, failure: describeFailure(waiting) }).toEqual({ status: 'waiting', failure: 'no error recorded' });
			const [paused] = nodeOutput(waiting, agentName, { output: 1 }) as unknown as PausedItemJson[];
			expect(paused.pending).toEqual([expect.objectContaining({ toolCallId: 'call_lookup', toolName, arguments: { orderId: 'A-17' } })]);
			expect(nodeRunCount(waiting, 'Lookup Order')).toBe(0);
			expect(llm.requests[0].conversation.messages[0].text).toContain('Where is order A-17?');
			expect(llm.requests.map((request) => [request.wireFormat, request.conversation.model])).toEqual([[subNode.wire, subNode.modelName]]);

			llm.load([
				{
					kind: 'reply',
					text: '{"orderId":"A-17","status":"shipped"}',
					expect: { toolResults: [{ toolCallId: 'call_lookup', outputIncludes: 'shipped' }] },
				},
			]);
			const approval = await postDecisions(paused.approvalUrl, { token: paused.reference.token, decisions: [{ toolCallId: 'call_lookup', decision: 'approve' }] });
			expect(approval.status).toBe(200);

			const execution = await n8n.executions.waitForStatus(waiting.id, ['success', 'error']);
			expect({ status: execution.status, failure: describeFailure(execution) }).toEqual({ status: 'success', failure: 'no error recorded' });
			expect(llm.expectationFailures).toEqual([]);
			expect(llm.remainingSteps()).toBe(0);
			expect(nodeOutput(execution, agentName, { run: 1 })).toEqual([
				expect.objectContaining({ status: 'done', output: { orderId: 'A-17', status: 'shipped' }, model: subNode.modelName, runId: paused.runId, turns: 2 }),
			]);
			expect(nodeRunCount(execution, 'Lookup Order')).toBe(1);
			// n8n's Logs panel lists each model call as a run of the sub-node.
			expect(nodeRunCount(execution, subNode.nodeName)).toBe(2);
		});
	},
);
