import { sha256 } from '../../lib/engine/pause/snapshot';
import {
	decisionKey,
	resumeClaimKey,
	snapshotKey,
	StorageError,
	waitRecordKey,
	type BlobStore,
	type NodeLocation,
	type RunLocation,
} from '../../lib/storage';
import type { DecisionPayload, PauseReference, WaitRecord } from '../shared/pause-contract';
import { decisionPayloadSchema, waitRecordSchema } from './contract-schemas';
import type { WebhookFailure } from './responses';

/**
 * What the Resume node keeps in storage, and the records of the agent runs it waits for. Storage is
 * the only state shared by the process that starts the wait, the one that serves the webhook and the
 * worker that continues the run.
 */

/** Where the paused run lives, from its reference: the agent's node, not this one. */
export function runLocationOf(prefix: string, reference: PauseReference): RunLocation {
	return { prefix, workflowId: reference.workflowId, executionId: reference.executionId, nodeId: reference.nodeId, runId: reference.runId };
}

export async function writeWaitRecord(store: BlobStore, location: NodeLocation, record: WaitRecord): Promise<void> {
	await store.put(waitRecordKey(location), JSON.stringify(record), { contentType: 'application/json' });
}

export async function readWaitRecord(store: BlobStore, location: NodeLocation): Promise<WaitRecord | undefined> {
	const key = waitRecordKey(location);
	const body = await store.get(key);
	return body === undefined ? undefined : parseStored(body, key, (value) => waitRecordSchema.safeParse(value));
}

/** The decision recorded for each paused item of the wait, in wait order; `undefined` = not decided yet. */
export async function readDecisionRecords(store: BlobStore, prefix: string, wait: WaitRecord): Promise<Array<DecisionPayload | undefined>> {
	return await Promise.all(wait.items.map(async ({ reference }) => await readDecisionRecord(store, prefix, reference)));
}

export async function readDecisionRecord(store: BlobStore, prefix: string, reference: PauseReference): Promise<DecisionPayload | undefined> {
	const key = decisionKey(runLocationOf(prefix, reference), reference.pauseId);
	const body = await store.get(key);
	return body === undefined ? undefined : parseStored(body, key, (value) => decisionPayloadSchema.safeParse(value));
}

/** Records an item's decisions once; `false` when another request (or the time limit) recorded one first. */
export async function writeDecisionRecord(store: BlobStore, prefix: string, payload: DecisionPayload): Promise<boolean> {
	const key = decisionKey(runLocationOf(prefix, payload.reference), payload.reference.pauseId);
	const result = await store.put(key, JSON.stringify(payload), { ifAbsent: true, contentType: 'application/json' });
	return result.written;
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

function parseStored<Value>(body: Buffer, key: string, parse: (value: unknown) => { success: true; data: Value } | { success: false }): Value {
	const json = parseJson(body.toString('utf8'));
	if (!json.ok) throw new StorageError(`Stored object ${key} is not valid JSON (${json.message}); it was changed outside n8n.`);
	const parsed = parse(json.value);
	if (!parsed.success) throw new StorageError(`Stored object ${key} does not have the expected shape; it was changed outside n8n or by another package version.`);
	return parsed.data;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}
