import type { RunStore } from '../../lib/engine';

/** A RunStore that keeps what the engine wrote, for assertions. */
export type RecordingRunStore = RunStore & { turns: Map<number, unknown[]>; records: Array<Record<string, unknown>> };

export function recordingRunStore(): RecordingRunStore {
	const turns = new Map<number, unknown[]>();
	const records: Array<Record<string, unknown>> = [];
	return {
		transcriptLocation: 'memory://transcript/',
		turns,
		records,
		async appendTurn(turn, entries) {
			turns.set(turn, [...entries]);
		},
		async writeRunRecord(record) {
			records.push(record as Record<string, unknown>);
		},
	};
}
