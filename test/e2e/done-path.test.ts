import Ajv from 'ajv';

import { startScriptedLlmServer, type RecordedRequest, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { describeFailure, nodeOutput } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { offersTools } from './support/offered-tools';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { postToWebhook } from './support/webhooks';
import { addCredential, findNode, readExample, setParameters, useCredential, webhookPath, type Workflow } from './support/workflows';

/**
 * Example 1 in a real n8n: Webhook → Durable AI Agent (JSON output, two Code Tools) → Set →
 * Respond to Webhook, once with the Anthropic wire format and once with Chat Completions.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let anthropicWorkflow: Workflow;
let chatCompletionsWorkflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('done-path');
	const credentials = await createLlmCredentials(n8n.rest, llm);

	anthropicWorkflow = readExample('01-order-agent-json.json');
	setParameters(anthropicWorkflow, 'Order Agent', { options: { localFolder: n8n.storageFolder, maxRetries: 0 } });
	useCredential(anthropicWorkflow, 'durableAgentAnthropicApi', credentials.anthropic);
	await n8n.rest.createAndPublishWorkflow(anthropicWorkflow);

	// The same example switched to an OpenAI-compatible provider, under its own id and path.
	chatCompletionsWorkflow = readExample('01-order-agent-json.json');
	chatCompletionsWorkflow.id = 'durableAgentEx1cc';
	setParameters(chatCompletionsWorkflow, 'Order Question', { path: 'durable-agent/order-question-chat-completions' });
	findNode(chatCompletionsWorkflow, 'Order Question').webhookId = '3f6c1d8e-2b4a-4e7f-9c1d-5a6b7c8d9e11';
	setParameters(chatCompletionsWorkflow, 'Order Agent', {
		provider: 'openAiCompatible',
		model: 'gpt-4.1-mini',
		options: { localFolder: n8n.storageFolder, maxRetries: 0 },
	});
	delete findNode(chatCompletionsWorkflow, 'Order Agent').credentials;
	addCredential(chatCompletionsWorkflow, 'Order Agent', 'durableAgentOpenAiCompatibleApi', credentials.openAiCompatible);
	await n8n.rest.createAndPublishWorkflow(chatCompletionsWorkflow);
});

afterAll(async () => {
	await n8n?.stop();
	await llm?.close();
});

const offeredOrderTools = offersTools(['Look_Up_Order', 'Refund_Policy', 'think']);

/** The first model request offers the example's tools and carries the customer's question from the webhook. */
function checkFirstOrderRequest(request: RecordedRequest): void {
	offeredOrderTools(request);
	const question = 'Where is my order A-1001';
	if (!request.conversation.messages.some((message) => message.text.includes(question))) throw new Error(`no message includes "${question}"`);
}

const finalAnswer = { reply: 'Your order A-1001 has shipped; books can be returned within 30 days.', orderStatus: 'shipped', refundEligible: true };

function validateAgainstExampleSchema(workflow: Workflow, value: unknown): string[] {
	const schema = JSON.parse(String(findNode(workflow, 'Order Agent').parameters.jsonSchema)) as object;
	const validate = new Ajv({ allErrors: true }).compile(schema);
	return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

async function askAboutOrder(workflow: Workflow) {
	const [previous] = await n8n.executions.list(workflow.id);
	const response = await postToWebhook(n8n.url, webhookPath(workflow), { question: 'Where is my order A-1001, and can I return it?' });
	const execution = await n8n.executions.waitForNext(workflow.id, previous?.id, ['success', 'error']);
	return { response, execution };
}

describe('Durable AI Agent in a real n8n: the done path', () => {
	it.each([
		['the Anthropic Messages wire format', 'anthropic', () => anthropicWorkflow, 'toolu_lookup', 'toolu_policy'],
		['the Chat Completions wire format', 'chat-completions', () => chatCompletionsWorkflow, 'call_lookup', 'call_policy'],
	])('answers with schema-valid JSON that the Set node and Respond to Webhook pass on (%s)', async (_label, wireFormat, workflowOf, lookupId, policyId) => {
		const workflow = workflowOf();
		llm.load([
			{
				kind: 'reply',
				text: 'Let me look the order up and check the policy.',
				toolCalls: [
					{ id: lookupId, name: 'Look_Up_Order', arguments: { orderId: 'A-1001' } },
					{ id: policyId, name: 'Refund_Policy', arguments: { category: 'books' } },
				],
				expect: checkFirstOrderRequest,
			},
			{
				kind: 'reply',
				text: JSON.stringify(finalAnswer),
				expect: {
					toolResults: [
						{ toolCallId: lookupId, outputIncludes: '"status":"shipped"' },
						{ toolCallId: policyId, outputIncludes: 'within 30 days of delivery, unread' },
					],
				},
			},
		]);

		const { response, execution } = await askAboutOrder(workflow);

		expect(llm.expectationFailures).toEqual([]);
		expect(llm.remainingSteps()).toBe(0);
		expect(llm.requests.map((request) => request.wireFormat)).toEqual([wireFormat, wireFormat]);
		expect(execution.status).toBe('success');
		const [agentItem] = nodeOutput(execution, 'Order Agent');
		expect(agentItem).toMatchObject({ status: 'done', output: finalAnswer, turns: 2 });
		expect(validateAgainstExampleSchema(workflow, agentItem.output)).toEqual([]);
		const setItems = nodeOutput(execution, 'Use Result');
		expect(setItems).toEqual([{ ...finalAnswer, agentRunId: agentItem.runId, agentTurns: 2 }]);
		expect(response.status).toBe(200);
		expect(response.json()).toEqual(setItems[0]);
	});

	it('fails the execution with the engine\'s error code when the model never gives valid JSON', async () => {
		const invalid = { kind: 'reply' as const, text: JSON.stringify({ reply: 'Shipped.', orderStatus: 'lost-in-space', refundEligible: 'maybe' }) };
		llm.load([invalid, invalid, invalid]);

		const { execution } = await askAboutOrder(anthropicWorkflow);

		expect(execution.status).toBe('error');
		expect(describeFailure(execution)).toContain('output_invalid: ');
	});
});
