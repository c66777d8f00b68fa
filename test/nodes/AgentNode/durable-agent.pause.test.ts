import type { IDataObject } from 'n8n-workflow';

import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { DurableAgentResume } from '../../../nodes/AgentResume/DurableAgentResume.node';
import { createLocalDiskStore } from '../../../lib/storage';
import type { PausedItemJson } from '../../../lib/resume';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { approvalRule, decisionItem, useWeatherAgent, weatherCall } from './support/weather-agent-harness';

const agent = useWeatherAgent();

describe('Durable AI Agent pausing for approval', () => {
	it('sends a gated call to Needs Approval with the pending call, the reference and the approval URL, without running it', async () => {
		agent.server.load([weatherCall('Paris')]);

		const result = await agent.run([{ city: 'Paris' }]);

		expect(result.status).toBe('success');
		expect(outputJson(result, 'Agent', { output: 0 })).toEqual([]);
		const [paused] = outputJson(result, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(paused).toMatchObject({
			status: 'paused',
			lastMessage: 'Checking Paris.',
			pending: [{ toolCallId: 'call_Paris', toolName: 'get_weather', kind: 'approval', arguments: { city: 'Paris' } }],
			reference: { workflowId: 'wf-1', executionId: 'exec-1', nodeId: 'agent-node-id', runId: paused.runId },
		});
		expect(paused.pending[0].inputSchema).toMatchObject({ properties: { city: { type: 'string' } } });
		expect(paused.approvalUrl).toMatch(/^http:\/\/localhost:5678\/webhook-waiting\/exec-1\?signature=/);
		expect(recordedToolCalls).toEqual([]);
		const stored = await createLocalDiskStore(agent.storageFolder).get(paused.reference.snapshotKey);
		expect(stored?.toString()).not.toContain('"k"');
	});

	it('continues the same run when the decision item comes back, running the approved call once', async () => {
		const paused = await agent.pausedItem();
		agent.server.load([{ kind: 'reply', text: 'It is sunny in Paris.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'sunny in Paris' }] } }]);

		const result = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve' }])], {}, 'exec-1');

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'It is sunny in Paris.', runId: paused.runId, turns: 2 })]);
		expect(recordedToolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }]);
		const runFolder = paused.reference.snapshotKey.replace(/snapshots\/.*$/, '');
		const keys = await createLocalDiskStore(agent.storageFolder).list(runFolder);
		expect(keys.map((key) => key.slice(runFolder.length))).toEqual([
			`continuations/${paused.reference.pauseId}.json`,
			`decisions/${paused.reference.pauseId}.json`,
			'journal/call_Paris.intent.json',
			'journal/call_Paris.result.json',
			'run.json',
			`snapshots/${paused.reference.pauseId}.json`,
			'transcript/000001.ndjson',
			'transcript/000002.ndjson',
		]);
	});

	it('refuses a decision replayed after the run continued, running nothing twice', async () => {
		const paused = await agent.pausedItem();
		const approve = decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve' }]);
		agent.server.load([{ kind: 'reply', text: 'Sunny.' }]);
		await agent.run([approve]);

		const replay = await agent.run([approve]);

		expect(replay.status).toBe('error');
		expect(replay.error?.message).toMatch(/already continued/);
		expect(recordedToolCalls).toHaveLength(1);
	});

	it('returns a rejection with its reason to the model and does not run the tool', async () => {
		const paused = await agent.pausedItem();
		agent.server.load([{ kind: 'reply', text: 'Understood, no lookup.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'not today' }] } }]);

		const result = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'reject', reason: 'not today' }])]);

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Understood, no lookup.' });
		expect(recordedToolCalls).toEqual([]);
	});

	it('refuses decisions that do not fit the pause, and the pause can still be decided afterwards', async () => {
		const paused = await agent.pausedItem();

		const unknown = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Rome', decision: 'approve' }])]);
		const badEdit = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve', arguments: { town: 'Lyon' } }])]);

		expect(unknown.error?.message).toBe('The decisions cannot be applied');
		expect(unknown.error?.description).toMatch(/no pending call 'call_Rome'/);
		expect(badEdit.error?.description).toMatch(/edited arguments of call 'call_Paris'/);
		agent.server.load([{ kind: 'reply', text: 'Sunny in Lyon.' }]);
		const edited = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve', arguments: { city: 'Lyon' } }])]);
		expect(outputJson(edited, 'Agent')[0]).toMatchObject({ status: 'done' });
		expect(recordedToolCalls.map((call) => call.input)).toEqual([{ city: 'Lyon' }]);
	});

	it('refuses a forged reference and a deleted snapshot with specific errors', async () => {
		const paused = await agent.pausedItem();
		const forged = { ...paused, reference: { ...paused.reference, token: `${paused.reference.token.split('.')[0]}.AAAA` } };

		const forgedResult = await agent.run([decisionItem(forged, [{ toolCallId: 'call_Paris', decision: 'approve' }])]);
		await createLocalDiskStore(agent.storageFolder).delete(paused.reference.snapshotKey);
		const deletedResult = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'approve' }])]);

		expect(forgedResult.error?.message).toMatch(/token is forged/);
		expect(deletedResult.error?.message).toMatch(/snapshot of paused run .* is gone/);
		expect(recordedToolCalls).toEqual([]);
	});

	it('asks for approval only when the condition on the arguments is true; other items finish on Done', async () => {
		agent.server.load([weatherCall('Paris'), weatherCall('Oslo'), { kind: 'reply', text: 'Sunny in Oslo.' }]);

		const result = await agent.run([{ city: 'Paris' }, { city: 'Oslo' }], { toolApprovals: approvalRule({ when: 'condition', condition: "={{ $args.city === 'Paris' }}" }) });

		expect(outputJson(result, 'Agent', { output: 1 }).map((item) => (item as unknown as PausedItemJson).pending[0].arguments)).toEqual([{ city: 'Paris' }]);
		expect(outputJson(result, 'Agent', { output: 0 })).toEqual([expect.objectContaining({ status: 'done', output: 'Sunny in Oslo.' })]);
		expect(result.nodeRuns.Agent[0].outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(result.nodeRuns.Agent[0].outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(recordedToolCalls.map((call) => call.input)).toEqual([{ city: 'Oslo' }]);
	});

	it('pauses on ask_human and uses the answer as the tool result', async () => {
		agent.server.load([{ kind: 'reply', toolCalls: [{ id: 'ask_1', name: 'ask_human', arguments: { question: 'Which city?' } }] }]);
		const first = await agent.run([{ city: 'somewhere' }]);
		const [paused] = outputJson(first, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(paused.pending).toEqual([expect.objectContaining({ toolCallId: 'ask_1', kind: 'question', arguments: { question: 'Which city?' } })]);
		agent.server.load([{ kind: 'reply', text: 'Rome it is.', expect: { toolResults: [{ toolCallId: 'ask_1', outputIncludes: 'Rome' }] } }]);

		const result = await agent.run([decisionItem(paused, [{ toolCallId: 'ask_1', decision: 'answer', answer: 'Rome' }])]);

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Rome it is.' });
	});

	it('continues a paused run from another workflow in Continue mode, from expressions', async () => {
		const paused = await agent.pausedItem();
		agent.server.load([{ kind: 'reply', text: 'Sunny.' }]);

		const result = await agent.run([{ ref: paused.reference as unknown as IDataObject, approve: true }], {
			mode: 'continue',
			pauseReference: '={{ $json.ref }}',
			decisions: `={{ [{ toolCallId: 'call_Paris', decision: $json.approve ? 'approve' : 'reject' }] }}`,
		}, 'exec-other');

		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Sunny.', runId: paused.runId });
		expect(recordedToolCalls).toHaveLength(1);
	});
});

describe('Durable AI Agent when the Resume node’s time limit runs out', () => {
	/** n8n resumes a timed-out wait by passing the waiting node's input through, as a disabled node does. */
	async function timedOut(paused: PausedItemJson, onTimeout: 'rejectAll' | 'fail') {
		return await runWorkflow({
			nodeTypes: [StartTestNode, DurableAgent, DurableAgentResume, TestToolNode],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Resume', type: 'durableAgentResume', disabled: true, parameters: { limitWaitTime: true, resumeAmount: 1, resumeUnit: 'minutes', onTimeout, options: { localFolder: agent.storageFolder } } },
				...agent.agentNodes(),
			],
			connections: {
				Start: { main: [[{ node: 'Resume', type: 'main', index: 0 }]] },
				Resume: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
				'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
			},
			inputItems: [paused as unknown as IDataObject],
			credentials: agent.credentials(),
			workflowId: 'wf-1',
			executionId: 'exec-1',
		});
	}

	it('Reject All: the agent continues with every call rejected as not decided in time', async () => {
		const paused = await agent.pausedItem();
		agent.server.load([{ kind: 'reply', text: 'No answer in time; skipped.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'No decision before the time limit' }] } }]);

		const result = await timedOut(paused, 'rejectAll');

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'No answer in time; skipped.', runId: paused.runId });
		expect(recordedToolCalls).toEqual([]);
	});

	it('Fail: the item fails, naming the pause that was not decided', async () => {
		const paused = await agent.pausedItem();
		agent.server.load([]);

		const result = await timedOut(paused, 'fail');

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`No decision arrived before the time limit for pause ${paused.reference.pauseId}`);
	});
});
