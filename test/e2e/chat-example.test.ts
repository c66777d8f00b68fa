import { randomUUID } from 'node:crypto';

import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { openAiChatModel } from './support/chat-model-sub-nodes';
import { loadPreviousSession, streamChatMessage } from './support/chat-endpoint';
import { describeFailure, nodeOutput, nodeRunCount } from './support/executions';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { offersTools } from './support/offered-tools';
import { getApprovalPage, postDecisions } from './support/support-workflow';
import { findNode, readExample, setParameters, useCredential, type Workflow } from './support/workflows';

/**
 * Example 5 (Chat Trigger in streaming mode → Durable AI Agent with n8n's OpenAI Chat Model, Simple
 * Memory and a gated Issue Refund Code Tool → Durable AI Agent Resume) imported into a real n8n and
 * used the way a person chats with it: the chat streams the agent's words and, at the pause, the
 * approval link; the chat's answer ends while the execution waits; the link decides; the same run
 * goes on; its answer lands in the session's memory, which the chat loads when it is opened again.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let workflow: Workflow;

const agentName = 'Chat Agent';

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('chat-example');
	workflow = readExample('05-chat-agent-with-approvals.json');
	useCredential(workflow, 'openAiApi', await openAiChatModel.createCredential(n8n.rest, llm));
	setParameters(workflow, agentName, { options: { localFolder: n8n.storageFolder, maxRetries: 0 } });
	setParameters(workflow, 'Wait for Decision', { options: { localFolder: n8n.storageFolder } });
	await n8n.rest.createAndPublishWorkflow(workflow);
});

afterAll(async () => {
	await n8n?.stop();
	await llm?.close();
});

const webhookId = () => String(findNode(workflow, 'When chat message received').webhookId);

describe('Example 5: a chat agent with approvals', () => {
	it('streams the agent’s words and the approval link, goes on after the approval, and the reopened chat shows the answer', async () => {
		const sessionId = randomUUID();
		llm.load([
			{ kind: 'reply', toolCalls: [{ id: 'call_lookup', name: 'Lookup_Order', arguments: { orderId: 'A-17' } }], expect: offersTools(['Lookup_Order', 'Issue_Refund']) },
			{
				kind: 'reply',
				text: 'Order A-17 cost €20; I have asked for the refund.',
				toolCalls: [{ id: 'call_refund', name: 'Issue_Refund', arguments: { orderId: 'A-17', amountEur: 20 } }],
				expect: { toolResults: [{ toolCallId: 'call_lookup', outputIncludes: 'delivered damaged' }] },
			},
		]);

		const chat = await streamChatMessage(n8n.url, webhookId(), sessionId, 'My kettle from order A-17 arrived broken, please refund it.');

		expect(chat.status).toBe(200);
		expect(llm.expectationFailures).toEqual([]);
		expect(chat.text).toContain('Order A-17 cost €20; I have asked for the refund.');
		const approvalUrl = /(http:\/\/\S+\/webhook-waiting\/\S+)/.exec(chat.text)?.[1];
		expect(approvalUrl).toBeDefined();
		const [execution] = await n8n.executions.list(workflow.id);
		expect((await n8n.executions.waitForStatus(execution.id, ['waiting'])).status).toBe('waiting');

		const page = await getApprovalPage(String(approvalUrl));
		expect(page.status).toBe(200);
		expect(page.text).toContain('Issue_Refund');

		llm.load([{ kind: 'reply', text: 'Your refund of €20 for order A-17 is done (R-A-17).', expect: { toolResults: [{ toolCallId: 'call_refund', outputIncludes: 'refunded' }] } }]);
		const decision = await postDecisions(String(approvalUrl), { decisions: [{ toolCallId: 'call_refund', decision: 'approve' }] });
		expect(decision.status).toBe(200);

		const finished = await n8n.executions.waitForStatus(execution.id, ['success', 'error']);
		expect({ status: finished.status, failure: describeFailure(finished) }).toEqual({ status: 'success', failure: 'no error recorded' });
		expect(llm.expectationFailures).toEqual([]);
		expect(nodeRunCount(finished, 'Issue Refund')).toBe(1);
		expect(nodeOutput(finished, agentName, { run: 1 })).toEqual([expect.objectContaining({ status: 'done', output: 'Your refund of €20 for order A-17 is done (R-A-17).' })]);

		const reopened = await loadPreviousSession(n8n.url, webhookId(), sessionId);
		expect(reopened.map((message) => [message.type, message.content])).toEqual([
			['HumanMessage', 'My kettle from order A-17 arrived broken, please refund it.'],
			['AIMessage', 'Your refund of €20 for order A-17 is done (R-A-17).'],
		]);
	});
});
