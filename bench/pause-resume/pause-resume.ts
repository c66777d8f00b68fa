import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLocalDiskStore, createS3Store, type BlobStore } from '../../lib/storage';
import { startLocalS3 } from '../../test/support/s3-test-servers';
import { collectGarbage, gcAvailable } from '../support/measure';
import type { BenchOptions, SectionReport } from '../support/report';
import { startInstantServer } from '../support/server-process';
import { fixed, median, times } from '../support/statistics';
import { pauseAndResume, type PauseResumeSample } from './paused-run';

type OpenedStore = { store: BlobStore; close(): Promise<void> };
type StoreCase = { key: 'localDisk' | 's3'; name: string; open(folder: string): Promise<OpenedStore> };

const storeCases: StoreCase[] = [
	{ key: 'localDisk', name: 'Local disk', open: async (folder) => ({ store: createLocalDiskStore(folder), close: async () => undefined }) },
	{
		key: 's3',
		name: 'S3 protocol (s3rver, AWS SDK)',
		open: async (folder) => {
			const s3 = await startLocalS3(folder, ['bench']);
			const store = createS3Store({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'bench', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
			return { store, close: () => s3.close() };
		},
	},
];

type Row = { label: string; field: keyof PauseResumeSample; digits: number };

const rows: Row[] = [
	{ label: 'Snapshot size (bytes)', field: 'snapshotBytes', digits: 0 },
	{ label: 'Time to pause (ms): the pausing turn\'s model response → paused outcome', field: 'pauseMs', digits: 2 },
	{ label: '… of which the snapshot write (ms)', field: 'snapshotWriteMs', digits: 2 },
	{ label: 'For scale, an ordinary turn (ms): model response → next model call', field: 'ordinaryTurnMs', digits: 2 },
	{ label: 'Snapshot fetch and check (ms): get, SHA-256, schema', field: 'readMs', digits: 2 },
	{ label: 'Time to resume (ms): fetch → the resumed run\'s first model call', field: 'resumeToModelCallMs', digits: 2 },
	{ label: 'Time to resume until done (ms): the same plus one model call and the final turn', field: 'resumeToDoneMs', digits: 2 },
];

/**
 * Pause and resume: runs that pause at turn `pausingTurn` on a gated call, then resume with an
 * approval, on local disk and on the S3-protocol server, interleaved so both see the same machine.
 * Medians per store; the first round of each store warms up and is not counted.
 */
export async function benchPauseResume(options: BenchOptions): Promise<SectionReport> {
	const pausingTurn = options.smoke ? 3 : 50;
	const repetitions = options.smoke ? 1 : 9;
	const warmUpRounds = 1;
	const server = await startInstantServer({ toolTurns: pausingTurn, latencyMs: 0 });
	const folder = await mkdtemp(join(tmpdir(), 'durable-agent-bench-pause-'));
	const opened: OpenedStore[] = [];
	const samples = new Map<StoreCase['key'], PauseResumeSample[]>(storeCases.map((storeCase) => [storeCase.key, []]));
	try {
		for (const [index, storeCase] of storeCases.entries()) opened.push(await storeCase.open(join(folder, `store-${index}`)));
		for (let round = 0; round < warmUpRounds + repetitions; round++) {
			for (let offset = 0; offset < storeCases.length; offset++) {
				const index = (round + offset) % storeCases.length;
				collectGarbage();
				const sample = await pauseAndResume(server.baseUrl, opened[index].store, pausingTurn);
				if (round >= warmUpRounds) samples.get(storeCases[index].key)!.push(sample);
			}
		}
	} finally {
		for (const store of opened) await store.close();
		await server.close();
		await rm(folder, { recursive: true, force: true });
	}

	const medianOf = (key: StoreCase['key'], field: keyof PauseResumeSample) => median(samples.get(key)!.map((sample) => sample[field]));
	const numbers: Record<string, number> = {};
	for (const storeCase of storeCases) {
		for (const row of rows) numbers[`${storeCase.key}${row.field[0].toUpperCase()}${row.field.slice(1)}`] = medianOf(storeCase.key, row.field);
	}
	const tableRows = rows.map((row) => {
		const [local, s3] = storeCases.map((storeCase) => medianOf(storeCase.key, row.field));
		return [row.label, fixed(local, row.digits), fixed(s3, row.digits), row.field === 'snapshotBytes' ? '—' : times(s3 / local)];
	});
	const pauseRatios = storeCases.map((storeCase) => `${storeCase.name} ${times(medianOf(storeCase.key, 'pauseMs') / medianOf(storeCase.key, 'ordinaryTurnMs'))}`);
	const snapshotBytes = medianOf('localDisk', 'snapshotBytes');

	return {
		title: '5. Pause and resume',
		method:
			`A run of ${pausingTurn} turns against the instant Chat Completions server: turns 1–${pausingTurn - 1} call a free lookup tool; at turn ${pausingTurn} ` +
			'the same tool is gated (a `when` approval policy on that step\'s arguments) and the run pauses. It is then resumed with an approval as the node ' +
			'continues a run: get the snapshot by its key, readSnapshot against the pause\'s hash, resumeAgent with a fresh run store on the same storage; ' +
			`the approved call runs and the model answers at turn ${pausingTurn + 1}. Medians of ${repetitions} runs per store after a warm-up round, stores interleaved` +
			`${gcAvailable() ? ', a full GC before every run' : ''}.`,
		tables: [{ headers: ['Measure', storeCases[0].name, storeCases[1].name, 'S3 ÷ local disk'], rows: tableRows }],
		notes: [
			`Time to pause ÷ an ordinary turn: ${pauseRatios.join(', ')}. Pausing writes the snapshot (once, "only if absent"), the turn's transcript object and the run record; an ordinary turn runs the tool and writes two journal objects and its transcript object. On local disk the snapshot (write-once) and each tool call's journal intent are also flushed to the disk (fdatasync, then an fsync of its folder) so that they survive a power loss; the other objects are not.`,
			`The snapshot holds the whole conversation (messages with every tool result as the model saw it), so it grows with the run: here about ${fixed(snapshotBytes / pausingTurn, 0)} bytes per turn with the scenario's small lookup results.`,
			'Time to pause starts when the adapter has the pausing turn\'s whole response and ends with the paused outcome; the approval gate is checked inside it. Time to resume starts at the snapshot fetch.',
			'Not included: what the node adds around the engine (the approval token check, the one-time decision record and continuation claim: two small conditional writes), n8n\'s own wait and webhook handling, and a cold process (the resume runs in the same process, with module code and the storage client already warm). s3rver runs in this process and keeps objects on local disk; a remote S3 or R2 adds its round trips to every write and read.',
		],
		numbers,
	};
}
