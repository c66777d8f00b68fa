import type { PausedItemJson } from '../../../lib/resume';
import { runLocationOf, writeDecisionRecord } from '../../../lib/resume/decision-records';
import { createLocalDiskStore, createRunStore } from '../../../lib/storage';
import { continuationKey, journalKey, transcriptTurnKey, type RunLocation } from '../../../lib/storage/keys';
import { outputJson } from '../../support/n8n/run-workflow';
import { recordedToolCalls } from '../../support/n8n/nodes/test-tool-node';
import { decisionItem, useWeatherAgent } from './support/weather-agent-harness';

/**
 * A worker that dies while it continues a paused run leaves the run `running` with a lease nobody
 * renews. Continue mode recovers such a run from its pause, once the lease has passed, without
 * running the call that had started again; it refuses while the lease holds or when the dead
 * process got further than the pause's own calls. A continuation that claimed the pause and stopped
 * before it started can be retried the same way once its claim is older than a lease.
 */

const agent = useWeatherAgent();
const approve = [{ toolCallId: 'call_Paris', decision: 'approve' as const }];
const deadWorker = 'worker-a:4242';

/** What a worker killed in the middle of the approved call leaves in storage (as the queue-mode e2e suite observes it). */
async function leaveAsKilledWorker(paused: PausedItemJson, leaseExpiresAt: string): Promise<RunLocation> {
	const store = createLocalDiskStore(agent.storageFolder);
	const location = runLocationOf('', paused.reference);
	await writeDecisionRecord({ store, prefix: '' }, { reference: paused.reference, decisions: approve, decidedAt: new Date().toISOString() });
	await store.put(continuationKey(location, paused.reference.pauseId), JSON.stringify({ attempt: 1, claimedAt: new Date().toISOString(), executionId: 'exec-1' }), { ifAbsent: true });
	const runStore = createRunStore(store, location);
	await runStore.writeRunRecord({ runId: paused.runId, status: 'running', resumedFrom: paused.reference.pauseId, attempt: 1, turns: 1, usage: paused.usage, process: deadWorker, leaseExpiresAt });
	await runStore.journal.recordIntent('call_Paris', { toolName: 'get_weather', input: { city: 'Paris' } });
	return location;
}

const past = () => new Date(Date.now() - 1000).toISOString();
const future = () => new Date(Date.now() + 60_000).toISOString();

describe('Durable AI Agent recovering a run whose process died while continuing it', () => {
	it('continues it again from the pause once the lease has passed: the started call is not run again, the model hears its outcome is unknown, the run ends done', async () => {
		const paused = await agent.pausedItem();
		const location = await leaveAsKilledWorker(paused, past());
		agent.server.load([{ kind: 'reply', text: 'Could not confirm the weather.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'its outcome was not recorded' }] } }]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-recovery');

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')).toEqual([expect.objectContaining({ status: 'done', output: 'Could not confirm the weather.', runId: paused.runId, turns: 2 })]);
		expect(recordedToolCalls).toEqual([]);
		const store = createLocalDiskStore(agent.storageFolder);
		const claim = JSON.parse(String(await store.get(continuationKey(location, paused.reference.pauseId, 2))));
		expect(claim).toMatchObject({ attempt: 2, executionId: 'exec-recovery', recovers: { process: deadWorker } });
		const record = (await createRunStore(store, location).readRunRecord()) as Record<string, unknown>;
		expect(record).toMatchObject({ status: 'done', runId: paused.runId });
		expect(record.process).not.toBe(deadWorker);
		expect(record).not.toHaveProperty('leaseExpiresAt');
	});

	it('refuses the recovered run’s decision when it comes again: the run record now says done', async () => {
		const paused = await agent.pausedItem();
		await leaveAsKilledWorker(paused, past());
		agent.server.load([{ kind: 'reply', text: 'Unknown.' }]);
		await agent.run([decisionItem(paused, approve)], {}, 'exec-recovery');

		const replay = await agent.run([decisionItem(paused, approve)], {}, 'exec-replay');

		expect(replay.status).toBe('error');
		expect(replay.error?.message).toMatch(/already continued from this pause/);
		expect(replay.error?.description).toMatch(/The run record says done/);
	});

	it('refuses while the lease still holds: the process continuing it may still be working', async () => {
		const paused = await agent.pausedItem();
		await leaveAsKilledWorker(paused, future());
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-too-early');

		expect(result.status).toBe('error');
		expect(result.error?.description).toContain(`It is being continued right now by ${deadWorker}`);
		expect(recordedToolCalls).toEqual([]);
	});

	it('refuses when the dead process got past the pause (another model turn), since continuing again could repeat what it did', async () => {
		const paused = await agent.pausedItem();
		const location = await leaveAsKilledWorker(paused, past());
		await createLocalDiskStore(agent.storageFolder).put(transcriptTurnKey(location, 2), '{"type":"message"}\n');
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-recovery');

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/was interrupted after it went past this pause/);
		expect(result.error?.description).toContain('1 more model turn(s)');
	});

	it('refuses when the dead process had started a tool call the pause did not ask about', async () => {
		const paused = await agent.pausedItem();
		const location = await leaveAsKilledWorker(paused, past());
		await createLocalDiskStore(agent.storageFolder).put(journalKey(location, 'call_later', 'intent'), '{}');
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-recovery');

		expect(result.status).toBe('error');
		expect(result.error?.description).toContain('starting 1 tool call(s) the pause did not ask about');
	});

	it('refuses while another execution’s fresh recovery claim may still be starting', async () => {
		const paused = await agent.pausedItem();
		const location = await leaveAsKilledWorker(paused, past());
		await createLocalDiskStore(agent.storageFolder).put(continuationKey(location, paused.reference.pauseId, 2), JSON.stringify({ attempt: 2, claimedAt: new Date().toISOString(), executionId: 'exec-first-recovery' }));
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-second-recovery');

		expect(result.status).toBe('error');
		expect(result.error?.description).toMatch(/Execution exec-first-recovery claimed this pause at .* and is starting it/);
		expect(recordedToolCalls).toEqual([]);
	});

	it('continues again when the execution that claimed the pause stopped before it started (its claim older than the lease, the record still paused)', async () => {
		const paused = await agent.pausedItem();
		const store = createLocalDiskStore(agent.storageFolder);
		const location = runLocationOf('', paused.reference);
		const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
		await store.put(continuationKey(location, paused.reference.pauseId), JSON.stringify({ attempt: 1, claimedAt: twoMinutesAgo, executionId: 'exec-stopped' }));
		agent.server.load([{ kind: 'reply', text: 'Sunny.', expect: { toolResults: [{ toolCallId: 'call_Paris', outputIncludes: 'sunny in Paris' }] } }]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-retry');

		expect(agent.server.expectationFailures).toEqual([]);
		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Sunny.' });
		expect(recordedToolCalls).toHaveLength(1);
		expect(JSON.parse(String(await store.get(continuationKey(location, paused.reference.pauseId, 2))))).toMatchObject({ attempt: 2, recovers: { attempt: 1, claimedAt: twoMinutesAgo } });
	});

	it('refuses while the execution that just claimed the pause may still be starting it', async () => {
		const paused = await agent.pausedItem();
		const location = runLocationOf('', paused.reference);
		await createLocalDiskStore(agent.storageFolder).put(continuationKey(location, paused.reference.pauseId), JSON.stringify({ attempt: 1, claimedAt: new Date().toISOString(), executionId: 'exec-starting' }));
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-retry');

		expect(result.status).toBe('error');
		expect(result.error?.description).toMatch(/Execution exec-starting claimed this pause at .* and is starting it/);
		expect(recordedToolCalls).toEqual([]);
	});

	it('recovers again when the first recovery claimed the pause and stopped before it started', async () => {
		const paused = await agent.pausedItem();
		const location = await leaveAsKilledWorker(paused, past());
		const store = createLocalDiskStore(agent.storageFolder);
		await store.put(continuationKey(location, paused.reference.pauseId, 2), JSON.stringify({ attempt: 2, claimedAt: new Date(Date.now() - 120_000).toISOString(), executionId: 'exec-first-recovery' }));
		agent.server.load([{ kind: 'reply', text: 'Unknown outcome.' }]);

		const result = await agent.run([decisionItem(paused, approve)], {}, 'exec-second-recovery');

		expect(outputJson(result, 'Agent')[0]).toMatchObject({ status: 'done', output: 'Unknown outcome.' });
		expect(recordedToolCalls).toEqual([]);
		expect(JSON.parse(String(await store.get(continuationKey(location, paused.reference.pauseId, 3))))).toMatchObject({ attempt: 3, executionId: 'exec-second-recovery', recovers: { attempt: 2 } });
	});

	it('refuses a different decision for the interrupted pause: the first one recorded stands', async () => {
		const paused = await agent.pausedItem();
		await leaveAsKilledWorker(paused, past());
		agent.server.load([]);

		const result = await agent.run([decisionItem(paused, [{ toolCallId: 'call_Paris', decision: 'reject', reason: 'changed my mind' }])], {}, 'exec-recovery');

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/already decided differently/);
	});
});
