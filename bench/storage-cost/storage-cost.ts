import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLocalDiskStore, createS3Store, type BlobStore } from '../../lib/storage';
import { startLocalS3 } from '../../test/support/s3-test-servers';
import { runEngineLoop } from '../loop-overhead/engine-loop';
import { countingBlobStore, type WriteRecord } from '../support/counting-blob-store';
import type { BenchOptions, SectionReport, Table } from '../support/report';
import { startInstantServer } from '../support/server-process';
import { fixed, mean, times, verdict } from '../support/statistics';

/** Last-window bytes per turn may exceed the first window's by this much and still count as constant. */
const constantTolerance = 1.1;

type StoreCase = { name: string; open(folder: string): Promise<{ store: BlobStore; close(): Promise<void> }> };

const storeCases: StoreCase[] = [
	{ name: 'local disk', open: async (folder) => ({ store: createLocalDiskStore(folder), close: async () => undefined }) },
	{
		name: 'S3 protocol (s3rver, AWS SDK)',
		open: async (folder) => {
			const s3 = await startLocalS3(folder, ['bench']);
			const store = createS3Store({
				endpoint: s3.endpoint,
				region: 'us-east-1',
				bucket: 'bench',
				accessKeyId: 'S3RVER',
				secretAccessKey: 'S3RVER',
				forcePathStyle: true,
			});
			return { store, close: () => s3.close() };
		},
	},
];

type WindowStats = { objects: number; bytes: number; milliseconds: number; objectsByKind: Map<string, number> };

/**
 * Storage cost per turn: one long tool-calling run per store, with every write counted and
 * attributed to the turn in progress. The first and last windows of tool-calling turns are
 * compared; the final answer turn and the run record written before turn 1 are left out of both.
 */
export async function benchStorageCost(options: BenchOptions): Promise<SectionReport> {
	const toolTurns = options.smoke ? 4 : 100;
	const window = options.smoke ? 2 : 10;
	const server = await startInstantServer({ toolTurns, latencyMs: 0 });
	const folder = await mkdtemp(join(tmpdir(), 'durable-agent-bench-storage-'));
	const rows: string[][] = [];
	const kindRows: string[][] = [];
	const numbers: Record<string, number> = {};
	try {
		for (const [index, storeCase] of storeCases.entries()) {
			const opened = await storeCase.open(join(folder, `store-${index}`));
			let writes: WriteRecord[];
			try {
				writes = await countedRun(server.baseUrl, opened.store, toolTurns);
			} finally {
				await opened.close();
			}
			const first = windowStats(writes, 1, window);
			const last = windowStats(writes, toolTurns - window + 1, toolTurns);
			const transcriptBytes = writes.filter((write) => write.kind === 'transcript').reduce((sum, write) => sum + write.bytes, 0);
			const bytesRatio = last.bytes / first.bytes;
			rows.push([
				storeCase.name,
				`${fixed(first.objects, 1)} / ${fixed(last.objects, 1)}`,
				`${fixed(first.bytes, 0)} / ${fixed(last.bytes, 0)}`,
				times(bytesRatio),
				`${fixed(first.milliseconds, 2)} / ${fixed(last.milliseconds, 2)}`,
				fixed(transcriptBytes, 0),
				verdict(last.objects === first.objects && bytesRatio <= constantTolerance),
			]);
			for (const kind of new Set([...first.objectsByKind.keys(), ...last.objectsByKind.keys()])) {
				kindRows.push([storeCase.name, kind, fixed(first.objectsByKind.get(kind) ?? 0, 1), fixed(last.objectsByKind.get(kind) ?? 0, 1)]);
			}
			const key = index === 0 ? 'localDisk' : 's3';
			numbers[`${key}FirstObjectsPerTurn`] = first.objects;
			numbers[`${key}LastObjectsPerTurn`] = last.objects;
			numbers[`${key}FirstBytesPerTurn`] = first.bytes;
			numbers[`${key}LastBytesPerTurn`] = last.bytes;
		}
	} finally {
		await server.close();
		await rm(folder, { recursive: true, force: true });
	}
	const mainTable: Table = {
		headers: [
			'Store',
			`Objects/turn, turns 1–${window} / ${toolTurns - window + 1}–${toolTurns}`,
			'Bytes/turn, first / last',
			'Bytes last ÷ first',
			'Write ms/turn, first / last',
			`Whole transcript after ${toolTurns + 1} turns (bytes)`,
			`Constant per turn (objects equal, bytes ≤ ${constantTolerance}×)`,
		],
		rows,
	};
	return {
		title: '3. Storage cost per turn',
		method:
			`One run of ${toolTurns} tool-calling turns plus a final answer, per store. A wrapper around the BlobStore counts every put ` +
			`and its bytes and gives it to the turn in progress; the means over turns 1–${window} and ${toolTurns - window + 1}–${toolTurns} are compared.`,
		tables: [mainTable, { headers: ['Store', 'Object kind', `Objects/turn, turns 1–${window}`, `Objects/turn, last ${window}`], rows: kindRows }],
		notes: [
			'Turn 1 also stores the task message, so its object is a little larger than later ones. A design that rewrote the growing transcript every turn would write about the "whole transcript" bytes on every late turn.',
			'Write times are informative only (local disk writes each object to a temporary file and renames it into place, flushing to the disk only write-once objects and tool-call intents; s3rver runs in this process).',
		],
		numbers,
	};
}

/** One engine run of `toolTurns` tool calls and an answer on `store`, every write recorded with its turn. */
async function countedRun(baseUrl: string, store: BlobStore, toolTurns: number): Promise<WriteRecord[]> {
	let turn = 0;
	const counting = countingBlobStore(store, () => turn);
	const result = await runEngineLoop(baseUrl, toolTurns + 1, { blobStore: counting.store, onModelCall: () => turn++ });
	if (result.toolCalls !== toolTurns) throw new Error(`The storage run made ${result.toolCalls} tool calls instead of ${toolTurns}.`);
	return counting.writes;
}

function windowStats(writes: readonly WriteRecord[], fromTurn: number, toTurn: number): WindowStats {
	const turns = Array.from({ length: toTurn - fromTurn + 1 }, (_, offset) => fromTurn + offset);
	const inTurn = (turn: number) => writes.filter((write) => write.turn === turn);
	const objectsByKind = new Map<string, number>();
	for (const write of writes.filter((candidate) => candidate.turn >= fromTurn && candidate.turn <= toTurn)) {
		objectsByKind.set(write.kind, (objectsByKind.get(write.kind) ?? 0) + 1 / turns.length);
	}
	return {
		objects: mean(turns.map((turn) => inTurn(turn).length)),
		bytes: mean(turns.map((turn) => inTurn(turn).reduce((sum, write) => sum + write.bytes, 0))),
		milliseconds: mean(turns.map((turn) => inTurn(turn).reduce((sum, write) => sum + write.milliseconds, 0))),
		objectsByKind,
	};
}
