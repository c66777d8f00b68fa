import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let storageFolder: string;

beforeAll(async () => {
	server = await startScriptedLlmServer();
	storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-memory-'));
});
afterAll(async () => {
	await server.close();
	await rm(storageFolder, { recursive: true, force: true });
});

async function run(parameters: IDataObject, inputItems: IDataObject[] = [{ customer: 'c-42' }]) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{
				name: 'Agent',
				id: 'agent-node-id',
				type: 'durableAgent',
				parameters: {
					provider: 'anthropic',
					model: 'claude-test',
					task: '=Help customer {{ $json.customer }}',
					memory: 'readWrite',
					memoryScope: 'customKey',
					memoryScopeKey: '={{ $json.customer }}',
					memoryInstructions: 'Always greet by name.',
					storage: 'localDisk',
					options: { localFolder: storageFolder, maxRetries: 0 },
					...parameters,
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] } },
		inputItems,
		credentials: { durableAgentAnthropicApi: { apiKey: 'k', baseUrl: server.anthropicBaseUrl } },
		workflowId: 'wf-memory',
	});
}

describe('Durable AI Agent memory across executions', () => {
	it('remembers a fact in one execution and puts it in the next run’s prompt, with standing instructions first', async () => {
		server.load([
			{ kind: 'reply', toolCalls: [{ id: 'r1', name: 'remember', arguments: { content: 'Customer c-42 prefers email over phone', importance: 4 } }] },
			{ kind: 'reply', text: 'Noted.' },
		]);
		const first = await run({});
		expect(outputJson(first, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Noted.' });
		expect(server.requests[0].conversation.toolNames).toEqual(expect.arrayContaining(['remember', 'recall']));

		server.load([{ kind: 'reply', text: 'Emailing them.' }]);
		await run({});

		const system = server.requests[0].conversation.system;
		expect(system.indexOf('Always greet by name.')).toBeLessThan(system.indexOf('prefers email over phone'));
		expect(system).toContain('<memory>');
		expect(system).toMatch(/Noted\./);
	});

	it('lists what was remembered in Manage Memory mode without calling a model', async () => {
		server.load([]);

		const result = await run({ mode: 'manageMemory', memoryOperation: 'list', memoryReturnAll: true });

		expect(server.requests).toHaveLength(0);
		const entries = outputJson(result, 'Agent');
		expect(entries.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['fact', 'episode']));
		expect(entries.find((entry) => entry.kind === 'fact')).toMatchObject({ content: 'Customer c-42 prefers email over phone', importance: 4 });
	});

	it('refuses a scope key that evaluates to nothing, naming the parameter', async () => {
		server.load([]);

		const result = await run({}, [{ other: 1 }]);

		expect(result.status).toBe('error');
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/Scope Key/);
		expect(server.requests).toHaveLength(0);
	});
});
