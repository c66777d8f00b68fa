import { runFolder } from '../storage/keys';
import { runLocationOf } from './decision-records';
import type { PauseReference } from './pause-contract';
import type { ResumeStorage } from './resume-storage';

/**
 * How often the run has paused, this pause included: every pause writes one snapshot, which is
 * never deleted while the run lives. A second pause of a run is what a workflow notifies again for.
 */
export async function countRunPauses({ store, prefix }: ResumeStorage, reference: PauseReference): Promise<number> {
	const snapshots = await store.list(`${runFolder(runLocationOf(prefix, reference))}snapshots/`);
	return Math.max(1, snapshots.length);
}
