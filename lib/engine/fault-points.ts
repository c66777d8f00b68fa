import type { RunStore } from './run-store';

/**
 * The step boundaries where a process can die with consequences for a run, named so tests can end a
 * run exactly there (README: "When a worker crashes"):
 * - `after-decision-recorded`: a decision is stored, the pause not yet claimed;
 * - `before-tool-intent`: the pause is claimed (or the run is under way), a tool call not yet journaled;
 * - `after-tool-intent`: the call's intent is journaled, the tool has not run;
 * - `before-tool-result`: the tool ran, its result is not journaled yet;
 * - `during-snapshot-write`: the pause's snapshot is being written, the run record still says running.
 */
export type FaultPoint = 'after-decision-recorded' | 'before-tool-intent' | 'after-tool-intent' | 'before-tool-result' | 'during-snapshot-write';

/**
 * Told when a run reaches a step boundary. Production passes none (nothing happens); a test's port
 * may throw, or never return, to stand for a process that died there.
 */
export type FaultPort = { reached(point: FaultPoint, detail: { toolCallId?: string; pauseId?: string }): Promise<void> };

/** The run store with the fault points of its writes reported to `faults`; the store itself when there is no port. */
export function withFaultPoints(store: RunStore, faults: FaultPort | undefined): RunStore {
	if (faults === undefined) return store;
	const { journal } = store;
	return {
		...store,
		async writeSnapshot(pauseId, body) {
			const written = store.writeSnapshot(pauseId, body);
			await Promise.all([written, faults.reached('during-snapshot-write', { pauseId })]);
			return await written;
		},
		journal: {
			...journal,
			async recordIntent(toolCallId, intent) {
				await faults.reached('before-tool-intent', { toolCallId });
				await journal.recordIntent(toolCallId, intent);
				await faults.reached('after-tool-intent', { toolCallId });
			},
			async recordResult(toolCallId, result) {
				await faults.reached('before-tool-result', { toolCallId });
				await journal.recordResult(toolCallId, result);
			},
		},
	};
}
