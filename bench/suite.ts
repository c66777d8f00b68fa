import { benchInsideN8n } from './inside-n8n/inside-n8n';
import { benchLoadCost } from './load-cost/load-cost';
import { benchLoopOverhead } from './loop-overhead/loop-overhead';
import { benchPauseResume } from './pause-resume/pause-resume';
import { benchStorageCost } from './storage-cost/storage-cost';
import { benchThroughput } from './throughput/throughput';
import { benchTokens } from './tokens/tokens';
import { machineDescription } from './support/machine';
import { benchmarksMarkdown } from './support/markdown';
import type { BenchOptions, SectionReport } from './support/report';

export type SuiteResult = { sections: SectionReport[]; markdown: string };

/** Runs every benchmark in turn (never two at once: they would share the CPU) and renders the report. */
export async function runBenchmarkSuite(options: BenchOptions, log: (line: string) => void = () => undefined): Promise<SuiteResult> {
	const header = machineDescription();
	const benchmarks = [benchLoopOverhead, benchLoadCost, benchStorageCost, benchThroughput, benchPauseResume, benchTokens, benchInsideN8n];
	const unknown = options.only?.find((section) => section > benchmarks.length);
	if (unknown !== undefined) throw new Error(`There is no benchmark section ${unknown}: sections are numbered 1 to ${benchmarks.length}.`);
	const sections: SectionReport[] = [];
	for (const [index, benchmark] of benchmarks.entries()) {
		if (options.only !== undefined && !options.only.includes(index + 1)) continue;
		const started = Date.now();
		const section = await benchmark(options);
		log(`${section.title}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		sections.push(section);
	}
	return { sections, markdown: benchmarksMarkdown(header, sections, options.smoke) };
}
