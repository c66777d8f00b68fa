import { runBenchmarkSuite, type SuiteResult } from '../../bench/suite';

// Smoke only: the suite runs end to end with tiny sizes and every measure yields a number. Timings
// are never asserted; `npm run bench` is where they are measured. Load cost needs the built dist/,
// which the test command builds first.
let result: SuiteResult;

beforeAll(async () => {
	result = await runBenchmarkSuite({ smoke: true });
}, 60_000);

describe('the benchmark suite in smoke mode', () => {
	it('runs every measure of issue 6, in order', () => {
		expect(result.sections.map((section) => section.title)).toEqual([
			'1. Loop overhead per turn',
			'2. Load cost in n8n',
			'3. Storage cost per turn',
			'4. Throughput with many items',
			'5. Pause and resume',
			'6. Tokens',
			"7. Inside n8n: Durable AI Agent beside n8n's AI Agent",
		]);
	});

	it('produces a finite number for everything every benchmark measures', () => {
		for (const section of result.sections) {
			const numbers = Object.entries(section.numbers);
			expect(numbers.length).toBeGreaterThan(0);
			for (const [name, value] of numbers) expect({ section: section.title, name, finite: Number.isFinite(value) }).toEqual({ section: section.title, name, finite: true });
		}
	});

	it('renders BENCHMARKS.md with the machine header and a table per measure', () => {
		expect(result.markdown).toMatch(/^# Benchmarks\n/);
		for (const label of ['Date', 'CPU', 'Memory', 'Node', 'Packages']) expect(result.markdown).toContain(`- **${label}:**`);
		expect(result.markdown).toMatch(/- \*\*Packages:\*\* ai \d/);
		for (const section of result.sections) expect(result.markdown).toContain(`## ${section.title}\n`);
		expect(result.markdown.match(/^\| --- \|/gm)?.length).toBeGreaterThanOrEqual(result.sections.length);
	});
});
