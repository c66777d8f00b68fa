import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { mapWithConcurrency } from '../../lib/engine';
import { createLocalDiskStore, type BlobStore } from '../../lib/storage';
import { runBareFetchLoop } from '../loop-overhead/bare-fetch-loop';
import { runEngineLoop } from '../loop-overhead/engine-loop';
import type { LoopRunResult } from '../loop-overhead/scenario';
import { collectGarbage, gcAvailable, measure } from '../support/measure';
import type { BenchOptions, SectionReport, Table } from '../support/report';
import { startInstantServer } from '../support/server-process';
import { fixed, megabytes, median, times, verdict } from '../support/statistics';
import { runItemsThroughNode } from './node-items';

/** Target from issue 6: wall time within 15% of the ideal. */
const maxRatioToIdeal = 1.15;
/** Heap growth per finished item still counted as "not growing": about one kept output item. */
const maxHeapGrowthPerItemBytes = 2_048;

type Sizes = { items: number; concurrency: number; turns: number; latencyMs: number; repetitions: number };

/** A store that keeps nothing: the engine and the concurrency limit alone, without storage cost. */
const discardingStore: BlobStore = {
	location: 'discard://',
	get: async () => undefined,
	put: async () => ({ written: true }),
	list: async () => [],
	delete: async () => undefined,
};

type Contender = {
	key: string;
	label: string;
	/** Whether the target applies; the bare loop only shows what this machine allows. */
	targeted: boolean;
	run(context: { baseUrl: string; sizes: Sizes; folder: string }): Promise<void>;
};

const contenders: Contender[] = [
	{
		key: 'engineLocalDisk',
		label: 'engine, local disk store (the node\'s default)',
		targeted: true,
		run: async ({ baseUrl, sizes, folder }) => {
			await engineItems(baseUrl, sizes, createLocalDiskStore(folder));
		},
	},
	{
		key: 'engineDiscarding',
		label: 'engine, store that discards writes (engine alone)',
		targeted: true,
		run: async ({ baseUrl, sizes }) => {
			await engineItems(baseUrl, sizes, discardingStore);
		},
	},
	{
		key: 'node',
		label: 'Durable AI Agent node in n8n-core\'s WorkflowExecute, local disk',
		targeted: true,
		run: ({ baseUrl, sizes, folder }) => runItemsThroughNode({ ...sizes, baseUrl, localFolder: folder }),
	},
	{
		key: 'bare',
		label: 'bare fetch loop (SSE), no storage: the floor on this machine',
		targeted: false,
		run: async ({ baseUrl, sizes }) => {
			await mapWithConcurrency(Array.from({ length: sizes.items }), sizes.concurrency, () => runBareFetchLoop(baseUrl, sizes.turns, true));
		},
	},
];

async function engineItems(baseUrl: string, sizes: Sizes, store: BlobStore, onItemDone: (finished: number) => void = () => undefined): Promise<LoopRunResult[]> {
	let finished = 0;
	return await mapWithConcurrency(Array.from({ length: sizes.items }), sizes.concurrency, async () => {
		const result = await runEngineLoop(baseUrl, sizes.turns, { blobStore: store });
		if (result.modelCalls !== sizes.turns) throw new Error(`An item made ${result.modelCalls} model calls instead of ${sizes.turns}.`);
		onItemDone(++finished);
		return result;
	});
}

/**
 * Many items: `items` runs, at most `concurrency` at a time, against a server that takes
 * `latencyMs` per call. Wall time is compared with the ideal, items × turns × latency ÷ concurrency.
 * A separate run samples the heap (after a full GC) as items finish.
 */
export async function benchThroughput(options: BenchOptions): Promise<SectionReport> {
	const sizes: Sizes = options.smoke
		? { items: 8, concurrency: 4, turns: 2, latencyMs: 5, repetitions: 1 }
		: { items: 200, concurrency: 20, turns: 2, latencyMs: 50, repetitions: 5 };
	const idealMs = (sizes.items * sizes.turns * sizes.latencyMs) / sizes.concurrency;
	const server = await startInstantServer({ toolTurns: sizes.turns - 1, latencyMs: sizes.latencyMs });
	const folder = await mkdtemp(join(tmpdir(), 'durable-agent-bench-throughput-'));
	try {
		const context = (name: string) => ({ baseUrl: server.baseUrl, sizes, folder: join(folder, name) });
		for (const contender of contenders) await contender.run(context(`warm-up-${contender.key}`));
		const wallTimes = new Map<string, number[]>(contenders.map((contender) => [contender.key, []]));
		for (let repetition = 0; repetition < sizes.repetitions; repetition++) {
			for (const contender of contenders) {
				const { timing } = await measure(() => contender.run(context(`${contender.key}-${repetition}`)));
				wallTimes.get(contender.key)?.push(timing.wallMs);
			}
		}
		const heapStore = countingPuts(createLocalDiskStore(join(folder, 'heap')));
		const heap = await sampleHeap(sizes, (onItemDone) => engineItems(server.baseUrl, sizes, heapStore.store, onItemDone));
		return report(sizes, idealMs, wallTimes, heap, { puts: heapStore.puts / sizes.items, flushedPuts: heapStore.flushedPuts / sizes.items });
	} finally {
		await server.close();
		await rm(folder, { recursive: true, force: true });
	}
}

/** Puts per item on local disk, counted in the heap run (not in the timed runs, which it would slow). */
type WritesPerItem = { puts: number; flushedPuts: number };

function countingPuts(inner: BlobStore): { store: BlobStore; puts: number; flushedPuts: number } {
	const counted = {
		puts: 0,
		flushedPuts: 0,
		store: {
			...inner,
			put: (key, body, options) => {
				counted.puts++;
				if (options?.ifAbsent === true || options?.durable === true) counted.flushedPuts++;
				return inner.put(key, body, options);
			},
		} satisfies BlobStore,
	};
	return counted;
}

type HeapSample = { finished: number; heapUsedBytes: number };

/** Heap used after a full GC at each quarter of the items; the results stay referenced, as the node keeps them. */
async function sampleHeap(sizes: Sizes, run: (onItemDone: (finished: number) => void) => Promise<LoopRunResult[]>): Promise<HeapSample[]> {
	const checkpoints = new Set([1, 2, 3, 4].map((quarter) => Math.round((sizes.items * quarter) / 4)));
	const samples: HeapSample[] = [];
	await run((finished) => {
		if (!checkpoints.has(finished)) return;
		collectGarbage();
		samples.push({ finished, heapUsedBytes: process.memoryUsage().heapUsed });
	});
	return samples;
}

function report(sizes: Sizes, idealMs: number, wallTimes: Map<string, number[]>, heap: HeapSample[], writes: WritesPerItem): SectionReport {
	const numbers: Record<string, number> = { idealMs, localDiskPutsPerItem: writes.puts, localDiskFlushedPutsPerItem: writes.flushedPuts };
	const wallRows = contenders.map((contender) => {
		const wallMs = median(wallTimes.get(contender.key) ?? []);
		numbers[`${contender.key}WallMs`] = wallMs;
		const ratio = wallMs / idealMs;
		return [contender.label, fixed(wallMs, 0), fixed(idealMs, 0), contender.targeted ? `${times(ratio)} ${verdict(ratio <= maxRatioToIdeal)}` : `${times(ratio)} (reference)`];
	});
	const first = heap[0];
	const last = heap[heap.length - 1];
	const growthPerItem = (last.heapUsedBytes - first.heapUsedBytes) / (last.finished - first.finished);
	heap.forEach((sample) => (numbers[`heapAfter${sample.finished}Items`] = sample.heapUsedBytes));
	numbers.heapGrowthPerItemBytes = growthPerItem;
	const heapTable: Table = {
		headers: ['Finished items', ...heap.map((sample) => String(sample.finished)), 'Growth per finished item', `Target (≤ ${maxHeapGrowthPerItemBytes / 1024} KB/item)`],
		rows: [
			[
				`Heap used${gcAvailable() ? ' after a full GC' : ' (no --expose-gc: no GC before sampling)'}`,
				...heap.map((sample) => megabytes(sample.heapUsedBytes)),
				`${fixed(growthPerItem / 1024, 2)} KB`,
				verdict(growthPerItem <= maxHeapGrowthPerItemBytes),
			],
		],
	};
	return {
		title: '4. Throughput with many items',
		method:
			`${sizes.items} items, ${sizes.turns} model calls each (a tool call, then the answer), at most ${sizes.concurrency} items at a time ` +
			`(mapWithConcurrency, as the node runs items), against a server answering after ${sizes.latencyMs} ms. Median wall time of ${sizes.repetitions} runs per contender, interleaved; ` +
			`ideal = items × turns × latency ÷ concurrency = ${fixed(idealMs, 0)} ms.`,
		tables: [{ headers: ['Contender', 'Wall ms (median)', 'Ideal ms', `Wall ÷ ideal (target ≤ ${maxRatioToIdeal}×)`], rows: wallRows }, heapTable],
		notes: [
			'The ideal counts no CPU at all; the bare loop shows how close this machine gets when the client does the least possible work per call.',
			`On local disk each item writes ${fixed(writes.puts, 1)} objects, each a new temporary file renamed into place, and creates its run's folders on first use; ` +
				`${writes.flushedPuts === 0 ? 'none of them is flushed to the disk' : `${fixed(writes.flushedPuts, 1)} of them (write-once objects and tool-call intents) also flushed to the disk`}. ` +
				'The gap to the store that discards writes is their cost: ' +
				"file-system calls on libuv's thread pool and the kernel's work for each new file and folder, on the same cores as the engine and the server.",
			`Heap is sampled in a separate engine run on the local disk store, as items finish; the ${sizes.items} outcomes stay referenced, as the node keeps its output items. ` +
				`The ${maxHeapGrowthPerItemBytes / 1024} KB/item bound is this suite's reading of "does not grow": about the size of one kept output item.`,
		],
		numbers,
	};
}
