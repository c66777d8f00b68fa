import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { createS3Store } from '../../../lib/storage';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { startLocalS3, type LocalS3 } from '../../support/s3-test-servers';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../support/scripted-llm-server';

let server: ScriptedLlmServer;
let s3: LocalS3;
let s3Folder: string;

beforeAll(async () => {
	server = await startScriptedLlmServer();
	s3Folder = await mkdtemp(join(tmpdir(), 'durable-agent-s3-'));
	s3 = await startLocalS3(s3Folder, ['agent-runs']);
});
afterAll(async () => {
	await server.close();
	await s3.close();
	await rm(s3Folder, { recursive: true, force: true });
});

function s3Credential(bucket: string, endpoint = s3.endpoint) {
	return { endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, keyPrefix: 'team-a/agents' };
}

async function runWithS3(bucket: string, endpoint = s3.endpoint) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{
				name: 'Agent',
				id: 'agent-node-id',
				type: 'durableAgent',
				parameters: { provider: 'openAiCompatible', model: 'gpt-test', task: '=Say hi to {{ $json.name }}', builtinTools: ['ask_human'], storage: 's3', options: { maxRetries: 0 } },
			},
		],
		connections: { Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] } },
		inputItems: [{ name: 'Ada' }],
		credentials: {
			durableAgentOpenAiCompatibleApi: { apiKey: 'test-key', baseUrl: server.openaiBaseUrl },
			durableAgentS3Storage: s3Credential(bucket, endpoint),
		},
		workflowId: 'wf-s3',
		executionId: 'exec-7',
	});
}

describe('Durable AI Agent with S3-compatible storage', () => {
	it('writes the run record and transcript to the bucket under the key prefix, execution and node', async () => {
		server.load([{ kind: 'reply', text: 'Hi Ada!' }]);

		const result = await runWithS3('agent-runs');

		expect(result.status).toBe('success');
		const [item] = outputJson(result, 'Agent');
		expect(item).toMatchObject({ status: 'done', output: 'Hi Ada!' });
		const runFolder = `team-a/agents/workflows/wf-s3/executions/exec-7/nodes/agent-node-id/runs/${item.runId}/`;
		expect(item.transcript).toBe(`s3://agent-runs/${runFolder}transcript/`);
		const store = createS3Store(s3Credential('agent-runs'));
		expect(await store.list('team-a/')).toEqual([`${runFolder}run.json`, `${runFolder}transcript/000001.ndjson`]);
		const record = JSON.parse(String(await store.get(`${runFolder}run.json`)));
		expect(record).toMatchObject({ status: 'done', output: 'Hi Ada!', turns: 1 });
	});

	it('refuses to pause on a store that does not enforce "only if absent" writes, saying what to change', async () => {
		server.load([{ kind: 'reply', toolCalls: [{ id: 'call_ask', name: 'ask_human', arguments: { question: 'Formal or casual?' } }] }]);

		const result = await runWithS3('agent-runs', s3.rawEndpoint);

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('The storage at s3://agent-runs does not refuse a second "only if absent" write to the same key');
		expect(result.error?.message).toContain('Use a store that enforces conditional writes (AWS S3, Cloudflare R2, MinIO), or Local Disk.');
		const stored = await createS3Store(s3Credential('agent-runs')).list('team-a/');
		expect(stored.filter((key) => key.includes('/snapshots/') || key.includes('/decisions/') || key.includes('conditional-write-probes'))).toEqual([]);
	});

	it('pauses on a store that enforces them', async () => {
		server.load([{ kind: 'reply', toolCalls: [{ id: 'call_ask', name: 'ask_human', arguments: { question: 'Formal or casual?' } }] }]);

		const result = await runWithS3('agent-runs');

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Agent', { output: 1 })).toEqual([expect.objectContaining({ status: 'paused' })]);
	});

	it('fails with a clear error naming the bucket when it does not exist', async () => {
		server.load([]);

		const result = await runWithS3('no-such-bucket');

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/no-such-bucket.*does not exist/);
		expect(server.requests).toHaveLength(0);
	});
});
