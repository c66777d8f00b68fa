import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from './support/machine';
import { runBenchmarkSuite } from './suite';

/**
 * `npm run bench`: runs the suite and rewrites BENCHMARKS.md. `--smoke` (or BENCH_SMOKE=1) runs it
 * with tiny sizes and prints the report instead of writing it. `--only <section>` (a section's
 * number, e.g. `--only 4`; repeatable) runs just those sections and prints them: a partial report
 * never replaces BENCHMARKS.md.
 */
async function main(): Promise<void> {
	const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
	const only = onlySections(process.argv.slice(2));
	const { markdown } = await runBenchmarkSuite({ smoke, only }, (line) => process.stderr.write(`${line}\n`));
	if (smoke || only !== undefined) {
		process.stdout.write(markdown);
		return;
	}
	const target = join(packageRoot(), 'BENCHMARKS.md');
	writeFileSync(target, markdown);
	process.stderr.write(`Wrote ${target}\n`);
}

/** The section numbers after each `--only`, or undefined for the whole suite. */
function onlySections(argv: readonly string[]): number[] | undefined {
	const sections: number[] = [];
	argv.forEach((argument, index) => {
		if (argument !== '--only') return;
		const section = Number(argv[index + 1]);
		if (!Number.isInteger(section) || section < 1) throw new Error(`--only needs a section number (1, 2, …), got ${JSON.stringify(argv[index + 1])}.`);
		sections.push(section);
	});
	return sections.length > 0 ? sections : undefined;
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
