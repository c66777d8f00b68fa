import { startScriptedLlmServer, type RecordedRequest, type ScriptedLlmServer, type Step } from '../support/scripted-llm-server';
import { describeFailure, nodeOutput, type Execution } from './support/executions';
import { createLlmCredentials, type CredentialReference } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { postToWebhook } from './support/webhooks';
import type { Workflow } from './support/workflows';

/**
 * Memory scopes in a real n8n: a fact one workflow remembers in its "This Workflow" memory never
 * reaches another workflow through a Custom Key that names the first workflow. (Concurrent
 * executions storing one fact once is a property of the store: test/storage/agent-memory-store.test.ts.)
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let credential: CredentialReference;

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('memory-scopes');
	credential = (await createLlmCredentials(n8n.rest, llm)).openAiCompatible;
});

afterAll(async () => {
	await n8n?.stop();
	await llm?.close();
});

const agentName = 'Memory Agent';

/** Webhook → Durable AI Agent with memory on, under its own id and path. */
async function deployMemoryWorkflow(id: string, memory: Record<string, unknown>): Promise<Workflow> {
	const workflow: Workflow = {
		id,
		name: `Memory scopes ${id}`,
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `6b2d0e3f-0000-4000-8000-${id.slice(-12).padStart(12, '0')}`,
				parameters: { httpMethod: 'POST', path: `durable-agent/${id}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: `${id}-agent`,
				name: agentName,
				type: 'n8n-nodes-durable-agent.durableAgent',
				typeVersion: 1,
				position: [260, 0],
				credentials: { durableAgentOpenAiCompatibleApi: credential },
				parameters: {
					provider: 'openAiCompatible',
					model: 'gpt-test',
					task: '=Task: {{ $json.body.task }}',
					...memory,
					options: { localFolder: n8n.storageFolder, maxRetries: 0, itemConcurrency: 1 },
				},
			},
		],
		connections: { Request: { main: [[{ node: agentName, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	await n8n.rest.createAndPublishWorkflow(workflow);
	return workflow;
}

async function run(workflow: Workflow, body: Record<string, unknown>): Promise<Execution> {
	const [previous] = await n8n.executions.list(workflow.id);
	expect((await postToWebhook(n8n.url, String(workflow.nodes[0].parameters.path), body)).status).toBe(200);
	const execution = await n8n.executions.waitForNext(workflow.id, previous?.id, ['success', 'error']);
	expect({ status: execution.status, failure: describeFailure(execution) }).toEqual({ status: 'success', failure: 'no error recorded' });
	return execution;
}

const remember = (content: string): Step => ({ kind: 'reply', toolCalls: [{ id: 'call_remember', name: 'remember', arguments: { content } }] });
const systemLacks = (text: string) => (request: RecordedRequest) => {
	if (request.conversation.system.includes(text)) throw new Error(`the system prompt includes "${text}"`);
};

describe('memory scopes in a real n8n', () => {
	it("keeps a workflow's own memory out of reach of Custom Keys that name it", async () => {
		const owner = await deployMemoryWorkflow('durableAgentMemOwner', { memory: 'readWrite' });
		llm.load([remember('The vault code is 4711.'), { kind: 'reply', text: 'Noted.' }, { kind: 'reply', text: 'Hello.', expect: { systemIncludes: 'The vault code is 4711.' } }]);
		await run(owner, { task: 'Remember the vault code 4711.' });
		// The owner's next run sees its own fact: the scope works.
		await run(owner, { task: 'Say hello.' });
		expect(llm.expectationFailures).toEqual([]);

		const intruder = await deployMemoryWorkflow('durableAgentMemIntruder', { memory: 'readOnly', memoryScope: 'customKey', memoryScopeKey: '={{ $json.body.key }}' });
		for (const key of [`workflow-${owner.id}`, `workflow:${owner.id}`, `workflows/${owner.id}`, `../workflows/${owner.id}`]) {
			llm.load([{ kind: 'reply', text: 'I know nothing.', expect: systemLacks('4711') }]);
			const execution = await run(intruder, { task: 'What is the vault code?', key });
			expect({ key, output: nodeOutput(execution, agentName)[0]?.output }).toEqual({ key, output: 'I know nothing.' });
			expect(llm.expectationFailures).toEqual([]);
		}
	});
});
