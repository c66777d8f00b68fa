import { randomUUID } from 'node:crypto';

import { ensureN8nInstalled, type N8nInstallation } from '../../scripts/n8n/local-n8n';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { openAiChatModel } from './support/chat-model-sub-nodes';
import { sendChatMessage, streamChatMessage } from './support/chat-endpoint';
import {
	chatMemoryDatabase,
	deletePostgresChatSession,
	deleteRedisChatSession,
	postgresChatMessages,
	redisChatMessages,
	summarize,
	type StoredChatMessage,
} from './support/chat-memory-stores';
import { e2eEnvironment, requiredEnvironment } from './support/e2e-environment';
import { describeFailure } from './support/executions';
import { createLlmCredentials, type CredentialReference } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { queueServices } from './support/queue-services';
import type { Workflow, WorkflowNode } from './support/workflows';

/**
 * Durable AI Agent after n8n's Chat Trigger, as n8n's AI Agent is used: the chat message is the
 * task, a Postgres or Redis Chat Memory sub-node (on the machine's PostgreSQL and Redis) carries
 * the session from one message to the next, and in streaming mode the answer reaches the chat in
 * pieces as the model writes it.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let installation: N8nInstallation;
const credentials: Record<'openAi' | 'postgres' | 'redis' | 'openAiCompatible', CredentialReference> = {} as never;
const sessions: Array<{ memory: 'postgres' | 'redis'; sessionId: string }> = [];

beforeAll(async () => {
	installation = await ensureN8nInstalled({ root: requiredEnvironment(e2eEnvironment.installRoot), log: () => undefined });
	llm = await startScriptedLlmServer();
	n8n = await startTestN8n('chat-trigger');
	credentials.openAi = await openAiChatModel.createCredential(n8n.rest, llm);
	credentials.openAiCompatible = (await createLlmCredentials(n8n.rest, llm)).openAiCompatible;
	credentials.postgres = await n8n.rest.createCredential({
		name: 'Machine PostgreSQL',
		type: 'postgres',
		data: { host: chatMemoryDatabase.host, port: chatMemoryDatabase.port, database: chatMemoryDatabase.database, user: chatMemoryDatabase.user, password: chatMemoryDatabase.password, ssl: 'disable' },
	});
	credentials.redis = await n8n.rest.createCredential({
		name: 'Machine Redis',
		type: 'redis',
		data: { host: queueServices.redis.host, port: queueServices.redis.port, database: 0, password: '' },
	});
});

afterAll(async () => {
	await Promise.allSettled(
		sessions.map(({ memory, sessionId }) => (memory === 'postgres' ? deletePostgresChatSession(installation, sessionId) : deleteRedisChatSession(installation, sessionId))),
	);
	await n8n?.stop();
	await llm?.close();
});

const agentName = 'Chat Agent';

type MemoryNode = Pick<WorkflowNode, 'name' | 'type' | 'typeVersion' | 'parameters' | 'credentials'> & { position: number[] };

const memoryNodes: Record<'postgres' | 'redis', (credential: CredentialReference) => MemoryNode> = {
	postgres: (credential) => ({
		name: 'Postgres Chat Memory',
		type: '@n8n/n8n-nodes-langchain.memoryPostgresChat',
		typeVersion: 1.4,
		position: [300, 260],
		credentials: { postgres: credential },
		parameters: { contextWindowLength: 10 },
	}),
	redis: (credential) => ({
		name: 'Redis Chat Memory',
		type: '@n8n/n8n-nodes-langchain.memoryRedisChat',
		typeVersion: 1.6,
		position: [300, 260],
		credentials: { redis: credential },
		parameters: { contextWindowLength: 10 },
	}),
};

type ChatWorkflowOptions = { key: string; responseMode: 'lastNode' | 'streaming'; memory?: 'postgres' | 'redis'; provider: 'connected' | 'openAiCompatible' };

/** Chat Trigger → Durable AI Agent (its Task left at the default, the chat message) with a Weather Code Tool, and a Chat Memory when asked. */
async function deployChatWorkflow({ key, responseMode, memory, provider }: ChatWorkflowOptions): Promise<{ workflow: Workflow; webhookId: string }> {
	const webhookId = `7c3e1f40-0000-4000-8000-${key.padStart(12, '0')}`;
	const nodes: WorkflowNode[] = [
		{
			id: `chat-${key}-trigger`,
			name: 'When chat message received',
			type: '@n8n/n8n-nodes-langchain.chatTrigger',
			typeVersion: 1.4,
			position: [0, 0],
			webhookId,
			parameters: { public: true, mode: 'hostedChat', options: { responseMode } },
		},
		{
			id: `chat-${key}-agent`,
			name: agentName,
			type: 'n8n-nodes-durable-agent.durableAgent',
			typeVersion: 1,
			position: [300, 0],
			...(provider === 'openAiCompatible' ? { credentials: { durableAgentOpenAiCompatibleApi: credentials.openAiCompatible } } : {}),
			parameters: {
				provider,
				...(provider === 'openAiCompatible' ? { model: 'gpt-test' } : {}),
				instructions: 'You are a friendly weather assistant.',
				storage: 'localDisk',
				options: { localFolder: n8n.storageFolder, maxRetries: 0 },
			},
		},
		{
			id: `chat-${key}-tool`,
			name: 'Weather',
			type: '@n8n/n8n-nodes-langchain.toolCode',
			typeVersion: 1.3,
			position: [500, 260],
			parameters: {
				description: 'The current weather in a city.',
				language: 'javaScript',
				jsCode: "return 'sunny in ' + query.city;",
				specifyInputSchema: true,
				schemaType: 'manual',
				inputSchema: JSON.stringify({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
			},
		},
	];
	const connections: Workflow['connections'] = {
		'When chat message received': { main: [[{ node: agentName, type: 'main', index: 0 }]] },
		Weather: { ai_tool: [[{ node: agentName, type: 'ai_tool', index: 0 }]] },
	};
	if (provider === 'connected') {
		const model = openAiChatModel.node(credentials.openAi);
		nodes.push({ id: `chat-${key}-model`, position: [100, 260], ...model });
		connections[model.name] = { ai_languageModel: [[{ node: agentName, type: 'ai_languageModel', index: 0 }]] };
	}
	if (memory !== undefined) {
		const memoryNode = memoryNodes[memory](credentials[memory]);
		nodes.push({ id: `chat-${key}-memory`, ...memoryNode });
		connections[memoryNode.name] = { ai_memory: [[{ node: agentName, type: 'ai_memory', index: 0 }]] };
	}
	const workflow: Workflow = { id: `durableAgentChat${key}`, name: `Chat agent ${key}`, nodes, connections, settings: { executionOrder: 'v1' } };
	await n8n.rest.createAndPublishWorkflow(workflow);
	return { workflow, webhookId };
}

const storedMessages = (memory: 'postgres' | 'redis', sessionId: string): Promise<StoredChatMessage[]> =>
	memory === 'postgres' ? postgresChatMessages(installation, sessionId) : redisChatMessages(installation, sessionId);

describe.each([
	['Postgres Chat Memory', 'postgres', '1'],
	['Redis Chat Memory', 'redis', '2'],
] as const)('Chat Trigger → Durable AI Agent with %s', (_label, memory, key) => {
	it('answers the second message from the first exchange, and the memory keeps the messages and answers without tool messages', async () => {
		const { workflow, webhookId } = await deployChatWorkflow({ key, responseMode: 'lastNode', memory, provider: 'connected' });
		const sessionId = randomUUID();
		sessions.push({ memory, sessionId });

		llm.load([
			{ kind: 'reply', text: 'Let me check.', toolCalls: [{ id: 'call_weather', name: 'Weather', arguments: { city: 'Paris' } }] },
			{ kind: 'reply', text: 'It is sunny in Paris.', expect: { toolResults: [{ toolCallId: 'call_weather', outputIncludes: 'sunny in Paris' }] } },
		]);
		const first = await sendChatMessage(n8n.url, webhookId, sessionId, 'What is the weather in Paris?');
		expect(first).toEqual({ status: 200, json: expect.objectContaining({ status: 'done', output: 'It is sunny in Paris.' }) });
		expect(llm.expectationFailures).toEqual([]);

		llm.load([{ kind: 'reply', text: 'You asked about Paris, where it is sunny.' }]);
		const second = await sendChatMessage(n8n.url, webhookId, sessionId, 'Which city did I ask about?');

		expect(second).toEqual({ status: 200, json: expect.objectContaining({ status: 'done', output: 'You asked about Paris, where it is sunny.' }) });
		expect(llm.requests[0].conversation.messages.map((message) => [message.role, message.text])).toEqual([
			['user', 'What is the weather in Paris?'],
			['assistant', 'It is sunny in Paris.'],
			['user', 'Which city did I ask about?'],
		]);
		const stored = await storedMessages(memory, sessionId);
		expect(summarize(stored)).toEqual([
			['human', 'What is the weather in Paris?'],
			['ai', 'It is sunny in Paris.'],
			['human', 'Which city did I ask about?'],
			['ai', 'You asked about Paris, where it is sunny.'],
		]);
		// No tool message without its call: no tool messages at all, and no answer that announces calls.
		expect(stored.filter((message) => message.type === 'tool' || (message.data.tool_calls?.length ?? 0) > 0)).toEqual([]);
		const [latest] = await n8n.executions.list(workflow.id);
		expect(describeFailure(await n8n.executions.get(latest.id))).toBe('no error recorded');
	});
});

describe('Chat Trigger in streaming mode', () => {
	it('receives the answer in pieces as the model writes it, each piece an item chunk of the agent, closed when the run ends', async () => {
		const { webhookId } = await deployChatWorkflow({ key: '3', responseMode: 'streaming', provider: 'openAiCompatible' });
		const answer = 'It is sunny in Paris, with a light breeze from the west.';
		llm.load([
			{ kind: 'reply', toolCalls: [{ id: 'call_weather', name: 'Weather', arguments: { city: 'Paris' } }] },
			{ kind: 'reply', text: answer, expect: { toolResults: [{ toolCallId: 'call_weather', outputIncludes: 'sunny in Paris' }] } },
		]);

		const streamed = await streamChatMessage(n8n.url, webhookId, randomUUID(), 'What is the weather in Paris?');

		expect(streamed.status).toBe(200);
		expect(llm.expectationFailures).toEqual([]);
		const items = streamed.chunks.filter((chunk) => chunk.type === 'item');
		expect(items.length).toBeGreaterThan(1);
		expect(items.every((chunk) => chunk.metadata?.nodeName === agentName)).toBe(true);
		expect(streamed.text).toBe(answer);
		expect(streamed.chunks.map((chunk) => chunk.type).filter((type) => type !== 'item')).toEqual(['begin', 'end']);
	});
});
