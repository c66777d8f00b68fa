/**
 * Why a stored run cannot be replayed. Stable strings:
 * - `run_not_found`: nothing is stored for that run (wrong ids, another storage, or deleted);
 * - `run_incomplete`: it is still running, was interrupted, or turns of its transcript are missing;
 * - `run_unreadable`: one of its objects is not what this package wrote;
 * - `snapshot_unsupported`: it paused into a snapshot of a version this package cannot read;
 * - `turn_out_of_range`: the turn to replay from is not one of its turns;
 * - `source_invalid`: the run to replay was not given as a run, a pause reference or a transcript location.
 */
export type ReplayRefusalCode = 'run_not_found' | 'run_incomplete' | 'run_unreadable' | 'snapshot_unsupported' | 'turn_out_of_range' | 'source_invalid';

/** A replay refused before anything ran; the message says what to do. Nothing was written. */
export class ReplayError extends Error {
	constructor(
		readonly code: ReplayRefusalCode,
		message: string,
	) {
		super(message);
		this.name = 'ReplayError';
	}
}
