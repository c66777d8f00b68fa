/** A Markdown table: one header row, then rows of already formatted cells. */
export type Table = { headers: string[]; rows: string[][] };

/** What one benchmark hands back: its part of BENCHMARKS.md and every number it measured. */
export type SectionReport = {
	title: string;
	/** What was measured and how, in a sentence or two. */
	method: string;
	tables: Table[];
	notes: string[];
	/** Every measured number by name; the smoke test checks that each one is finite. */
	numbers: Record<string, number>;
};

/**
 * How big a benchmark run is: `smoke` shrinks every size so the whole suite runs in seconds;
 * `only` (section numbers from 1) runs just those sections, all of them when left out.
 */
export type BenchOptions = { smoke: boolean; only?: readonly number[] };
