import { readSnapshot, sha256, type Snapshot } from '../engine/pause/snapshot';
import { snapshotKey } from '../storage/keys';
import { runLocationOf } from './decision-records';
import type { PauseReference } from './pause-contract';
import { refusal, type Refusal } from './refusal';
import type { ResumeStorage } from './resume-storage';

/**
 * The snapshot a pause reference points at. A decision is only worth recording, and a run only
 * continues, if the run can be loaded exactly as it paused: the snapshot must be where the reference
 * says and hash to what the reference (and its signed token) says.
 */
export type PauseSnapshotRead = { ok: true; snapshot: Snapshot } | { ok: false; refusal: Refusal };

export async function readPauseSnapshot({ store, prefix }: ResumeStorage, reference: PauseReference): Promise<PauseSnapshotRead> {
	const key = snapshotKey(runLocationOf(prefix, reference), reference.pauseId);
	const where = `run ${reference.runId}, ${store.location}/${key}`;
	if (reference.snapshotKey !== key) {
		return { ok: false, refusal: refusal('snapshot_mismatch', `The pause reference points at an unexpected snapshot key (${reference.snapshotKey}, expected ${key}): use the reference exactly as the Needs Approval output gave it.`) };
	}
	const body = await store.get(key);
	if (body === undefined) {
		return { ok: false, refusal: refusal('snapshot_gone', `The paused run's snapshot is gone (${where}): it was deleted, or this node uses other storage than the node that paused, so this run can no longer be continued here.`) };
	}
	if (sha256(body) !== reference.snapshotHash) {
		return { ok: false, refusal: refusal('snapshot_mismatch', `The paused run's snapshot was corrupted or replaced after the run paused (${where}); the decision was not recorded.`) };
	}
	const parsed = readSnapshot(body, reference.snapshotHash);
	if (!parsed.ok) return { ok: false, refusal: refusal('snapshot_mismatch', `The paused run's snapshot cannot be used (${where}): ${parsed.message}`) };
	return { ok: true, snapshot: parsed.snapshot };
}

/** The first problem with the snapshots of these pauses, if any. */
export async function checkSnapshots(storage: ResumeStorage, references: readonly PauseReference[]): Promise<Refusal | undefined> {
	for (const reference of references) {
		const read = await readPauseSnapshot(storage, reference);
		if (!read.ok) return read.refusal;
	}
	return undefined;
}
