import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runAgent, type AgentSpec, type EngineDeps, type RunOutcome, type Tool } from '../../lib/engine';
import { replayAgent } from '../../lib/engine/replay/replay-agent';
import { createLocalDiskStore, createRunStore, createS3Store, type BlobStore, type RunLocation } from '../../lib/storage';
import { snapshotKey, transcriptTurnKey } from '../../lib/storage/keys';
import { readRecordedRun, runLocationOfTranscript } from '../../lib/storage/stored-run';
import { fakeModel, textReply, toolCallsReply, type FakeReply } from '../support/fake-model';
import { startLocalS3, type LocalS3 } from '../support/s3-test-servers';

/**
 * A stored run read whole for a replay, on local disk and on S3: found again from a Done item's
 * transcript, replayed without touching its objects, and refused — with a code and a message
 * saying what to do — when it is missing, has lost a transcript object, holds an object this
 * package did not write, or paused into a snapshot of a version this package cannot read.
 */

const prefix = 'team/agents';
const location = (runId: string): RunLocation => ({ prefix, workflowId: 'wf-1', executionId: 'exec-1', nodeId: 'node-1', runId });
const originalFolder = `${prefix}/workflows/wf-1/executions/exec-1/nodes/node-1/runs/original/`;

const lookup = (approval?: Tool['approval']) => {
	const calls: unknown[] = [];
	const tool: Tool = {
		name: 'lookup',
		description: 'Looks a city up',
		inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
		concurrencySafe: true,
		...(approval ? { approval } : {}),
		async execute(input) {
			calls.push(input);
			return { city: (input as { city: string }).city, population: 2_100_000 };
		},
	};
	return { tool, calls };
};

const spec = (tool: Tool, replies: FakeReply[]): AgentSpec => ({
	model: fakeModel(replies),
	instructions: 'Answer with facts.',
	tools: [tool],
	output: { type: 'text' },
	limits: { maxTurns: 5, toolConcurrency: 2, maxOutputTokensPerTurn: 500 },
	retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
});

function deps(blobs: BlobStore, runId: string): EngineDeps {
	return { store: createRunStore(blobs, location(runId)), now: () => Date.parse('2026-12-01T09:00:00Z'), sleep: async () => undefined, random: () => 0.5, newId: () => 'pause-1' };
}

const parisReplies = (): FakeReply[] => [toolCallsReply([{ id: 'c1', name: 'lookup', input: { city: 'Paris' } }]), textReply('Paris has 2.1 million people.')];

async function storedObjects(blobs: BlobStore, folder: string): Promise<Map<string, string>> {
	const keys = await blobs.list(folder);
	return new Map(await Promise.all(keys.map(async (key) => [key, (await blobs.get(key))!.toString('base64')] as const)));
}

type StoreSetup = { name: string; open(): Promise<BlobStore> };

let folder: string;
let s3: LocalS3;
let buckets = 0;
beforeAll(async () => {
	folder = await mkdtemp(join(tmpdir(), 'stored-run-'));
	s3 = await startLocalS3(join(folder, 's3'), []);
});
afterAll(async () => {
	await s3.close();
	await rm(folder, { recursive: true, force: true });
});

const stores: StoreSetup[] = [
	{ name: 'local disk', open: async () => createLocalDiskStore(await mkdtemp(join(folder, 'disk-'))) },
	{
		name: 'S3',
		open: async () => {
			const bucket = `replays-${++buckets}`;
			await s3.createBucket(bucket);
			return createS3Store({ endpoint: s3.endpoint, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
		},
	},
];

describe.each(stores)('a stored run read for a replay, on $name', ({ open }) => {
	let blobs: BlobStore;
	let original: RunOutcome;
	beforeEach(async () => {
		blobs = await open();
		original = await runAgent(spec(lookup().tool, parisReplies()), { runId: 'original', task: 'How many people live in Paris?' }, deps(blobs, 'original'));
	});

	it("is found again from its Done item's transcript, and replaying it leaves every one of its objects as it was", async () => {
		expect(runLocationOfTranscript(blobs, prefix, original.transcript)).toEqual(location('original'));
		const before = await storedObjects(blobs, originalFolder);
		const { tool, calls } = lookup();

		const recorded = await readRecordedRun(blobs, location('original'));
		const { comparison } = await replayAgent(spec(tool, parisReplies()), recorded, { runId: 'replay', fromTurn: 0, safeTools: [] }, deps(blobs, 'replay'));

		expect(comparison).toMatchObject({ answersEqual: true, divergedAtTurn: null, toolCalls: { replayed: 1, executed: 0 } });
		expect(calls).toEqual([]);
		expect(await storedObjects(blobs, originalFolder)).toEqual(before);
		expect(await blobs.list(`${prefix}/workflows/wf-1/executions/exec-1/nodes/node-1/runs/replay/`)).toEqual(expect.arrayContaining([expect.stringMatching(/runs\/replay\/run\.json$/), expect.stringMatching(/runs\/replay\/transcript\/000001\.ndjson$/)]));
	});

	it('refuses a run that is not stored, one that lost a transcript object, and one holding an object this package did not write', async () => {
		await expect(readRecordedRun(blobs, location('elsewhere'))).rejects.toMatchObject({ code: 'run_not_found', message: expect.stringContaining("that this node's Storage is the one the run was stored in") });

		const secondTurn = transcriptTurnKey(location('original'), 2);
		await blobs.put(secondTurn, '{"type":"message","message":{"role":"robot"}}\n');
		await expect(readRecordedRun(blobs, location('original'))).rejects.toMatchObject({ code: 'run_unreadable', message: expect.stringContaining(`${secondTurn} line 1 is not a transcript entry`) });

		await blobs.delete(transcriptTurnKey(location('original'), 1));
		await expect(readRecordedRun(blobs, location('original'))).rejects.toMatchObject({ code: 'run_incomplete', message: expect.stringContaining('Transcript object 1 of run original is missing') });
	});

	it('reads a paused run whose snapshot is a version 1 snapshot, and refuses one whose snapshot a newer package wrote', async () => {
		const paused = await runAgent(spec(lookup({ type: 'always' }).tool, [toolCallsReply([{ id: 'c1', name: 'lookup', input: { city: 'Paris' } }])]), { runId: 'paused', task: 'Paris?' }, deps(blobs, 'paused'));
		expect(paused.status).toBe('paused');
		await expect(readRecordedRun(blobs, location('paused'))).resolves.toMatchObject({ record: { status: 'paused' } });

		const key = snapshotKey(location('paused'), 'pause-1');
		await blobs.put(key, await readFile(join(__dirname, '../fixtures/snapshots/v1.json')));
		await expect(readRecordedRun(blobs, location('paused'))).resolves.toMatchObject({ record: { status: 'paused' } });

		await blobs.put(key, await readFile(join(__dirname, '../fixtures/snapshots/future-version.json')));
		await expect(readRecordedRun(blobs, location('paused'))).rejects.toMatchObject({
			code: 'snapshot_unsupported',
			message: expect.stringContaining('The snapshot has schema version 2, but this package reads version 1'),
		});
	});
});
