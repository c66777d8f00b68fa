import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { childExecArgv, childScript } from '../support/child-script';
import { packageRoot } from '../support/machine';
import type { BenchOptions, SectionReport } from '../support/report';
import { fixed, megabytes, median, verdict } from '../support/statistics';
import type { LoadProbeRequest, LoadProbeResult } from './load-probe';

const runFile = promisify(execFile);

/** Targets from issue 6, for our files alone. */
const maxMilliseconds = 30;
const maxHeapBytes = 5_000_000;
const sdks = ['@anthropic-ai/sdk', 'ai', '@ai-sdk/openai', '@aws-sdk/client-s3'];

type Variant = { name: string; eagerModules: string[] };
const variants: Variant[] = [
	{ name: 'our node and credential files (what n8n loads)', eagerModules: [] },
	{ name: 'the same, plus the four SDKs required eagerly', eagerModules: sdks },
];

/**
 * Load cost in n8n: each sample is a fresh `node --expose-gc` process that pre-loads n8n-workflow,
 * then times `require` (and `new`) of every file in package.json's n8n block, with and without
 * the SDKs. Variants alternate; medians over the samples.
 */
export async function benchLoadCost(options: BenchOptions): Promise<SectionReport> {
	const root = packageRoot();
	const n8nBlock = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } }).n8n;
	const files = [...n8nBlock.nodes, ...n8nBlock.credentials];
	const missing = files.filter((file) => !existsSync(join(root, file)));
	if (missing.length > 0) throw new Error(`Built files are missing (${missing.join(', ')}): run \`npm run build\` first.`);

	const samples = options.smoke ? 1 : 15;
	const results = new Map<string, LoadProbeResult[]>(variants.map((variant) => [variant.name, []]));
	for (let sample = 0; sample < samples; sample++) {
		for (const variant of variants) {
			results.get(variant.name)?.push(await probe({ packageRoot: root, files, eagerModules: variant.eagerModules, watchedModules: sdks }));
		}
	}

	const instrumented = await probe({ packageRoot: root, files, eagerModules: [], watchedModules: sdks, selfTimes: true });
	const numbers: Record<string, number> = {};
	const rows = variants.map((variant, index) => {
		const probes = results.get(variant.name) ?? [];
		const milliseconds = median(probes.map((result) => result.milliseconds));
		const heapBytes = median(probes.map((result) => result.heapDeltaBytes));
		const key = index === 0 ? 'ours' : 'oursWithSdks';
		numbers[`${key}Milliseconds`] = milliseconds;
		numbers[`${key}HeapBytes`] = heapBytes;
		const targets = index === 0 ? [verdict(milliseconds < maxMilliseconds), verdict(heapBytes < maxHeapBytes)] : ['—', '—'];
		return [variant.name, fixed(milliseconds, 1), megabytes(heapBytes), ...targets];
	});
	const ours = results.get(variants[0].name) ?? [];
	const sdksAtStartUp = [...new Set(ours.flatMap((result) => result.watchedLoaded))];
	const packagesLoaded = Object.entries(ours[0]?.loadedPackages ?? {})
		.map(([name, count]) => `${name} (${count})`)
		.join(', ');
	return {
		title: '2. Load cost in n8n',
		method:
			`${samples} fresh \`node --expose-gc\` processes per variant, alternating. Each first requires n8n-workflow (n8n has it loaded already, so it is not counted), ` +
			'then times require + new of every file in package.json\'s n8n block; heap is heapUsed after a full GC, minus the same before.',
		tables: [
			{
				headers: ['What is loaded', 'Time ms (median)', 'Heap delta (median)', `Time < ${maxMilliseconds} ms`, `Heap < ${megabytes(maxHeapBytes)}`],
				rows,
			},
		],
		notes: [
			`SDKs loaded at start-up by our files: ${sdksAtStartUp.length === 0 ? 'none (they load when a run first needs them)' : sdksAtStartUp.join(', ')}.`,
			`Modules our files load, by package (files): ${packagesLoaded || 'none'}.`,
			`Slowest modules to evaluate, own time without the modules they require (one extra process with the loader instrumented): ${(instrumented.slowestModules ?? [])
				.map((entry) => `${entry.module} ${fixed(entry.milliseconds, 2)} ms`)
				.join(', ')}.`,
		],
		numbers,
	};
}

async function probe(request: LoadProbeRequest): Promise<LoadProbeResult> {
	const script = childScript(__dirname, 'load-probe');
	const { stdout } = await runFile(process.execPath, [...childExecArgv, '--expose-gc', script, JSON.stringify(request)], { cwd: request.packageRoot });
	return JSON.parse(stdout) as LoadProbeResult;
}
