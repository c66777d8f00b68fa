import { z } from 'zod/v4';

import { usageSchema } from './model/messages';
import { answeringModelSchema, runFailureSchema } from './run-outcome';

/** Which stored run a replay re-ran, from which turn (0: the start). */
export const replayLinkSchema = z.strictObject({ runId: z.string(), transcript: z.string().optional(), fromTurn: z.number().int().min(0) });
export type ReplayLink = z.infer<typeof replayLinkSchema>;

/**
 * The stored run record (`run.json`): where the run stands, replaced on every change. One shape for
 * every status; which fields a status carries is said beside each. Unknown fields (from a newer
 * package) are dropped on reading, so a record stays readable across a rolling upgrade.
 */
export const runRecordSchema = z.object({
	runId: z.string(),
	status: z.enum(['running', 'paused', 'done', 'failed']),
	/** The process (`host:pid`) that wrote the record. */
	process: z.string().optional(),
	/** Model calls made so far. */
	turns: z.number().int().min(0),
	usage: usageSchema,
	/** While running from the start: when the run started. */
	startedAt: z.string().optional(),
	/** While running: until when the record is valid without a heartbeat (see loop/run-lease.ts). */
	leaseExpiresAt: z.iso.datetime().optional(),
	/** While running after a pause: the pause this continuation started from. */
	resumedFrom: z.string().optional(),
	/** While running after a pause: which continuation of that pause this is (2 and up recover a dead one). */
	attempt: z.number().int().min(1).optional(),
	/** While running after a pause: when this continuation started. */
	resumedAt: z.string().optional(),
	/** Once paused or ended: the estimated cost in USD, when the model's price is known. */
	costUsd: z.number().min(0).optional(),
	/** Once paused or ended: where the per-turn transcript objects are stored. */
	transcript: z.string().optional(),
	/** While paused: the pause it waits at, its snapshot and when it paused. */
	pauseId: z.string().optional(),
	snapshotKey: z.string().optional(),
	pausedAt: z.string().optional(),
	/** When done: the final answer and the model that gave it. */
	output: z.json().optional(),
	answeredBy: answeringModelSchema.optional(),
	/** When failed: why. */
	error: runFailureSchema.optional(),
	/** When done or failed. */
	endedAt: z.string().optional(),
	/** A replay (lib/engine/replay/): the stored run it re-ran, where that run's transcript is, and the turn it started from. */
	replayOf: replayLinkSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** A stored status as a reader should take it: `interrupted` is a `running` record whose process stopped renewing its lease. */
export type RunStatus = RunRecord['status'] | 'interrupted';

export function runStatusAt(record: RunRecord, nowMs: number): RunStatus {
	if (record.status !== 'running' || record.leaseExpiresAt === undefined) return record.status;
	return Date.parse(record.leaseExpiresAt) <= nowMs ? 'interrupted' : 'running';
}
