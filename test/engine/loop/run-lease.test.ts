import { resumeAgent, runAgent, runLeaseFromEnvironment, runStatusAt, type AgentSpec, type EngineDeps, type RunRecord, type Tool } from '../../../lib/engine';
import { RunLeaseLostError } from '../../../lib/engine/loop/run-lease';
import { fakeModel, textReply, toolCallsReply } from '../../support/fake-model';
import { recordingRunStore, type RecordingRunStore } from '../../support/recording-run-store';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A tool that takes `ms` to answer: long enough for several heartbeats. */
function slowTool(ms: number): Tool {
	return { name: 'slow', description: 'takes a while', inputSchema: { type: 'object', properties: {} }, concurrencySafe: false, execute: async () => (await wait(ms), 'finished') };
}

function spec(tools: Tool[]): AgentSpec {
	const model = fakeModel([toolCallsReply([{ id: 'call_1', name: 'slow', input: {} }]), textReply('Done.')]);
	return { model, instructions: '', tools, output: { type: 'text' }, limits: { maxTurns: 5, toolConcurrency: 1, maxOutputTokensPerTurn: 100 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } };
}

function deps(store: RecordingRunStore, runLeaseMs: number): EngineDeps {
	return { store, now: Date.now, sleep: async () => undefined, random: () => 0.5, newId: () => 'pause-1', processLabel: 'host:1', runLeaseMs };
}

/** Sends every run-record write through `intercept` (with its number, from 1, and the store's own write); returns how many there were. */
function interceptRecordWrites(store: RecordingRunStore, intercept: (record: RunRecord, number: number, write: (record: RunRecord) => Promise<void>) => Promise<void>): () => number {
	const write = store.writeRunRecord.bind(store);
	let writes = 0;
	store.writeRunRecord = async (record) => await intercept(record, ++writes, write);
	return () => writes;
}

const leaseOf = (record: Record<string, unknown>) => Date.parse(String(record.leaseExpiresAt));

describe('the run lease: a running run keeps its record fresh so a dead process can be told from a busy one', () => {
	it('renews the lease of the running record while a tool runs, showing the run’s progress, and stops with the record that ends the run', async () => {
		const store = recordingRunStore();

		const outcome = await runAgent(spec([slowTool(600)]), { runId: 'run-1', task: 'Go.' }, deps(store, 450));

		expect(outcome.status).toBe('done');
		const running = store.records.filter((record) => record.status === 'running');
		expect(running.length).toBeGreaterThanOrEqual(3);
		expect(running.every((record) => Number.isFinite(leaseOf(record)))).toBe(true);
		expect(running.map(leaseOf)).toEqual([...running.map(leaseOf)].sort((a, b) => a - b));
		expect(leaseOf(running.at(-1)!)).toBeGreaterThan(leaseOf(running[0]));
		// The heartbeats during the tool call show the run's progress: one model turn, its usage.
		expect(running[0]).toMatchObject({ turns: 0 });
		expect(running.at(-1)).toMatchObject({ turns: 1, usage: { inputTokens: 10, outputTokens: 5 } });
		expect(store.records.at(-1)).toMatchObject({ status: 'done' });
		expect(store.records.at(-1)).not.toHaveProperty('leaseExpiresAt');
		const writtenAtEnd = store.records.length;
		await wait(250);
		expect(store.records).toHaveLength(writtenAtEnd);
	});

	it('writes records one at a time, in order: a slow heartbeat never lands after the final record', async () => {
		const store = recordingRunStore();
		interceptRecordWrites(store, async (record, _number, write) => (await wait(15), await write(record)));

		await runAgent(spec([slowTool(400)]), { runId: 'run-1', task: 'Go.' }, deps(store, 360));
		await wait(200);

		expect(store.records.filter((record) => record.status === 'running').length).toBeGreaterThanOrEqual(2);
		expect(store.records.at(-1)).toMatchObject({ status: 'done' });
		expect(store.records.findIndex((record) => record.status === 'done')).toBe(store.records.length - 1);
	});

	it('rides out a heartbeat that cannot be written: the next one renews the lease', async () => {
		const store = recordingRunStore();
		const writes = interceptRecordWrites(store, async (record, number, write) => {
			if (number === 2) throw new Error('bucket unavailable for a moment');
			await write(record);
		});

		const outcome = await runAgent(spec([slowTool(1000)]), { runId: 'run-1', task: 'Go.' }, deps(store, 900));

		expect(outcome.status).toBe('done');
		expect(writes()).toBeGreaterThan(3);
		expect(store.records.at(-1)).toMatchObject({ status: 'done' });
	});

	it('stops the run before it records more progress once it could not renew its lease in time, so it never works beside a recovery', async () => {
		const store = recordingRunStore();
		interceptRecordWrites(store, async (record, number, write) => {
			if (number > 1) throw new Error('bucket unavailable');
			await write(record);
		});
		const ran: string[] = [];
		const tool: Tool = { ...slowTool(250), execute: async (_input, { toolCallId }) => (ran.push(toolCallId), await wait(250), 'finished') };
		const model = fakeModel([toolCallsReply([{ id: 'call_1', name: 'slow', input: {} }]), toolCallsReply([{ id: 'call_2', name: 'slow', input: {} }]), textReply('Done.')]);

		const run = runAgent({ ...spec([tool]), model }, { runId: 'run-1', task: 'Go.' }, deps(store, 150));

		await expect(run).rejects.toThrow(RunLeaseLostError);
		await expect(run).rejects.toThrow(/could not renew the lease on its run record/);
		expect(ran).toEqual(['call_1']);
		expect(store.results.has('call_1')).toBe(true);
		expect(store.turns.size).toBe(0);
		expect(store.records.map((record) => record.status)).toEqual(['running']);
	});

	it('leases the record of a continued run too, naming the pause and the attempt', async () => {
		const store = recordingRunStore();
		const agent = spec([{ ...slowTool(1), approval: { type: 'always' } }]);
		const engineDeps = deps(store, 60_000);
		await runAgent(agent, { runId: 'run-1', task: 'Go.' }, engineDeps);
		const snapshot = store.snapshot('pause-1');

		const outcome = await resumeAgent(agent, snapshot, [{ toolCallId: 'call_1', decision: 'approve' }], engineDeps, 2);

		expect(outcome.status).toBe('done');

		const continued = store.records.find((record) => record.resumedFrom !== undefined);
		expect(continued).toMatchObject({ status: 'running', resumedFrom: 'pause-1', attempt: 2, process: 'host:1' });
		expect(Number.isFinite(leaseOf(continued!))).toBe(true);
	});
});

describe('runStatusAt', () => {
	const now = Date.parse('2026-11-22T10:00:00Z');
	const record = (fields: Record<string, unknown>) => ({ runId: 'run-1', ...fields }) as Parameters<typeof runStatusAt>[0];

	it('reads a running record whose lease has passed as interrupted', () => {
		expect(runStatusAt(record({ status: 'running', leaseExpiresAt: '2026-11-22T09:59:59.000Z' }), now)).toBe('interrupted');
		expect(runStatusAt(record({ status: 'running', leaseExpiresAt: '2026-11-22T10:00:00.000Z' }), now)).toBe('interrupted');
	});

	it('reads a running record within its lease, or one written without a lease, as running', () => {
		expect(runStatusAt(record({ status: 'running', leaseExpiresAt: '2026-11-22T10:00:01.000Z' }), now)).toBe('running');
		expect(runStatusAt(record({ status: 'running' }), now)).toBe('running');
	});

	it('leaves paused, done and failed as they are', () => {
		for (const status of ['paused', 'done', 'failed'] as const) expect(runStatusAt(record({ status, leaseExpiresAt: '2020-01-01T00:00:00.000Z' }), now)).toBe(status);
	});
});

describe('runLeaseFromEnvironment', () => {
	it('takes DURABLE_AGENT_RUN_LEASE_SECONDS in seconds, and unset as the default', () => {
		expect(runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: '15' })).toBe(15_000);
		expect(runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: ' ' })).toBeUndefined();
		expect(runLeaseFromEnvironment({})).toBeUndefined();
	});

	it('refuses a value under five seconds, naming the variable', () => {
		expect(() => runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: 'ten' })).toThrow(/DURABLE_AGENT_RUN_LEASE_SECONDS must be a number of seconds, at least 5; it is "ten"/);
		expect(() => runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: '2' })).toThrow(/at least 5/);
	});
});
