import { sha256 } from '../../lib/engine/pause/snapshot';
import {
	resumeClaimKey,
	snapshotKey,
	waitRecordKey,
	type BlobStore,
	type NodeLocation,
} from '../../lib/storage';
import type { PauseReference, WaitRecord } from '../shared/pause-contract';
import { waitRecordSchema } from '../shared/contract-schemas';
import { runLocationOf } from '../shared/decision-records';
import { parseStored } from '../shared/stored-json';
import type { WebhookFailure } from './responses';

/**
 * What the Resume node keeps in storage, and the records of the agent runs it waits for. Storage is
 * the only state shared by the process that starts the wait, the one that serves the webhook and the
 * worker that continues the run.
 */

export async function writeWaitRecord(store: BlobStore, location: NodeLocation, record: WaitRecord): Promise<void> {
	await store.put(waitRecordKey(location), JSON.stringify(record), { contentType: 'application/json' });
}

export async function readWaitRecord(store: BlobStore, location: NodeLocation): Promise<WaitRecord | undefined> {
	const key = waitRecordKey(location);
	const body = await store.get(key);
	return body === undefined ? undefined : parseStored(body, key, (value) => waitRecordSchema.safeParse(value));
}

export async function isResumeClaimed(store: BlobStore, location: NodeLocation, waitId: string): Promise<boolean> {
	return (await store.get(resumeClaimKey(location, waitId))) !== undefined;
}

/** Only one request may resume the execution for a wait: the one whose conditional write wins. */
export async function claimResume(store: BlobStore, location: NodeLocation, wait: WaitRecord, now: Date): Promise<boolean> {
	const claim = { waitId: wait.waitId, resumedAt: now.toISOString(), pauseIds: wait.items.map((item) => item.reference.pauseId) };
	const result = await store.put(resumeClaimKey(location, wait.waitId), JSON.stringify(claim), { ifAbsent: true, contentType: 'application/json' });
	return result.written;
}

/**
 * A decision is only worth recording if the run it continues can still be loaded exactly as it
 * paused: the snapshot must exist and hash to what the pause reference (and the signed token) says.
 */
export async function checkSnapshots(store: BlobStore, prefix: string, references: readonly PauseReference[]): Promise<WebhookFailure | undefined> {
	for (const reference of references) {
		const key = snapshotKey(runLocationOf(prefix, reference), reference.pauseId);
		const body = await store.get(key);
		if (body === undefined) {
			return {
				status: 410,
				code: 'snapshot_gone',
				message: `The paused run's snapshot is gone (run ${reference.runId}, ${store.location}/${key}): it was deleted, so this run can no longer be continued.`,
			};
		}
		if (sha256(body) !== reference.snapshotHash) {
			return {
				status: 409,
				code: 'snapshot_mismatch',
				message: `The paused run's snapshot was corrupted or replaced after the run paused (run ${reference.runId}, ${store.location}/${key}); the decision was not recorded.`,
			};
		}
	}
	return undefined;
}
