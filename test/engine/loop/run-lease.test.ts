import { runAgent, runLeaseFromEnvironment, runStatusAt, type AgentSpec, type EngineDeps, type Tool } from '../../../lib/engine';
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

const leaseOf = (record: Record<string, unknown>) => Date.parse(String(record.leaseExpiresAt));

describe('the run lease: a running run keeps its record fresh so a dead process can be told from a busy one', () => {
	it('renews the lease of the running record while a tool runs, and stops with the record that ends the run', async () => {
		const store = recordingRunStore();

		const outcome = await runAgent(spec([slowTool(150)]), { runId: 'run-1', task: 'Go.' }, deps(store, 30));

		expect(outcome.status).toBe('done');
		const running = store.records.filter((record) => record.status === 'running');
		expect(running.length).toBeGreaterThanOrEqual(3);
		expect(running.every((record) => Number.isFinite(leaseOf(record)))).toBe(true);
		expect(running.map(leaseOf)).toEqual([...running.map(leaseOf)].sort((a, b) => a - b));
		expect(leaseOf(running.at(-1)!)).toBeGreaterThan(leaseOf(running[0]));
		expect(store.records.at(-1)).toMatchObject({ status: 'done' });
		expect(store.records.at(-1)).not.toHaveProperty('leaseExpiresAt');
		const writtenAtEnd = store.records.length;
		await wait(80);
		expect(store.records).toHaveLength(writtenAtEnd);
	});

	it('writes records one at a time, in order: a slow heartbeat never lands after the final record', async () => {
		const store = recordingRunStore();
		const writeRecord = store.writeRunRecord.bind(store);
		store.writeRunRecord = async (record) => {
			await wait(15);
			await writeRecord(record);
		};

		await runAgent(spec([slowTool(100)]), { runId: 'run-1', task: 'Go.' }, deps(store, 20));
		await wait(60);

		expect(store.records.filter((record) => record.status === 'running').length).toBeGreaterThanOrEqual(2);
		expect(store.records.at(-1)).toMatchObject({ status: 'done' });
		expect(store.records.findIndex((record) => record.status === 'done')).toBe(store.records.length - 1);
	});

	it('keeps the run going when a heartbeat cannot be written: the next record renews the lease', async () => {
		const store = recordingRunStore();
		const writeRecord = store.writeRunRecord.bind(store);
		let writes = 0;
		store.writeRunRecord = async (record) => {
			writes += 1;
			// The first record (start) and the last (done) go through; the heartbeats in between fail.
			if (writes > 1 && (record as { status: string }).status === 'running') throw new Error('bucket unavailable');
			await writeRecord(record);
		};

		const outcome = await runAgent(spec([slowTool(80)]), { runId: 'run-1', task: 'Go.' }, deps(store, 15));

		expect(outcome.status).toBe('done');
		expect(writes).toBeGreaterThan(2);
		expect(store.records.map((record) => record.status)).toEqual(['running', 'done']);
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

	it('refuses a value that is not at least one second, naming the variable', () => {
		expect(() => runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: 'ten' })).toThrow(/DURABLE_AGENT_RUN_LEASE_SECONDS must be a number of seconds, at least 1; it is "ten"/);
		expect(() => runLeaseFromEnvironment({ DURABLE_AGENT_RUN_LEASE_SECONDS: '0.5' })).toThrow(/at least 1/);
	});
});
