import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DurableAgent } from '../../../../nodes/AgentNode/DurableAgent.node';
import { FailingToolTestNode, type ToolFailure } from '../../../support/n8n/nodes/failing-tool-test-node';
import { StartTestNode } from '../../../support/n8n/nodes/start-test-node';
import { outputJson, runWorkflow } from '../../../support/n8n/run-workflow';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let storageFolder: string;

beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(async () => {
	storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-tool-errors-'));
});
afterEach(async () => {
	await rm(storageFolder, { recursive: true, force: true });
});

type Provider = 'anthropic' | 'openAiCompatible';

async function runWithFailingTool(provider: Provider, failure: ToolFailure) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, FailingToolTestNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{
				name: 'Agent',
				type: 'durableAgent',
				parameters: {
					provider,
					model: provider === 'anthropic' ? 'claude-test' : 'gpt-test',
					task: '=What is the weather in {{ $json.city }}?',
					storage: 'localDisk',
					options: { localFolder: storageFolder, itemConcurrency: 1, maxRetries: 0 },
				},
			},
			{ name: 'Weather Tool', type: 'failingToolTest', parameters: { failure } },
		],
		connections: {
			Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		inputItems: [{ city: 'Atlantis' }],
		credentials: {
			durableAgentAnthropicApi: { apiKey: 'test-key', baseUrl: server.anthropicBaseUrl },
			durableAgentOpenAiCompatibleApi: { apiKey: 'test-key', baseUrl: server.openaiBaseUrl },
		},
		workflowId: 'wf-1',
		executionId: 'exec-1',
	});
}

describe.each<Provider>(['anthropic', 'openAiCompatible'])('a failing n8n tool sub-node, with the %s provider', (provider) => {
	test.each<ToolFailure>(['throw', 'mcp-is-error', 'tool-message-error'])(
		'%s: the model gets an error result, and the tool run in n8n shows the error',
		async (failure) => {
			server.load([
				{ kind: 'reply', toolCalls: [{ id: 'call_weather', name: 'get_weather', arguments: { city: 'Atlantis' } }] },
				{
					kind: 'reply',
					text: 'The weather service does not know Atlantis.',
					// isError is checked on the Anthropic wire; Chat Completions has no such flag, only the text.
					expect: { toolResults: [{ toolCallId: 'call_weather', isError: true, outputIncludes: 'Weather unknown at location' }] },
				},
			]);

			const result = await runWithFailingTool(provider, failure);

			expect(server.expectationFailures).toEqual([]);
			expect(result.status).toBe('success');
			expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'The weather service does not know Atlantis.' });
			const [toolResult] = server.requests[1].conversation.messages.at(-1)!.toolResults;
			expect(toolResult.output).toContain("Tool 'get_weather' failed: Weather unknown at location");
			if (provider === 'anthropic') expect(toolResult.isError).toBe(true);

			if (failure !== 'tool-message-error') {
				// A ToolMessage carries its status only to the caller; the node itself recorded a normal output.
				const toolRuns = result.nodeRuns['Weather Tool'].map((run) => run.task);
				expect(toolRuns.map((task) => task.executionStatus)).toEqual(['error']);
				expect(toolRuns[0].error?.message).toContain('Weather unknown at location');
			}
		},
	);
});
