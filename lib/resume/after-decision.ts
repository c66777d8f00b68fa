import { runStatusAt } from '../engine';
import { createRunStore } from '../storage';
import { runLocationOf } from './decision-records';
import type { ResumeStorage } from './resume-storage';
import { isResumeClaimed, readWaitRecord, type WaitLocation, type WaitRecord } from './wait-record';

/**
 * What became of an execution after the decision that resumed it, as far as this Resume node can
 * tell from storage: it waits again here (`paused-again`, with the new wait), every run it continued
 * has ended (`ended`), or neither happened within the time watched (`still-running`).
 */
export type AfterDecision =
	| { status: 'paused-again'; wait: WaitRecord }
	| { status: 'ended'; runs: Array<{ runId: string; status: 'done' | 'failed' }> }
	| { status: 'still-running' };

/** How long to watch and how often to look; `sleep` is injected so tests need not wait. */
export type WatchOptions = { timeoutMs: number; intervalMs: number; now(): Date; sleep(milliseconds: number): Promise<void> };

/**
 * Watches storage after a decision resumed `decided`, for at most `timeoutMs`. n8n answers the
 * resuming request before the continued run can pause again, and the waiting URL is the same for
 * every wait of an execution, so the next pause can only be told apart by its wait record: a new
 * `waitId` at this node that nobody has resumed yet.
 */
export async function watchAfterDecision(storage: ResumeStorage, location: WaitLocation, decided: WaitRecord, options: WatchOptions): Promise<AfterDecision> {
	const deadline = options.now().getTime() + options.timeoutMs;
	for (;;) {
		const wait = await readWaitRecord(storage, location);
		if (wait !== undefined && wait.waitId !== decided.waitId && !(await isResumeClaimed(storage, location, wait.waitId))) return { status: 'paused-again', wait };
		const ended = await endedRuns(storage, decided, options.now().getTime());
		if (ended !== undefined) return { status: 'ended', runs: ended };
		if (options.now().getTime() + options.intervalMs > deadline) return { status: 'still-running' };
		await options.sleep(options.intervalMs);
	}
}

/** Each continued run's end, or undefined while any of them has not ended. */
async function endedRuns(storage: ResumeStorage, decided: WaitRecord, nowMs: number): Promise<Array<{ runId: string; status: 'done' | 'failed' }> | undefined> {
	const runs = await Promise.all(
		decided.items.map(async ({ reference }) => {
			const record = await createRunStore(storage.store, runLocationOf(storage.prefix, reference)).readRunRecord();
			const status = record === undefined ? undefined : runStatusAt(record, nowMs);
			return status === 'done' || status === 'failed' ? { runId: reference.runId, status } : undefined;
		}),
	);
	return runs.every((run) => run !== undefined) ? runs : undefined;
}
