import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runAgent, type AgentSpec, type EngineDeps, type FaultPoint, type FaultPort, type Tool } from '../../lib/engine';
import { continuePausedRun, pausedItem, reportWorkflowRuns, type DecisionPayload, type PausedItemJson, type RunReport } from '../../lib/resume';
import { writeDecisionRecord } from '../../lib/resume/decision-records';
import { createLocalDiskStore, createRunStore, createVerifiedS3Store, loadSigningSecret, type BlobStore } from '../../lib/storage';
import { fakeModel, textReply, toolCallsReply, type FakeReply } from '../support/fake-model';
import { startLocalS3, type LocalS3 } from '../support/s3-test-servers';

/**
 * A process can die at any step. At each named boundary a test-only fault port stops the process
 * for good (every later storage call of that process hangs, as if it was killed), time passes
 * beyond the lease, and then a sweep tells what state the run is in, and the run is either
 * recovered from its recorded decision or reported: no tool call runs twice. On local disk and on
 * an S3-protocol store.
 */

const leaseMs = 60_000;
const workflowId = 'wf-crash';
const started = Date.parse('2026-12-01T10:00:00Z');

type Backend = { name: string; open(): Promise<{ store: BlobStore; prefix: string }>; close(): Promise<void> };

function localDisk(): Backend {
	let folder: string | undefined;
	return {
		name: 'local disk',
		async open() {
			folder = await mkdtemp(join(tmpdir(), 'durable-agent-crash-'));
			return { store: createLocalDiskStore(folder), prefix: '' };
		},
		async close() {
			if (folder) await rm(folder, { recursive: true, force: true });
		},
	};
}

function s3(): Backend {
	let folder: string | undefined;
	let server: LocalS3 | undefined;
	return {
		name: 'S3',
		async open() {
			if (server === undefined) {
				folder = await mkdtemp(join(tmpdir(), 'durable-agent-crash-s3-'));
				server = await startLocalS3(folder, ['runs']);
			}
			const prefix = `crash-${randomUUID()}`;
			const store = createVerifiedS3Store({ endpoint: server.endpoint, region: 'us-east-1', bucket: 'runs', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }, prefix);
			return { store, prefix };
		},
		async close() {
			await server?.close();
			if (folder) await rm(folder, { recursive: true, force: true });
		},
	};
}

/**
 * A process's view of the store, and its death: after it dies nothing it asks of storage ever
 * completes. `dead` resolves once it died and every storage call it had in flight has landed.
 */
function mortalProcess(store: BlobStore) {
	let isDead = false;
	let died: () => void = () => undefined;
	const diedAt = new Promise<void>((resolve) => (died = resolve));
	const inFlight = new Set<Promise<unknown>>();
	const never = new Promise<never>(() => undefined);
	const alive = <Result>(call: () => Promise<Result>): Promise<Result> => {
		if (isDead) return never;
		const pending = call();
		inFlight.add(pending);
		void pending.catch(() => undefined).finally(() => inFlight.delete(pending));
		return pending;
	};
	const view: BlobStore = {
		location: store.location,
		get: (key) => alive(() => store.get(key)),
		put: (key, body, options) => alive(() => store.put(key, body, options)),
		list: (prefix) => alive(() => store.list(prefix)),
		delete: (key) => alive(() => store.delete(key)),
	};
	/** Dies when the run reaches `point`: the step in flight may land, nothing after it does. */
	const diesAt = (point: FaultPoint): FaultPort => ({
		async reached(reachedPoint) {
			if (reachedPoint !== point) return;
			isDead = true;
			died();
			await never;
		},
	});
	const dead = async () => {
		await diedAt;
		await Promise.allSettled([...inFlight]);
	};
	return { store: view, diesAt, dead };
}

const citySchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

function bookingAgent(replies: FakeReply[], calls: string[]): AgentSpec {
	const book: Tool = {
		name: 'book',
		description: 'Books a trip',
		inputSchema: citySchema,
		concurrencySafe: false,
		approval: { type: 'always' },
		async execute(input) {
			calls.push(`book:${(input as { city: string }).city}`);
			return 'booked';
		},
	};
	return {
		model: fakeModel(replies),
		instructions: 'Book trips.',
		tools: [book],
		output: { type: 'text' },
		limits: { maxTurns: 10, toolConcurrency: 1, maxOutputTokensPerTurn: 100 },
		retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
	};
}

const engineDeps = (store: EngineDeps['store'], now: number, faults?: FaultPort): EngineDeps => ({
	store,
	now: () => now,
	sleep: async () => undefined,
	random: () => 0.5,
	newId: randomUUID,
	processLabel: 'worker-a:1',
	runLeaseMs: leaseMs,
	...(faults ? { faults } : {}),
});

const approve = (paused: PausedItemJson): DecisionPayload => ({ reference: paused.reference, decisions: [{ toolCallId: 'call_1', decision: 'approve' }], decidedAt: new Date(started).toISOString() });

describe.each([localDisk(), s3()])('a run whose process dies at a step boundary ($name)', (backend) => {
	let storage: { store: BlobStore; prefix: string };
	let calls: string[];

	beforeEach(async () => {
		storage = await backend.open();
		calls = [];
	});
	afterAll(async () => {
		await backend.close();
	});

	const location = (runId: string) => ({ prefix: storage.prefix, workflowId, executionId: 'exec-1', nodeId: 'agent', runId });
	const secret = () => loadSigningSecret(storage.store, storage.prefix);

	/** The run paused on its booking call, as the agent node emits it. */
	async function pausedRun(spec: AgentSpec): Promise<PausedItemJson> {
		const runId = randomUUID();
		const outcome = await runAgent(spec, { runId, task: 'Book Paris' }, engineDeps(createRunStore(storage.store, location(runId)), started));
		if (outcome.status !== 'paused') throw new Error(`expected a pause, got ${outcome.status}`);
		const ids = { workflowId, executionId: 'exec-1', nodeId: 'agent' };
		return await pausedItem({ outcome, spec, ids, storage, secret: await secret(), resumeUrl: 'http://n8n.test/webhook-waiting/exec-1' });
	}

	/** A worker continues the decision and dies at `point`; resolves once it is dead (its continuation never settles). */
	async function continueAndDie(spec: AgentSpec, payload: DecisionPayload, point: FaultPoint): Promise<void> {
		const worker = mortalProcess(storage.store);
		const faults = worker.diesAt(point);
		void continuePausedRun({ storage: { store: worker.store, prefix: storage.prefix }, secret: await secret(), spec, payload, executionId: 'exec-1', engine: { now: () => started, runLeaseMs: leaseMs, faults } });
		await worker.dead();
	}

	async function reportAfterLease(runId: string): Promise<RunReport> {
		const reports = await reportWorkflowRuns(storage, { workflowId, nowMs: started + 3 * leaseMs, leaseMs, secret: await secret() });
		const report = reports.find((candidate) => candidate.runId === runId);
		if (report === undefined) throw new Error(`no report for ${runId}`);
		return report;
	}

	/** Another worker, later, continues the run from the decision the sweep hands out. */
	async function recover(spec: AgentSpec, report: RunReport) {
		if (report.recovery.action !== 'continue') throw new Error(`expected a run to continue, got ${report.state}: ${report.description}`);
		return await continuePausedRun({ storage, secret: await secret(), spec, payload: report.recovery.decision, executionId: 'exec-sweep', engine: { now: () => started + 3 * leaseMs, runLeaseMs: leaseMs } });
	}

	it('after the decision is recorded and before the claim: decided-not-continued, then continued once', async () => {
		const spec = bookingAgent([toolCallsReply([{ id: 'call_1', name: 'book', input: { city: 'Paris' } }]), textReply('Booked.')], calls);
		const paused = await pausedRun(spec);
		await continueAndDie(spec, approve(paused), 'after-decision-recorded');

		const report = await reportAfterLease(paused.runId);
		expect(report).toMatchObject({ state: 'decided-not-continued', recovery: { action: 'continue' } });
		const recovered = await recover(spec, report);

		expect(recovered).toMatchObject({ ok: true, outcome: { status: 'done', output: 'Booked.' } });
		expect(calls).toEqual(['book:Paris']);
		expect(await reportAfterLease(paused.runId)).toMatchObject({ state: 'done' });
	});

	it.each([
		['after the claim and before the tool’s intent', 'before-tool-intent' as const, ['book:Paris'], 'booked'],
		['after the intent and before the tool ran', 'after-tool-intent' as const, [], 'its outcome was not recorded'],
		['after the tool ran and before its result was recorded', 'before-tool-result' as const, ['book:Paris'], 'its outcome was not recorded'],
	])('%s: interrupted, then recovered with the call run at most once', async (_boundary, point, expectedCalls, toolResultSays) => {
		const model: FakeReply[] = [toolCallsReply([{ id: 'call_1', name: 'book', input: { city: 'Paris' } }])];
		let toolResult = '';
		const finalReply: FakeReply = async (request) => {
			const results = request.messages.flatMap((message) => message.content.flatMap((part) => (part.type === 'tool-result' ? [part.output] : [])));
			toolResult = String(results.at(-1));
			return textReply('Done.');
		};
		const spec = bookingAgent([...model, finalReply], calls);
		const paused = await pausedRun(spec);
		const payload = approve(paused);
		await writeDecisionRecord(storage, payload);
		await continueAndDie(spec, payload, point);

		const report = await reportAfterLease(paused.runId);
		expect(report).toMatchObject({ state: 'interrupted', recovery: { action: 'continue' } });
		const recovered = await recover(spec, report);

		expect(recovered).toMatchObject({ ok: true, outcome: { status: 'done', output: 'Done.' } });
		expect(calls).toEqual(expectedCalls);
		expect(toolResult).toContain(toolResultSays);
		const replay = await recover(spec, report);
		expect(replay).toMatchObject({ ok: false, message: expect.stringMatching(/already continued from this pause/) });
		expect(calls).toEqual(expectedCalls);
	});

	it('during the snapshot write of its first pause: interrupted before it paused, reported with nothing to continue, no call run', async () => {
		const spec = bookingAgent([toolCallsReply([{ id: 'call_1', name: 'book', input: { city: 'Paris' } }])], calls);
		const runId = randomUUID();
		const worker = mortalProcess(storage.store);
		void runAgent(spec, { runId, task: 'Book Paris' }, engineDeps(createRunStore(worker.store, location(runId)), started, worker.diesAt('during-snapshot-write')));
		await worker.dead();

		const report = await reportAfterLease(runId);

		expect(report).toMatchObject({ state: 'interrupted', recovery: { action: 'none' }, description: expect.stringContaining('before it ever paused') });
		expect(calls).toEqual([]);
	});

	it('during the snapshot write of a second pause, after the approved call ran: interrupted, then recovered without running the approved call again; it pauses again', async () => {
		const askRome = toolCallsReply([{ id: 'call_2', name: 'book', input: { city: 'Rome' } }]);
		const spec = bookingAgent([toolCallsReply([{ id: 'call_1', name: 'book', input: { city: 'Paris' } }]), askRome, askRome], calls);
		const paused = await pausedRun(spec);
		await continueAndDie(spec, approve(paused), 'during-snapshot-write');

		const report = await reportAfterLease(paused.runId);
		expect(report).toMatchObject({ state: 'interrupted', pauseId: paused.reference.pauseId, recovery: { action: 'continue' } });
		const recovered = await recover(spec, report);

		expect(recovered).toMatchObject({ ok: true, outcome: { status: 'paused', pause: { pending: [{ toolCallId: 'call_2' }] } } });
		expect(calls).toEqual(['book:Paris']);
	});
});
