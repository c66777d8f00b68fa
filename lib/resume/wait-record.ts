import { z } from 'zod/v4';

import { resumeClaimKey, waitRecordKey, type NodeLocation } from '../storage/keys';
import { pausedItemSchema } from './pause-contract';
import { checkSnapshots } from './pause-snapshot';
import type { Refusal } from './refusal';
import type { ResumeStorage } from './resume-storage';
import { parseStoredJson } from '../storage/stored-json';

/**
 * What the Resume node keeps in storage while it waits. Storage is the only state shared by the
 * process that starts the wait, the one that serves the webhook and the worker that continues the run.
 */

/** What the Resume node stores when it starts waiting, so its webhook (on any process) can serve the page. */
export const waitRecordSchema = z.object({
	waitId: z.string().min(1),
	workflowId: z.string().min(1),
	workflowName: z.string(),
	executionId: z.string().min(1),
	resumeNodeName: z.string(),
	createdAt: z.string(),
	/** ISO time after which the wait's time limit applies; absent = wait forever. */
	expiresAt: z.string().optional(),
	items: z
		.array(
			pausedItemSchema.pick({ reference: true, pending: true, lastMessage: true, pauseNumber: true, costUsd: true }).extend({ agentNodeName: z.string() }),
		)
		.min(1),
});

export type WaitRecord = z.infer<typeof waitRecordSchema>;

/** Written once, by the request that resumes the execution for a wait. */
const resumeClaimSchema = z.object({ waitId: z.string(), resumedAt: z.string(), pauseIds: z.array(z.string()) });

/** Where a Resume node's wait lives: the node of one execution of one workflow. */
export type WaitLocation = { workflowId: string; executionId: string; resumeNodeId: string };

const nodeLocation = (prefix: string, location: WaitLocation): NodeLocation => ({
	prefix,
	workflowId: location.workflowId,
	executionId: location.executionId,
	nodeId: location.resumeNodeId,
});

/**
 * Starts a wait: the record of what the approval page must show (the webhook may run on another
 * process and has only storage). Refused, with nothing written, when a paused run's snapshot is not
 * in this storage as its reference says.
 */
export async function beginWait(storage: ResumeStorage, location: WaitLocation, record: WaitRecord): Promise<Refusal | undefined> {
	const problem = await checkSnapshots(storage, record.items.map((item) => item.reference));
	if (problem) return problem;
	await writeWaitRecord(storage, location, record);
	return undefined;
}

export async function writeWaitRecord({ store, prefix }: ResumeStorage, location: WaitLocation, record: WaitRecord): Promise<void> {
	await store.put(waitRecordKey(nodeLocation(prefix, location)), JSON.stringify(record), { contentType: 'application/json' });
}

export async function readWaitRecord({ store, prefix }: ResumeStorage, location: WaitLocation): Promise<WaitRecord | undefined> {
	const key = waitRecordKey(nodeLocation(prefix, location));
	const body = await store.get(key);
	return body === undefined ? undefined : parseStoredJson(body.toString('utf8'), key, waitRecordSchema, 'a wait record');
}

export async function isResumeClaimed({ store, prefix }: ResumeStorage, location: WaitLocation, waitId: string): Promise<boolean> {
	const key = resumeClaimKey(nodeLocation(prefix, location), waitId);
	const body = await store.get(key);
	return body !== undefined && parseStoredJson(body.toString('utf8'), key, resumeClaimSchema, 'a resume claim').waitId === waitId;
}

/** Only one request may resume the execution for a wait: the one whose conditional write wins. */
export async function claimResume({ store, prefix }: ResumeStorage, location: WaitLocation, wait: WaitRecord, now: Date): Promise<boolean> {
	const claim: z.infer<typeof resumeClaimSchema> = { waitId: wait.waitId, resumedAt: now.toISOString(), pauseIds: wait.items.map((item) => item.reference.pauseId) };
	const result = await store.put(resumeClaimKey(nodeLocation(prefix, location), wait.waitId), JSON.stringify(claim), { ifAbsent: true, contentType: 'application/json' });
	return result.written;
}
