import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { describeFailure } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { postToWebhook } from './support/webhooks';
import { addCredential, findNode, readExample, setParameters, useCredential, webhookPath, type Workflow } from './support/workflows';

/**
 * Example 1 in a real n8n, with a model that refuses or answers with nothing: the execution fails
 * with the engine's code instead of passing an empty or refused answer on to the next nodes.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let anthropicWorkflow: Workflow;
let chatCompletionsWorkflow: Workflow;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('truthful-outcomes');
	const credentials = await createLlmCredentials(n8n.rest, llm);

	anthropicWorkflow = readExample('01-order-agent-json.json');
	setParameters(anthropicWorkflow, 'Order Agent', { options: { localFolder: n8n.storageFolder, maxRetries: 0 } });
	useCredential(anthropicWorkflow, 'durableAgentAnthropicApi', credentials.anthropic);
	await n8n.rest.createAndPublishWorkflow(anthropicWorkflow);

	chatCompletionsWorkflow = readExample('01-order-agent-json.json');
	chatCompletionsWorkflow.id = 'durableAgentEx1cc';
	setParameters(chatCompletionsWorkflow, 'Order Question', { path: 'durable-agent/order-question-chat-completions' });
	findNode(chatCompletionsWorkflow, 'Order Question').webhookId = '3f6c1d8e-2b4a-4e7f-9c1d-5a6b7c8d9e11';
	setParameters(chatCompletionsWorkflow, 'Order Agent', { provider: 'openAiCompatible', model: 'gpt-4.1-mini', options: { localFolder: n8n.storageFolder, maxRetries: 0 } });
	delete findNode(chatCompletionsWorkflow, 'Order Agent').credentials;
	addCredential(chatCompletionsWorkflow, 'Order Agent', 'durableAgentOpenAiCompatibleApi', credentials.openAiCompatible);
	await n8n.rest.createAndPublishWorkflow(chatCompletionsWorkflow);
});

afterAll(async () => {
	await n8n?.stop();
	await llm?.close();
});

async function askAboutOrder(workflow: Workflow) {
	const [previous] = await n8n.executions.list(workflow.id);
	await postToWebhook(n8n.url, webhookPath(workflow), { question: 'Where is my order A-1001, and can I return it?' });
	return await n8n.executions.waitForNext(workflow.id, previous?.id, ['success', 'error']);
}

describe('Durable AI Agent in a real n8n: truthful outcomes', () => {
	it('a refusal fails the execution with model_refused and the provider’s category (Anthropic)', async () => {
		llm.load([{ kind: 'reply', text: 'I can', stopReason: 'refusal', refusal: { category: 'general_harms', explanation: 'Declined by policy.' } }]);

		const execution = await askAboutOrder(anthropicWorkflow);

		expect(llm.remainingSteps()).toBe(0);
		expect(execution.status).toBe('error');
		expect(describeFailure(execution)).toContain('model_refused: ');
		expect(describeFailure(execution)).toContain('general_harms');
	});

	it('an empty answer, again after the repair turn, fails the execution with empty_answer (Chat Completions)', async () => {
		llm.load([
			{ kind: 'reply', text: '' },
			{ kind: 'reply', text: '  ', expect: { lastUserTextIncludes: 'Your reply was empty' } },
		]);

		const execution = await askAboutOrder(chatCompletionsWorkflow);

		expect(llm.expectationFailures).toEqual([]);
		expect(llm.remainingSteps()).toBe(0);
		expect(execution.status).toBe('error');
		expect(describeFailure(execution)).toContain('empty_answer: ');
	});
});
