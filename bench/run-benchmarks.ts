import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from './support/machine';
import { runBenchmarkSuite } from './suite';

/**
 * `npm run bench`: runs the suite and rewrites BENCHMARKS.md. `--smoke` (or BENCH_SMOKE=1) runs it
 * with tiny sizes and prints the report instead of writing it.
 */
async function main(): Promise<void> {
	const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
	const { markdown } = await runBenchmarkSuite({ smoke }, (line) => process.stderr.write(`${line}\n`));
	if (smoke) {
		process.stdout.write(markdown);
		return;
	}
	const target = join(packageRoot(), 'BENCHMARKS.md');
	writeFileSync(target, markdown);
	process.stderr.write(`Wrote ${target}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
