import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { createLocalDiskStore } from '../../../lib/storage';
import { outputJson, runWorkflow, type TestWorkflowNode } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { startScriptedLlmServer, type ScriptedLlmServer, type Step } from '../../support/scripted-llm-server';

const citySchema = {
	type: 'object',
	properties: { city: { type: 'string' }, weather: { type: 'string' } },
	required: ['city', 'weather'],
	additionalProperties: false,
};

let server: ScriptedLlmServer;
let storageFolder: string;

beforeAll(async () => {
	server = await startScriptedLlmServer();
});
afterAll(async () => {
	await server.close();
});
beforeEach(async () => {
	recordedToolCalls.length = 0;
	storageFolder = await mkdtemp(join(tmpdir(), 'durable-agent-node-'));
});
afterEach(async () => {
	await rm(storageFolder, { recursive: true, force: true });
});

type Provider = 'anthropic' | 'openAiCompatible';

function credentials() {
	return {
		durableAgentAnthropicApi: { apiKey: 'test-key', baseUrl: server.anthropicBaseUrl },
		durableAgentOpenAiCompatibleApi: { apiKey: 'test-key', baseUrl: server.openaiBaseUrl, headers: '{"X-Title": "durable-agent-tests"}' },
	};
}

function agentNode(provider: Provider, parameters: Record<string, unknown> = {}, extra: Partial<TestWorkflowNode> = {}): TestWorkflowNode {
	return {
		name: 'Agent',
		id: 'agent-node-id',
		type: 'durableAgent',
		parameters: {
			provider,
			model: provider === 'anthropic' ? 'claude-test' : 'gpt-test',
			task: '=What is the weather in {{ $json.city }}?',
			outputFormat: 'json',
			schemaSource: 'jsonSchema',
			jsonSchema: JSON.stringify(citySchema),
			storage: 'localDisk',
			options: { localFolder: storageFolder, itemConcurrency: 1, maxRetries: 0 },
			...parameters,
		},
		...extra,
	};
}

const withWeatherTool = {
	Start: { main: [[{ node: 'Agent', type: 'main' as const, index: 0 }]] },
	'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool' as const, index: 0 }]] },
};

/** The two model turns of one item: call the weather tool, then answer with JSON. */
function weatherTurns(city: string, weather: string): Step[] {
	return [
		{ kind: 'reply', toolCalls: [{ id: `call_${city}`, name: 'get_weather', arguments: { city } }], usage: { inputTokens: 100, outputTokens: 20 } },
		{
			kind: 'reply',
			text: JSON.stringify({ city, weather }),
			usage: { inputTokens: 150, outputTokens: 15 },
			expect: { toolResults: [{ toolCallId: `call_${city}`, outputIncludes: `${weather} in ${city}` }] },
		},
	];
}

async function runAgentWorkflow(provider: Provider, inputItems: IDataObject[], parameters: Record<string, unknown> = {}, extra: Partial<TestWorkflowNode> = {}) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, TestToolNode],
		nodes: [{ name: 'Start', type: 'startTest' }, agentNode(provider, parameters, extra), { name: 'Weather Tool', type: 'testTool', parameters: { weather: 'rainy' } }],
		connections: withWeatherTool,
		inputItems,
		credentials: credentials(),
		workflowId: 'wf-1',
		executionId: 'exec-1',
	});
}

describe.each<Provider>(['anthropic', 'openAiCompatible'])('Durable AI Agent with the %s provider', (provider) => {
	it('runs the connected n8n tool and outputs schema-valid JSON for every item, paired to its input', async () => {
		server.load([...weatherTurns('Paris', 'rainy'), ...weatherTurns('Oslo', 'rainy')]);

		const result = await runAgentWorkflow(provider, [{ city: 'Paris' }, { city: 'Oslo' }]);

		expect(server.expectationFailures).toEqual([]);
		expect(result.status).toBe('success');
		const items = outputJson(result, 'Agent');
		expect(items.map((item) => [item.status, item.output, item.turns])).toEqual([
			['done', { city: 'Paris', weather: 'rainy' }, 2],
			['done', { city: 'Oslo', weather: 'rainy' }, 2],
		]);
		expect(items[0].usage).toMatchObject({ inputTokens: 250, outputTokens: 35 });
		// The model that gave the final answer, as the provider named it, and that it was not the fallback.
		const model = provider === 'anthropic' ? 'claude-test' : 'gpt-test';
		expect(items.map((item) => [item.model, item.usedFallback])).toEqual([
			[model, false],
			[model, false],
		]);
		expect(result.nodeRuns.Agent[0].outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(recordedToolCalls.map((call) => call.input.city)).toEqual(['Paris', 'Oslo']);
		expect(server.requests[0].conversation.messages[0].text).toBe('What is the weather in Paris?');
		expect(server.remainingSteps()).toBe(0);
	});

	it('keeps the transcript and run record on local disk under the execution and node', async () => {
		server.load(weatherTurns('Paris', 'rainy'));

		const result = await runAgentWorkflow(provider, [{ city: 'Paris' }]);

		const [item] = outputJson(result, 'Agent');
		const keys = await createLocalDiskStore(storageFolder).list('');
		const runFolder = `workflows/wf-1/executions/exec-1/nodes/agent-node-id/runs/${item.runId}/`;
		expect(keys).toEqual([
			`${runFolder}journal/call_Paris.intent.json`,
			`${runFolder}journal/call_Paris.result.json`,
			`${runFolder}run.json`,
			`${runFolder}transcript/000001.ndjson`,
			`${runFolder}transcript/000002.ndjson`,
		]);
		expect(item.transcript).toBe(`file://${storageFolder}/${runFolder}transcript/`);
	});
});

describe('Durable AI Agent failures', () => {
	it('with Continue On Fail, outputs the failed item with its error code and goes on with the others', async () => {
		server.load([{ kind: 'http-error', status: 401, message: 'invalid x-api-key' }, ...weatherTurns('Oslo', 'rainy')]);

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris' }, { city: 'Oslo' }], {}, { onError: 'continueRegularOutput' });

		expect(result.status).toBe('success');
		const [failed, done] = outputJson(result, 'Agent');
		expect(failed).toMatchObject({ status: 'failed', error: { code: 'model_auth' } });
		expect(String((failed.error as { message: string }).message)).toMatch(/API key/);
		expect(done).toMatchObject({ status: 'done', output: { city: 'Oslo', weather: 'rainy' } });
	});

	it('without Continue On Fail, fails the execution with a message that says what to fix', async () => {
		server.load([{ kind: 'http-error', status: 401, message: 'invalid x-api-key' }]);

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris' }]);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^model_auth: .*credential/i);
	});

	it('refuses an invalid JSON Schema before calling the model', async () => {
		server.load([]);

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris' }], { jsonSchema: '{"type": "objekt"}' });

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/JSON Schema is invalid/);
		expect(server.requests).toHaveLength(0);
	});

	it.each([
		['a word where a number belongs', { maxTurns: '=many' }, "'Max Turns' must be a whole number, 1 or more", 'It is "many". Enter a whole number, 1 or more'],
		['a negative budget', { options: { localFolder: '', tokenBudget: -100 } }, "'Token Budget' must be a whole number, 0 or more", 'It is -100.'],
		['a fraction where a count belongs', { options: { localFolder: '', toolConcurrency: 2.5 } }, "'Tool Concurrency' must be a whole number from 1 to 32", "Enter a whole number from 1 to 32 in 'Tool Concurrency'."],
		['a number above the range', { options: { localFolder: '', softBudgetPercent: 150 } }, "'Soft Budget (%)' must be a number from 0 to 100", 'It is 150.'],
		['no items at a time', { options: { localFolder: '', itemConcurrency: 0 } }, "'Item Concurrency' must be a whole number from 1 to 100", 'It is 0.'],
	])('refuses %s in the settings before calling the model, naming the setting and what to enter', async (_case, parameters, message, description) => {
		server.load([]);
		const settings = 'options' in parameters ? { options: { ...parameters.options, localFolder: storageFolder, maxRetries: 0 } } : parameters;

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris' }], settings);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toContain(description);
		expect(server.requests).toHaveLength(0);
	});

	it('takes numbers that expressions give as text', async () => {
		server.load(weatherTurns('Paris', 'rainy'));

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris', turns: '4' }], { maxTurns: '={{ $json.turns }}' });

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', turns: 2 });
	});

	it('refuses a task expression that evaluates to nothing, naming the parameter', async () => {
		server.load([]);

		const result = await runAgentWorkflow('anthropic', [{ town: 'Paris' }], { task: '={{ $json.city }}' });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The task is empty');
		expect(server.requests).toHaveLength(0);
	});
});

describe('Durable AI Agent in queue mode', () => {
	const previousMode = process.env.EXECUTIONS_MODE;
	afterEach(() => {
		if (previousMode === undefined) delete process.env.EXECUTIONS_MODE;
		else process.env.EXECUTIONS_MODE = previousMode;
	});

	it('warns on every item that local-disk storage does not reach other workers', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		server.load(weatherTurns('Paris', 'rainy'));

		const result = await runAgentWorkflow('anthropic', [{ city: 'Paris' }]);

		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', warnings: [expect.stringMatching(/queue mode.*local disk.*S3-Compatible/)] });
	});
});
