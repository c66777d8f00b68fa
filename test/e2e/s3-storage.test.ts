import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

import { startLocalS3, type LocalS3 } from '../support/s3-test-servers';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { nodeOutput } from './support/executions';
import { createLlmCredentials, type CredentialReference, type LlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { agentNodeName, deploySupportWorkflow, pausedItems, postDecisions, replyAfterDecision, requestSupport, resumeNodeName, ticketCall } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import { addCredential, findNode, readExample, setParameters, useCredential, webhookPath, type Workflow } from './support/workflows';

/**
 * Storage through a real S3-protocol server (s3rver): example 3 (the done path) and example 2
 * switched to S3 (pause, approval, continuation). The bucket is listed with the AWS SDK, apart from
 * the package's own store, to show where every record lands.
 */

const bucket = 'durable-agent-e2e';
const keyPrefix = 'durable-agent';

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let s3: LocalS3;
let s3Folder: string;
let credentials: LlmCredentials;
let s3Credential: CredentialReference;

beforeAll(async () => {
	s3Folder = mkdtempSync(join(tmpdir(), 'durable-agent-e2e-s3-'));
	s3 = await startLocalS3(s3Folder, [bucket]);
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('s3-storage');
	credentials = await createLlmCredentials(n8n.rest, llm);
	s3Credential = await n8n.rest.createCredential({
		name: 'Local S3',
		type: 'durableAgentS3Storage',
		data: { endpoint: s3.endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, keyPrefix },
	});
});

afterAll(async () => {
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
	await s3?.close();
	if (s3Folder !== undefined) rmSync(s3Folder, { recursive: true, force: true });
});

async function listKeys(prefix: string): Promise<string[]> {
	const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
	try {
		const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
		return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
	} finally {
		client.destroy();
	}
}

const nodeFolder = (workflow: Workflow, executionId: string, nodeName: string) =>
	`${keyPrefix}/workflows/${workflow.id}/executions/${executionId}/nodes/${findNode(workflow, nodeName).id}/`;

describe('Durable AI Agent with S3-compatible storage in a real n8n', () => {
	it('writes the run record, the tool-call journal and one transcript object per turn under the execution and node ids (example 3)', async () => {
		const workflow = readExample('03-order-agent-s3.json');
		useCredential(workflow, 'durableAgentAnthropicApi', credentials.anthropic);
		useCredential(workflow, 'durableAgentS3Storage', s3Credential);
		setParameters(workflow, 'Order Agent', { options: { maxRetries: 0 } });
		await n8n.rest.createAndPublishWorkflow(workflow);
		const answer = { reply: 'Order A-1002 was delivered.', orderStatus: 'delivered', refundEligible: false };
		llm.load([
			{ kind: 'reply', toolCalls: [{ id: 'toolu_lookup', name: 'Look_Up_Order', arguments: { orderId: 'A-1002' } }] },
			{ kind: 'reply', text: JSON.stringify(answer), expect: { toolResults: [{ toolCallId: 'toolu_lookup', outputIncludes: 'delivered' }] } },
		]);

		const response = await postToWebhook(n8n.url, webhookPath(workflow), { question: 'Where is A-1002?' });

		expect(response.status).toBe(200);
		expect(response.json()).toMatchObject(answer);
		// Respond to Webhook answers before n8n has saved the execution: wait for it to be listed.
		const execution = await n8n.executions.waitForNext(workflow.id, undefined, ['success', 'error']);
		const [agentItem] = nodeOutput(execution, 'Order Agent');
		const runFolder = `${nodeFolder(workflow, execution.id, 'Order Agent')}runs/${String(agentItem.runId)}/`;
		expect(await listKeys(`${keyPrefix}/workflows/${workflow.id}/executions/${execution.id}/`)).toEqual([
			`${runFolder}journal/toolu_lookup.intent.json`,
			`${runFolder}journal/toolu_lookup.result.json`,
			`${runFolder}run.json`,
			`${runFolder}transcript/000001.ndjson`,
			`${runFolder}transcript/000002.ndjson`,
		]);
	});

	it('keeps the snapshot, decision, journal and transcript of a paused-then-approved run under the execution and node ids (example 2 on S3)', async () => {
		const workflow = await deploySupportWorkflow({
			n8n,
			credential: credentials.openAiCompatible,
			tickets,
			customize: (support) => {
				for (const nodeName of [agentNodeName, resumeNodeName]) {
					setParameters(support, nodeName, { storage: 's3', options: { localFolder: undefined } });
					addCredential(support, nodeName, 'durableAgentS3Storage', s3Credential);
				}
			},
		});
		llm.load([ticketCall('call_ticket', 'Disk full on build server')]);
		const { approvalUrl, executionId } = await requestSupport(n8n, workflow, { request: 'The build server disk is full' });
		const [paused] = pausedItems(await n8n.executions.waitForStatus(executionId, ['waiting']));
		replyAfterDecision(llm, 'call_ticket', 'T-1', 'Ticket T-1 is open.');

		const approval = await postDecisions(approvalUrl, { token: paused.reference.token, decisions: [{ toolCallId: 'call_ticket', decision: 'approve' }] });

		expect(approval.status).toBe(200);
		expect((await n8n.executions.waitForStatus(executionId, ['success', 'error'])).status).toBe('success');
		expect(tickets.calls).toHaveLength(1);
		const agentFolder = nodeFolder(workflow, executionId, agentNodeName);
		const runFolder = `${agentFolder}runs/${paused.runId}/`;
		const resumeFolder = nodeFolder(workflow, executionId, resumeNodeName);
		const { pauseId } = paused.reference;
		expect(paused.reference.snapshotKey).toBe(`${runFolder}snapshots/${pauseId}.json`);
		const keys = await listKeys(`${keyPrefix}/workflows/${workflow.id}/executions/${executionId}/`);
		expect(keys).toEqual(
			expect.arrayContaining([
				`${runFolder}run.json`,
				`${runFolder}snapshots/${pauseId}.json`,
				`${runFolder}decisions/${pauseId}.json`,
				`${runFolder}journal/call_ticket.intent.json`,
				`${runFolder}journal/call_ticket.result.json`,
				`${runFolder}transcript/000001.ndjson`,
				`${runFolder}transcript/000002.ndjson`,
				`${resumeFolder}wait.json`,
			]),
		);
		expect(keys.filter((key) => !key.startsWith(runFolder) && !key.startsWith(resumeFolder))).toEqual([]);
	});
});
