import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IConnections, IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import type { PausedItemJson } from '../../../lib/resume';
import { outputJson, runWorkflow, type TestWorkflowNode } from '../../support/n8n/run-workflow';
import { chatSessions, ChatMemoryTestNode } from '../../support/n8n/nodes/chat-memory-test-node';
import { ChatModelTestNode } from '../../support/n8n/nodes/chat-model-test-node';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';
import { decisionItem } from './support/weather-agent-harness';

/**
 * Durable AI Agent as a drop-in for n8n's AI Agent, in n8n-core's WorkflowExecute: the model comes
 * from a connected Chat Model sub-node, the conversation from a connected Memory sub-node, and
 * pauses, approvals and the journal behave as with the built-in providers.
 */

let server: ScriptedLlmServer;
let storageFolder: string;
beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(() => server.close());
beforeEach(async () => {
	recordedToolCalls.length = 0;
	chatSessions.clear();
	storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-connected-'));
});
afterEach(async () => {
	expect(server.expectationFailures).toEqual([]);
	await rm(storageFolder, { recursive: true, force: true });
});

type Wiring = { wire?: 'openai' | 'anthropic'; memory?: boolean; model?: boolean; agent?: IDataObject };

async function runChatAgent(items: IDataObject[], { wire = 'openai', memory = false, model = true, agent = {} }: Wiring = {}) {
	const nodes: TestWorkflowNode[] = [
		{ name: 'Start', type: 'startTest' },
		{
			name: 'Agent',
			id: 'agent-node-id',
			type: 'durableAgent',
			parameters: { provider: 'connected', task: '={{ $json.chatInput }}', storage: 'localDisk', options: { localFolder: storageFolder, itemConcurrency: 1 }, ...agent },
		},
		{ name: 'Weather Tool', type: 'testTool', parameters: { weather: 'sunny' } },
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
		'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
	};
	if (model) {
		nodes.push({
			name: 'OpenAI Chat Model',
			type: 'chatModelTest',
			parameters: { wire, baseUrl: wire === 'anthropic' ? server.anthropicBaseUrl : server.openaiBaseUrl, model: wire === 'anthropic' ? 'claude-test' : 'gpt-test' },
		});
		connections['OpenAI Chat Model'] = { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] };
	}
	if (memory) {
		nodes.push({ name: 'Simple Memory', type: 'chatMemoryTest', parameters: { sessionId: 'session-1' } });
		connections['Simple Memory'] = { ai_memory: [[{ node: 'Agent', type: 'ai_memory', index: 0 }]] };
	}
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, TestToolNode, ChatModelTestNode, ChatMemoryTestNode],
		nodes,
		connections,
		inputItems: items,
		workflowId: 'wf-chat',
		executionId: 'exec-chat',
	});
}

const sessionMessages = async () => (await chatSessions.get('session-1')?.getMessages())?.map((message) => [message.getType(), message.content]) ?? [];

describe.each(['openai', 'anthropic'] as const)('Durable AI Agent with a connected %s chat model', (wire) => {
	it('calls the tools through the sub-node’s model and names it in the Done item', async () => {
		server.load([
			{ kind: 'reply', text: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }], expect: { toolNames: ['get_weather'] } },
			{ kind: 'reply', text: 'It is sunny in Paris.', expect: { toolResults: [{ toolCallId: 'call_1', outputIncludes: 'sunny in Paris' }] } },
		]);

		const result = await runChatAgent([{ chatInput: 'Weather in Paris?' }], { wire });

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'It is sunny in Paris.', turns: 2, usedFallback: false })]);
		expect(recordedToolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }]);
	});
});

describe('Durable AI Agent with a connected chat memory', () => {
	it('gives the second message the first exchange, and keeps only the user’s messages and the answers', async () => {
		server.load([
			{ kind: 'reply', text: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
			{ kind: 'reply', text: 'It is sunny in Paris.' },
		]);
		await runChatAgent([{ chatInput: 'Weather in Paris?' }], { memory: true });

		server.load([{ kind: 'reply', text: 'You asked about Paris.', expect: { messageCount: 3, lastUserTextIncludes: 'Which city did I ask about?' } }]);
		const second = await runChatAgent([{ chatInput: 'Which city did I ask about?' }], { memory: true });

		expect(outputJson(second, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'You asked about Paris.' })]);
		expect(server.requests[0].conversation.messages.map((message) => [message.role, message.text])).toEqual([
			['user', 'Weather in Paris?'],
			['assistant', 'It is sunny in Paris.'],
			['user', 'Which city did I ask about?'],
		]);
		expect(await sessionMessages()).toEqual([
			['human', 'Weather in Paris?'],
			['ai', 'It is sunny in Paris.'],
			['human', 'Which city did I ask about?'],
			['ai', 'You asked about Paris.'],
		]);
	});

	it('saves the exchange once, when a paused run completes after its approval — not at the pause', async () => {
		const gated = { toolApprovals: { rules: [{ toolName: 'get_weather', when: 'always' }] } };
		server.load([{ kind: 'reply', text: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] }]);
		const pausedRun = await runChatAgent([{ chatInput: 'Weather in Oslo?' }], { memory: true, agent: gated });
		const [paused] = outputJson(pausedRun, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(await sessionMessages()).toEqual([]);

		server.load([{ kind: 'reply', text: 'It is sunny in Oslo.' }]);
		const resumed = await runChatAgent([decisionItem(paused, [{ toolCallId: 'call_1', decision: 'approve' }])], { memory: true, agent: gated });

		expect(outputJson(resumed, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'It is sunny in Oslo.', runId: paused.runId })]);
		expect(await sessionMessages()).toEqual([
			['human', 'Weather in Oslo?'],
			['ai', 'It is sunny in Oslo.'],
		]);
	});
});

it('says what to connect when Provider is Connected Chat Model and no chat model is connected', async () => {
	server.load([]);
	const result = await runChatAgent([{ chatInput: 'Hi' }], { model: false });

	// n8n itself refuses a required Chat Model input left empty, with its usual message.
	expect(result.error?.message).toBe('A Chat Model sub-node must be connected and enabled');
	expect(server.requests).toEqual([]);
});
