import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../../nodes/AgentNode/DurableAgent.node';
import type { PausedItemJson } from '../../../../lib/resume';
import type { TestCredentials } from '../../../support/n8n/credentials-helper';
import { outputJson, runWorkflow, type TestWorkflowNode } from '../../../support/n8n/run-workflow';
import { StartTestNode } from '../../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../../support/n8n/nodes/test-tool-node';
import { startScriptedLlmServer, type ScriptedLlmServer, type Step } from '../../../support/scripted-llm-server';

/**
 * A Durable AI Agent with a weather tool that always needs approval, run in n8n-core's
 * WorkflowExecute against the scripted LLM server, storing on local disk in a fresh folder per test.
 * Call `useWeatherAgent()` at the top of a test file; it registers the set-up and clean-up hooks.
 */
export type WeatherAgent = {
	readonly server: ScriptedLlmServer;
	readonly storageFolder: string;
	/** The agent node (id `agent-node-id`) with `parameters` over its defaults, and its weather tool sub-node. */
	agentNodes(parameters?: IDataObject): TestWorkflowNode[];
	/** Runs Start → Agent with the given items. */
	run(inputItems: IDataObject[], parameters?: IDataObject, executionId?: string): ReturnType<typeof runWorkflow>;
	/** The LLM credential pointed at the scripted server. */
	credentials(): TestCredentials;
	/** Runs the agent on `city` and returns its item on Needs Approval. */
	pausedItem(city?: string): Promise<PausedItemJson>;
};

export const approvalRule = (rule: IDataObject) => ({ rules: [{ toolName: 'get_weather', ...rule }] });

export const weatherCall = (city: string): Step => ({ kind: 'reply', text: `Checking ${city}.`, toolCalls: [{ id: `call_${city}`, name: 'get_weather', arguments: { city } }] });

export const decisionItem = (paused: PausedItemJson, decisions: IDataObject[]) => ({ durableAgentDecision: { reference: paused.reference, decisions } }) as IDataObject;

export function useWeatherAgent(): WeatherAgent {
	let server: ScriptedLlmServer | undefined;
	let storageFolder: string | undefined;
	beforeAll(async () => {
		server = await startScriptedLlmServer();
	});
	afterAll(async () => {
		await server?.close();
	});
	beforeEach(async () => {
		recordedToolCalls.length = 0;
		storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-pause-'));
	});
	afterEach(async () => {
		if (storageFolder !== undefined) await rm(storageFolder, { recursive: true, force: true });
	});

	const agent: WeatherAgent = {
		get server() {
			if (server === undefined) throw new Error('The scripted LLM server starts in beforeAll.');
			return server;
		},
		get storageFolder() {
			if (storageFolder === undefined) throw new Error('The storage folder is created in beforeEach.');
			return storageFolder;
		},
		agentNodes(parameters = {}) {
			return [
				{
					name: 'Agent',
					id: 'agent-node-id',
					type: 'durableAgent',
					parameters: {
						provider: 'openAiCompatible',
						model: 'gpt-test',
						task: '=Weather in {{ $json.city }}?',
						builtinTools: ['ask_human'],
						toolApprovals: approvalRule({ when: 'always' }),
						storage: 'localDisk',
						options: { localFolder: agent.storageFolder, itemConcurrency: 1, maxRetries: 0 },
						...parameters,
					},
				},
				{ name: 'Weather Tool', type: 'testTool', parameters: { weather: 'sunny' } },
			];
		},
		async run(inputItems, parameters = {}, executionId = 'exec-1') {
			return await runWorkflow({
				nodeTypes: [StartTestNode, DurableAgent, TestToolNode],
				nodes: [{ name: 'Start', type: 'startTest' }, ...agent.agentNodes(parameters)],
				connections: {
					Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
					'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
				},
				inputItems,
				credentials: agent.credentials(),
				workflowId: 'wf-1',
				executionId,
			});
		},
		credentials() {
			return { durableAgentOpenAiCompatibleApi: { apiKey: 'k', baseUrl: agent.server.openaiBaseUrl } };
		},
		async pausedItem(city = 'Paris') {
			agent.server.load([weatherCall(city)]);
			const result = await agent.run([{ city }]);
			expect(result.status).toBe('success');
			return outputJson(result, 'Agent', { output: 1 })[0] as unknown as PausedItemJson;
		},
	};
	return agent;
}
