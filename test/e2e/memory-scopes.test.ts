import type { RecordedRequest, Step } from '../support/scripted-llm-server';
import { nodeOutput } from './support/executions';
import { runThroughWebhook, useScriptedN8n } from './support/scripted-suite';
import type { Workflow } from './support/workflows';

/**
 * Memory scopes in a real n8n: a fact one workflow remembers in its "This Workflow" memory never
 * reaches another workflow through a Custom Key that names the first workflow. (Concurrent
 * executions storing one fact once is a property of the store: test/storage/agent-memory-store.test.ts.)
 */

const suite = useScriptedN8n('memory-scopes');

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
				credentials: { durableAgentOpenAiCompatibleApi: suite.credential },
				parameters: {
					provider: 'openAiCompatible',
					model: 'gpt-test',
					task: '=Task: {{ $json.body.task }}',
					...memory,
					options: { localFolder: suite.n8n.storageFolder, maxRetries: 0, itemConcurrency: 1 },
				},
			},
		],
		connections: { Request: { main: [[{ node: agentName, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	await suite.n8n.rest.createAndPublishWorkflow(workflow);
	return workflow;
}

const remember = (content: string): Step => ({ kind: 'reply', toolCalls: [{ id: 'call_remember', name: 'remember', arguments: { content } }] });
const systemLacks = (text: string) => (request: RecordedRequest) => {
	if (request.conversation.system.includes(text)) throw new Error(`the system prompt includes "${text}"`);
};

describe('memory scopes in a real n8n', () => {
	it("keeps a workflow's own memory out of reach of Custom Keys that name it", async () => {
		const owner = await deployMemoryWorkflow('durableAgentMemOwner', { memory: 'readWrite' });
		suite.llm.load([remember('The vault code is 4711.'), { kind: 'reply', text: 'Noted.' }, { kind: 'reply', text: 'Hello.', expect: { systemIncludes: 'The vault code is 4711.' } }]);
		await runThroughWebhook(suite.n8n, owner, { task: 'Remember the vault code 4711.' });
		// The owner's next run sees its own fact: the scope works.
		await runThroughWebhook(suite.n8n, owner, { task: 'Say hello.' });
		expect(suite.llm.expectationFailures).toEqual([]);

		const intruder = await deployMemoryWorkflow('durableAgentMemIntruder', { memory: 'readOnly', memoryScope: 'customKey', memoryScopeKey: '={{ $json.body.key }}' });
		for (const key of [`workflow-${owner.id}`, `workflow:${owner.id}`, `workflows/${owner.id}`, `../workflows/${owner.id}`]) {
			suite.llm.load([{ kind: 'reply', text: 'I know nothing.', expect: systemLacks('4711') }]);
			const execution = await runThroughWebhook(suite.n8n, intruder, { task: 'What is the vault code?', key });
			expect({ key, output: nodeOutput(execution, agentName)[0]?.output }).toEqual({ key, output: 'I know nothing.' });
			expect(suite.llm.expectationFailures).toEqual([]);
		}
	});
});
