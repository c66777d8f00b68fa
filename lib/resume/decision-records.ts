import type { BlobStore } from '../storage';
import { decisionKey, type RunLocation } from '../storage/keys';
import { decisionPayloadSchema, type DecisionPayload, type PauseReference } from './pause-contract';
import type { ResumeStorage } from './resume-storage';
import { parseStoredJson } from '../storage/stored-json';
import type { WaitRecord } from './wait-record';

/**
 * The one decision record of a pause, shared by everything that decides: the Resume node's webhook,
 * the On Timeout policy and the agent's Continue mode. Written with "only if absent": the first
 * decision stands.
 */

/** Where the paused run lives, from its reference: the agent's node, not the Resume node. */
export function runLocationOf(prefix: string, reference: PauseReference): RunLocation {
	return { prefix, workflowId: reference.workflowId, executionId: reference.executionId, nodeId: reference.nodeId, runId: reference.runId };
}

/** The decision recorded for each paused item of the wait, in wait order; `undefined` = not decided yet. */
export async function readDecisionRecords(storage: ResumeStorage, wait: WaitRecord): Promise<Array<DecisionPayload | undefined>> {
	return await Promise.all(wait.items.map(async ({ reference }) => await readDecisionRecord(storage, reference)));
}

export async function readDecisionRecord({ store, prefix }: ResumeStorage, reference: PauseReference): Promise<DecisionPayload | undefined> {
	return await readDecisionAt(store, runLocationOf(prefix, reference), reference.pauseId);
}

/** The decision recorded on a pause of the run at `location`, found from storage alone (a sweep for recoverable runs). */
export async function readDecisionAt(store: BlobStore, location: RunLocation, pauseId: string): Promise<DecisionPayload | undefined> {
	const key = decisionKey(location, pauseId);
	const body = await store.get(key);
	return body === undefined ? undefined : parseStoredJson(body.toString('utf8'), key, decisionPayloadSchema, 'a decision record');
}

/** Records an item's decisions once; `false` when another request (or the time limit) recorded one first. */
export async function writeDecisionRecord({ store, prefix }: ResumeStorage, payload: DecisionPayload): Promise<boolean> {
	const key = decisionKey(runLocationOf(prefix, payload.reference), payload.reference.pauseId);
	const result = await store.put(key, JSON.stringify(payload), { ifAbsent: true, contentType: 'application/json' });
	return result.written;
}
