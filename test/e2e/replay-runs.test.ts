import type { RunComparison } from '../../lib/replay';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { describeFailure, nodeOutput } from './support/executions';
import { createLlmCredentials } from './support/llm-credentials';
import { startTestN8n, type TestN8n } from './support/n8n-test-instance';
import { startRecordingServer, type RecordingServer } from './support/recording-server';
import { deploySupportWorkflow, requestSupport, ticketCall } from './support/support-workflow';
import { postToWebhook } from './support/webhooks';
import { findNode, readExample, setParameters, useCredential, type Workflow } from './support/workflows';

/**
 * Example 7 in a real n8n: the support workflow of example 2 answers two requests (one pauses on
 * its gated ticket call, one is answered), then example 7 — started here by a webhook instead of
 * its Manual Trigger — lists those runs and replays them with new instructions. The replayed model
 * opens no ticket, the ticket system gets no call, and the Set node shows which answers changed.
 */

let n8n: TestN8n;
let llm: ScriptedLlmServer;
let tickets: RecordingServer;
let support: Workflow;
let replay: Workflow;
const replayPath = 'durable-agent/replay-last-runs';

beforeAll(async () => {
	llm = await startScriptedLlmServer();
	tickets = await startRecordingServer();
	n8n = await startTestN8n('replay-runs');
	const credentials = await createLlmCredentials(n8n.rest, llm);
	support = await deploySupportWorkflow({ n8n, credential: credentials.openAiCompatible, tickets });

	replay = readExample('07-replay-last-runs.json');
	const start = findNode(replay, 'Start');
	Object.assign(start, { type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: '7e2a9c41-3b5d-4f6e-9a1b-2c3d4e5f6099', parameters: { httpMethod: 'POST', path: replayPath, responseMode: 'onReceived', options: {} } });
	useCredential(replay, 'durableAgentOpenAiCompatibleApi', credentials.openAiCompatible);
	setParameters(replay, 'Last 50 Runs', { listWorkflowId: support.id, options: { localFolder: n8n.storageFolder } });
	setParameters(replay, 'Replay with New Prompt', { options: { localFolder: n8n.storageFolder, maxRetries: 0, itemConcurrency: 1 } });
	setParameters(replay, 'Create Ticket', { url: `${tickets.url}/api/tickets` });
	await n8n.rest.createAndPublishWorkflow(replay);
});

afterAll(async () => {
	await n8n?.stop();
	await tickets?.close();
	await llm?.close();
});

describe('Example 7 in a real n8n: replaying the last runs with a new prompt', () => {
	it("replays example 2's stored runs into one row per run saying which answers changed, and the ticket tool never runs", async () => {
		llm.load([ticketCall('call_ticket', 'Crash on photo upload')]);
		const paused = await requestSupport(n8n, support, { request: 'The app crashes when I upload a photo.' });
		await n8n.executions.waitForStatus(paused.executionId, ['waiting']);
		llm.load([{ kind: 'reply', text: 'Open Settings, then Password.' }]);
		await postToWebhook(n8n.url, String(findNode(support, 'Support Request').parameters.path), { request: 'How do I change my password?' });
		await n8n.executions.waitForNext(support.id, paused.executionId, ['success']);
		expect(tickets.calls).toEqual([]);

		const newPrompt = { systemIncludes: 'Open a ticket only for problems that stop the customer from working' };
		llm.load([
			{ kind: 'reply', text: 'Open Settings, then Password.', expect: newPrompt },
			{ kind: 'reply', text: 'Please update the app; the photo crash is fixed in 4.2.', expect: newPrompt },
		]);
		const [before] = await n8n.executions.list(replay.id);
		const response = await postToWebhook(n8n.url, replayPath, {});
		const execution = await n8n.executions.waitForNext(replay.id, before?.id, ['success', 'error']);

		expect(response.status).toBe(200);
		expect({ status: execution.status, failure: execution.status === 'success' ? '' : describeFailure(execution) }).toEqual({ status: 'success', failure: '' });
		expect(llm.expectationFailures).toEqual([]);
		expect(nodeOutput(execution, 'Last 50 Runs')).toEqual([
			expect.objectContaining({ workflowId: support.id, status: 'done', task: 'Customer request: How do I change my password?' }),
			expect.objectContaining({ workflowId: support.id, status: 'paused', task: 'Customer request: The app crashes when I upload a photo.' }),
		]);
		const comparisons = nodeOutput(execution, 'Replay with New Prompt') as unknown as RunComparison[];
		expect(comparisons.map((item) => [item.original.status, item.replay.status, item.answersEqual, item.divergedAtTurn])).toEqual([
			['done', 'done', true, null],
			['paused', 'done', false, 1],
		]);
		expect(nodeOutput(execution, 'Which Answers Changed')).toEqual([
			expect.objectContaining({ changed: false, after: 'Open Settings, then Password.' }),
			expect.objectContaining({ changed: true, after: 'Please update the app; the photo crash is fixed in 4.2.' }),
		]);
		expect(tickets.calls).toEqual([]);
	});
});
