import { performance } from 'node:perf_hooks';

/** Wall-clock and CPU time (user + system, this process only) of one call, in milliseconds. */
export type Timing = { wallMs: number; cpuMs: number };

export async function measure<Result>(task: () => Promise<Result>): Promise<{ result: Result; timing: Timing }> {
	collectGarbage();
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await task();
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	return { result, timing: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

/**
 * Runs a full garbage collection when the process was started with `--expose-gc` (`npm run bench`
 * is), so one contender's garbage is not collected on another's clock. Without the flag it does
 * nothing; `gcAvailable` tells the report which way it ran.
 */
export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

export const gcAvailable = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';
