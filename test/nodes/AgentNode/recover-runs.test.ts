import { decisionField, type PausedItemJson } from '../../../lib/resume';
import { runLocationOf, writeDecisionRecord } from '../../../lib/resume/decision-records';
import { createLocalDiskStore, createRunStore } from '../../../lib/storage';
import { DurableAgent } from '../../../nodes/AgentNode/DurableAgent.node';
import { outputJson, runWorkflow } from '../../support/n8n/run-workflow';
import { StartTestNode } from '../../support/n8n/nodes/start-test-node';
import { recordedToolCalls, TestToolNode } from '../../support/n8n/nodes/test-tool-node';
import { decisionItem, useWeatherAgent, weatherCall } from './support/weather-agent-harness';

/**
 * Recover Runs: a sweep (a Schedule or Error Trigger in front) finds the workflow's stranded runs
 * without anyone reading storage. Decided runs nobody continued leave as decision items, which the
 * agent they belong to continues, once; pauses nobody waits on leave on the second output with a
 * reference to decide them by. No model is called by the sweep.
 */

const agent = useWeatherAgent();
const approve = [{ toolCallId: 'call_Paris', decision: 'approve' as const }];
const longAgo = () => new Date(Date.now() - 10 * 60_000).toISOString();

/** Schedule → Recover Runs → the workflow's own agent, as in examples/04-sweep-recoverable-runs.json. */
async function sweep(executionId: string) {
	return await runWorkflow({
		nodeTypes: [StartTestNode, DurableAgent, TestToolNode],
		nodes: [
			{ name: 'Start', type: 'startTest' },
			{ name: 'Recover', type: 'durableAgent', parameters: { mode: 'recoverRuns', storage: 'localDisk', options: { localFolder: agent.storageFolder } } },
			...agent.agentNodes(),
		],
		connections: {
			Start: { main: [[{ node: 'Recover', type: 'main', index: 0 }]] },
			Recover: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Weather Tool': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		credentials: agent.credentials(),
		workflowId: 'wf-1',
		executionId,
	});
}

/** A pause decided through the Resume node whose continuing worker died before it claimed the pause. */
async function strandDecidedPause(paused: PausedItemJson): Promise<void> {
	await writeDecisionRecord({ store: createLocalDiskStore(agent.storageFolder), prefix: '' }, { reference: paused.reference, decisions: approve, decidedAt: longAgo() });
}

/** A pause whose worker died right after it wrote `paused`: no Resume node ever waited for it. */
async function ageUnattendedPause(paused: PausedItemJson): Promise<void> {
	const runStore = createRunStore(createLocalDiskStore(agent.storageFolder), runLocationOf('', paused.reference));
	const record = await runStore.readRunRecord();
	await runStore.writeRunRecord({ ...record!, pausedAt: longAgo() });
}

describe('Durable AI Agent in Recover Runs mode', () => {
	it('hands a decided-but-never-continued run to its agent, which continues it once; the next sweep finds nothing to continue', async () => {
		const paused = await agent.pausedItem();
		await strandDecidedPause(paused);
		agent.server.load([{ kind: 'reply', text: 'Sunny in Paris.' }]);

		const first = await sweep('exec-sweep-1');
		const second = await sweep('exec-sweep-2');

		expect(first.status).toBe('success');
		expect(outputJson(first, 'Recover')).toEqual([
			{ [decisionField]: expect.objectContaining({ reference: paused.reference, decisions: approve }), recovery: expect.objectContaining({ runId: paused.runId, state: 'decided-not-continued', action: 'continue' }) },
		]);
		expect(outputJson(first, 'Agent')).toEqual([expect.objectContaining({ status: 'done', runId: paused.runId, output: 'Sunny in Paris.' })]);
		expect(recordedToolCalls).toHaveLength(1);
		expect(outputJson(second, 'Recover')).toEqual([]);
		expect(outputJson(second, 'Recover', { output: 1 })).toEqual([]);
	});

	it('gives a recovered run that pauses again a reference for the sweep’s execution, which waits for it, while the run stays where it lives', async () => {
		const paused = await agent.pausedItem();
		await strandDecidedPause(paused);
		agent.server.load([weatherCall('Rome'), { kind: 'reply', text: 'Sunny in Paris and Rome.' }]);

		const result = await sweep('exec-sweep');
		const [again] = outputJson(result, 'Agent', { output: 1 }) as unknown as PausedItemJson[];
		expect(again.reference).toMatchObject({ workflowId: 'wf-1', executionId: 'exec-1', runId: paused.runId, waitingIn: { workflowId: 'wf-1', executionId: 'exec-sweep' } });

		const continued = await agent.run([decisionItem(again, [{ toolCallId: 'call_Rome', decision: 'approve' }])], {}, 'exec-sweep');
		expect(outputJson(continued, 'Agent')[0]).toMatchObject({ status: 'done', runId: paused.runId, output: 'Sunny in Paris and Rome.' });
		expect(recordedToolCalls).toHaveLength(2);
	});

	it('reports a pause nobody waits on on its second output, with a reference to decide it and its pending calls, and continues nothing', async () => {
		const paused = await agent.pausedItem();
		await ageUnattendedPause(paused);

		const result = await sweep('exec-sweep');

		expect(outputJson(result, 'Recover')).toEqual([]);
		const [report] = outputJson(result, 'Recover', { output: 1 });
		expect(report).toMatchObject({
			runId: paused.runId,
			executionId: 'exec-1',
			state: 'paused',
			action: 'decide',
			reference: { runId: paused.runId, pauseId: paused.reference.pauseId, snapshotHash: paused.reference.snapshotHash },
			pending: [{ toolCallId: 'call_Paris', toolName: 'get_weather' }],
		});
		expect(report.description).toContain('Continue Paused Run');
		expect(recordedToolCalls).toEqual([]);
	});

	it('with Report: All Runs, lists every run with its state; a fresh pause is one to wait for', async () => {
		const paused = await agent.pausedItem();
		const result = await runWorkflow({
			nodeTypes: [StartTestNode, DurableAgent],
			nodes: [
				{ name: 'Start', type: 'startTest' },
				{ name: 'Recover', type: 'durableAgent', parameters: { mode: 'recoverRuns', recoverReport: 'all', recoverExecutionId: 'exec-1', storage: 'localDisk', options: { localFolder: agent.storageFolder } } },
			],
			connections: { Start: { main: [[{ node: 'Recover', type: 'main', index: 0 }]] } },
			credentials: agent.credentials(),
			workflowId: 'wf-1',
			executionId: 'exec-sweep',
		});

		expect(outputJson(result, 'Recover', { output: 1 })).toEqual([expect.objectContaining({ runId: paused.runId, state: 'paused', action: 'wait' })]);
	});
});
