import { defaultRunLeaseMs } from '../../lib/engine';
import { reportWorkflowRuns, type PausedItemJson, type RunReport } from '../../lib/resume';
import { runLocationOf, writeDecisionRecord } from '../../lib/resume/decision-records';
import { writeWaitRecord } from '../../lib/resume/wait-record';
import { createLocalDiskStore, createRunStore, loadSigningSecret, runRecordKey } from '../../lib/storage';
import { continuationKey } from '../../lib/storage/keys';
import { outputJson } from '../support/n8n/run-workflow';
import { recordedToolCalls } from '../support/n8n/nodes/test-tool-node';
import { useWeatherAgent } from '../nodes/AgentNode/support/weather-agent-harness';

/**
 * Every run's true state, read from storage alone: a sweep tells apart running, interrupted, paused
 * (waited on, or with nobody waiting), decided, decided but never continued, done and failed, and
 * says for each what to do. What it hands out to continue goes through the same one-time claims.
 */

const agent = useWeatherAgent();
const approve = [{ toolCallId: 'call_Paris', decision: 'approve' as const }];
const lease = defaultRunLeaseMs;
const storage = () => ({ store: createLocalDiskStore(agent.storageFolder), prefix: '' });

async function sweep(nowMs = Date.now()): Promise<RunReport[]> {
	const { store } = storage();
	return await reportWorkflowRuns(storage(), { workflowId: 'wf-1', nowMs, leaseMs: lease, secret: await loadSigningSecret(store, '') });
}

async function reportOf(runId: string, nowMs?: number): Promise<RunReport> {
	const report = (await sweep(nowMs)).find((candidate) => candidate.runId === runId);
	if (report === undefined) throw new Error(`No report for run ${runId}`);
	return report;
}

async function decide(paused: PausedItemJson, decidedAt = new Date()): Promise<void> {
	await writeDecisionRecord(storage(), { reference: paused.reference, decisions: approve, decidedAt: decidedAt.toISOString() });
}

describe('the state of every run of a workflow', () => {
	it('reports a finished run as done and a paused one nobody decided yet as paused, to wait for', async () => {
		agent.server.load([{ kind: 'reply', text: 'No tool needed.' }]);
		const finished = outputJson(await agent.run([{ city: 'Oslo' }]), 'Agent')[0] as { runId: string };
		const paused = await agent.pausedItem();

		expect(await reportOf(finished.runId)).toMatchObject({ state: 'done', recovery: { action: 'none' }, workflowId: 'wf-1', executionId: 'exec-1', nodeId: 'agent-node-id' });
		expect(await reportOf(paused.runId)).toMatchObject({ state: 'paused', pauseId: paused.reference.pauseId, recovery: { action: 'wait' } });
	});

	it('tells a pause a Resume node waits on from one nobody waits on (its approval link was never sent), and hands out a reference that Continue Paused Run accepts', async () => {
		const waitedOn = await agent.pausedItem('Paris');
		const forgotten = await agent.pausedItem('Rome');
		const item = { agentNodeName: 'Agent', reference: waitedOn.reference, pending: waitedOn.pending, lastMessage: '' };
		await writeWaitRecord(storage(), { workflowId: 'wf-1', executionId: 'exec-1', resumeNodeId: 'resume-node' }, { waitId: 'wait-1', workflowId: 'wf-1', workflowName: 'Weather', executionId: 'exec-1', resumeNodeName: 'Resume', createdAt: new Date().toISOString(), items: [item] });
		const later = Date.now() + 2 * lease;

		expect(await reportOf(waitedOn.runId, later)).toMatchObject({ state: 'paused', recovery: { action: 'wait' }, description: expect.stringContaining('Waiting for a decision at its Resume node') });
		const report = await reportOf(forgotten.runId, later);
		expect(report).toMatchObject({ state: 'paused', recovery: { action: 'decide', pending: [{ toolCallId: 'call_Rome', toolName: 'get_weather' }] }, description: expect.stringContaining('no Resume node waits for it') });

		if (report.recovery.action !== 'decide') throw new Error('expected a reference to decide');
		agent.server.load([{ kind: 'reply', text: 'Sunny in Rome.' }]);
		const continued = await agent.run([{}], { mode: 'continue', pauseReference: report.recovery.reference, decisions: [{ toolCallId: 'call_Rome', decision: 'approve' }] }, 'exec-sweep');
		expect(outputJson(continued, 'Agent')[0]).toMatchObject({ status: 'done', runId: forgotten.runId, output: 'Sunny in Rome.' });
		expect(recordedToolCalls).toHaveLength(1);
	});

	it('reports a decision nobody continued as decided while the continuing execution has a lease’s time, then as decided-not-continued with the decision to continue it', async () => {
		const paused = await agent.pausedItem();
		await decide(paused);

		expect(await reportOf(paused.runId)).toMatchObject({ state: 'decided', recovery: { action: 'wait' } });
		const stranded = await reportOf(paused.runId, Date.now() + 2 * lease);
		expect(stranded).toMatchObject({ state: 'decided-not-continued', pauseId: paused.reference.pauseId, recovery: { action: 'continue', decision: { reference: paused.reference, decisions: approve } } });
		expect(stranded.description).toContain('no execution ever claimed it');
	});

	it('continues a decided-but-never-continued run once, from the decision the sweep hands out, as a decision item into the agent; a second sweep sees it done and a replay is refused', async () => {
		const paused = await agent.pausedItem();
		await decide(paused, new Date(Date.now() - 2 * lease));
		const report = await reportOf(paused.runId);
		if (report.recovery.action !== 'continue') throw new Error(`expected continue, got ${report.state}`);
		agent.server.load([{ kind: 'reply', text: 'Sunny.' }]);

		const first = await agent.run([{ durableAgentDecision: report.recovery.decision }], {}, 'exec-sweep');
		const replay = await agent.run([{ durableAgentDecision: report.recovery.decision }], {}, 'exec-sweep-2');

		expect(outputJson(first, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Sunny.' });
		expect(recordedToolCalls).toHaveLength(1);
		expect(replay.status).toBe('error');
		expect(replay.error?.message).toMatch(/already continued from this pause/);
		expect(await reportOf(paused.runId)).toMatchObject({ state: 'done' });
	});

	it('reports a continuation that claimed the pause and never started as decided-not-continued once its claim is older than the lease', async () => {
		const paused = await agent.pausedItem();
		await decide(paused);
		const location = runLocationOf('', paused.reference);
		await storage().store.put(continuationKey(location, paused.reference.pauseId), JSON.stringify({ attempt: 1, claimedAt: new Date().toISOString(), executionId: 'exec-died' }));

		expect(await reportOf(paused.runId)).toMatchObject({ state: 'decided', description: expect.stringContaining('execution exec-died claimed it') });
		expect(await reportOf(paused.runId, Date.now() + 2 * lease)).toMatchObject({ state: 'decided-not-continued', recovery: { action: 'continue' }, description: expect.stringContaining('exec-died claimed it') });
	});

	it('reports a run whose process stopped while continuing a pause as interrupted, to continue with its decision; one that stopped before it paused as interrupted with nothing to continue', async () => {
		const paused = await agent.pausedItem();
		await decide(paused);
		const location = runLocationOf('', paused.reference);
		const runStore = createRunStore(storage().store, location);
		const expired = new Date(Date.now() - 1000).toISOString();
		await runStore.writeRunRecord({ runId: paused.runId, status: 'running', resumedFrom: paused.reference.pauseId, attempt: 1, turns: 1, usage: paused.usage, process: 'worker-a:1', leaseExpiresAt: expired });
		const neverPaused = createRunStore(storage().store, { ...location, runId: 'run-never-paused' });
		await neverPaused.writeRunRecord({ runId: 'run-never-paused', status: 'running', turns: 0, usage: paused.usage, process: 'worker-b:2', leaseExpiresAt: expired });

		expect(await reportOf(paused.runId)).toMatchObject({ state: 'interrupted', process: 'worker-a:1', recovery: { action: 'continue', decision: { decisions: approve } } });
		expect(await reportOf('run-never-paused')).toMatchObject({ state: 'interrupted', recovery: { action: 'none' }, description: expect.stringContaining('before it ever paused') });
		expect(await reportOf('run-never-paused', Date.now() - 60_000)).toMatchObject({ state: 'running', recovery: { action: 'wait' } });
	});

	it('reports a failed run with its error, and a run whose record is unreadable as unreadable without stopping the sweep', async () => {
		const paused = await agent.pausedItem();
		const location = runLocationOf('', paused.reference);
		await createRunStore(storage().store, { ...location, runId: 'run-failed' }).writeRunRecord({ runId: 'run-failed', status: 'failed', turns: 1, usage: paused.usage, error: { code: 'max_turns', message: 'Too many turns.' }, endedAt: new Date().toISOString() });
		await storage().store.put(runRecordKey({ ...location, runId: 'run-broken' }), '{"status":');

		expect(await reportOf('run-failed')).toMatchObject({ state: 'failed', description: expect.stringContaining('max_turns: Too many turns.') });
		expect(await reportOf('run-broken')).toMatchObject({ state: 'unreadable', recovery: { action: 'none' }, description: expect.stringContaining('is not valid JSON') });
		expect(await reportOf(paused.runId)).toMatchObject({ state: 'paused' });
	});
});
