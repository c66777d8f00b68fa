import type { IDataObject } from 'n8n-workflow';

import type { RunComparison } from '../../../lib/replay';
import { createLocalDiskStore, createRunStore } from '../../../lib/storage';
import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { useWeatherAgent, weatherCall } from './support/weather-agent-harness';

/**
 * Stored runs as the agent's regression suite: List Runs gives a workflow's runs newest first,
 * and Replay Run re-runs each with the node's current settings (here, new instructions) as a new
 * run, answering tool calls from the original's results, and says what changed.
 */

const agent = useWeatherAgent();
const noApprovals = { toolApprovals: { rules: [] } };
const newInstructions = 'Answer in the form "City: weather."';

/** Three runs of workflow wf-1, one per execution, each calling the weather tool once. */
async function storeThreeRuns(): Promise<void> {
	for (const [index, city] of ['Paris', 'Rome', 'Oslo'].entries()) {
		agent.server.load([weatherCall(city), { kind: 'reply', text: `Sunny in ${city}.` }]);
		const result = await agent.run([{ city }], noApprovals, `exec-${index + 1}`);
		expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: `Sunny in ${city}.` })]);
	}
}

/** Start → List Runs (of wf-1) → the agent in Replay Run mode with new instructions, as in examples/07-replay-last-runs.json. */
async function replayWorkflow(replayParameters: IDataObject = {}) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, TestToolNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{ name: 'List Runs', type: 'durableAgent', parameters: { mode: 'listRuns', listWorkflowId: 'wf-1', listLimit: 50, storage: 'localDisk', options: { localFolder: agent.storageFolder } } },
			...agent.agentNodes({ mode: 'replayRun', instructions: newInstructions, ...noApprovals, ...replayParameters }),
		],
		connections: {
			Start: { main: [[{ node: 'List Runs', type: 'main', index: 0 }]] },
			'List Runs': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		credentials: agent.credentials(),
		workflowId: 'wf-replay',
		executionId: 'exec-replay',
	});
}

describe('Durable AI Agent in List Runs and Replay Run modes', () => {
	it("replays three stored runs with new instructions into three comparison items; the recorded weather answers the calls and the tool never runs", async () => {
		await storeThreeRuns();
		expect(recordedToolCalls).toHaveLength(3);
		const withNewInstructions = { systemIncludes: newInstructions };
		agent.server.load([
			{ ...weatherCall('Oslo'), expect: withNewInstructions },
			{ kind: 'reply', text: 'Sunny in Oslo.' },
			{ ...weatherCall('Rome'), expect: withNewInstructions },
			{ kind: 'reply', text: 'Rome: sunny.' },
			{ kind: 'reply', text: 'Paris: probably sunny.', expect: withNewInstructions },
		]);

		const result = await replayWorkflow();

		expect(result.status).toBe('success');
		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'List Runs')).toEqual(
			['Oslo', 'Rome', 'Paris'].map((city, index) =>
				expect.objectContaining({ workflowId: 'wf-1', executionId: `exec-${3 - index}`, nodeId: 'agent-node-id', status: 'done', task: `Weather in ${city}?`, turns: 2, date: expect.any(String) }),
			),
		);
		const comparisons = outputJson(result, 'Agent') as unknown as Array<RunComparison & { transcript: string }>;
		expect(comparisons).toHaveLength(3);
		expect(comparisons.map((item) => [item.original.answer, item.replay.answer, item.answersEqual, item.divergedAtTurn])).toEqual([
			['Sunny in Oslo.', 'Sunny in Oslo.', true, null],
			['Sunny in Rome.', 'Rome: sunny.', false, 2],
			['Sunny in Paris.', 'Paris: probably sunny.', false, 1],
		]);
		expect(comparisons.map((item) => item.toolCalls)).toEqual([
			{ replayed: 1, unavailable: 0, executed: 0 },
			{ replayed: 1, unavailable: 0, executed: 0 },
			{ replayed: 0, unavailable: 0, executed: 0 },
		]);
		expect(comparisons[1].difference).toBe('from character 1: "Sunny in Rome" → "Rome: sunny"');
		expect(comparisons[0].original).toMatchObject({ status: 'done', turns: 2, totalTokens: expect.any(Number) });
		expect(recordedToolCalls).toHaveLength(3);

		// Each replay is a new run of the replaying execution, linked to its original.
		const store = createLocalDiskStore(agent.storageFolder);
		const replayRecord = await createRunStore(store, { prefix: '', workflowId: 'wf-replay', executionId: 'exec-replay', nodeId: 'agent-node-id', runId: comparisons[2].replay.runId }).readRunRecord();
		expect(replayRecord).toMatchObject({ status: 'done', replayOf: { runId: comparisons[2].original.runId, fromTurn: 0 } });
		expect(comparisons[2].transcript).toContain('/workflows/wf-replay/executions/exec-replay/');
	});

	it('replays a Done item by its transcript, and runs a new call only for a tool marked safe', async () => {
		agent.server.load([weatherCall('Paris'), { kind: 'reply', text: 'Sunny in Paris.' }]);
		const [done] = outputJson(await agent.run([{ city: 'Paris' }], noApprovals), 'Agent');
		agent.server.load([weatherCall('Lyon'), { kind: 'reply', text: 'Sunny in Lyon.' }]);

		const result = await agent.run([done], { mode: 'replayRun', ...noApprovals, replaySafeTools: 'get_weather' }, 'exec-replay');

		const [comparison] = outputJson(result, 'Agent') as unknown as RunComparison[];
		expect(comparison).toMatchObject({ answersEqual: false, divergedAtTurn: 1, toolCalls: { replayed: 0, unavailable: 0, executed: 1 } });
		expect(recordedToolCalls.map((call) => call.input.city)).toEqual(['Paris', 'Lyon']);
	});

	it('refuses a run that is not stored, saying what to check, and writes nothing', async () => {
		const missing = { workflowId: 'wf-1', executionId: 'exec-9', nodeId: 'agent-node-id', runId: 'no-such-run' };
		agent.server.load([]);

		const result = await agent.run([missing], { mode: 'replayRun' }, 'exec-replay');

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('No run no-such-run is stored at');
		expect(agent.server.requests).toHaveLength(0);
		expect(await createLocalDiskStore(agent.storageFolder).list('workflows/wf-1/executions/exec-replay/')).toEqual([]);
	});
});
