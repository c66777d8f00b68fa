import { z } from 'zod/v4';

/**
 * The fields of a stored run record (`run.json`) that tell where the run stands. The engine writes
 * more (usage, cost, output…); those pass through untouched.
 */
export const runRecordSchema = z.looseObject({
	runId: z.string(),
	status: z.enum(['running', 'paused', 'done', 'failed']),
	/** The process (`host:pid`) that wrote the record. */
	process: z.string().optional(),
	/** While running: until when the record is valid without a heartbeat (see loop/run-lease.ts). */
	leaseExpiresAt: z.iso.datetime().optional(),
	/** While running after a pause: the pause this continuation started from. */
	resumedFrom: z.string().optional(),
	/** While running after a pause: which continuation of that pause this is (2 and up recover a dead one). */
	attempt: z.number().int().min(1).optional(),
	turns: z.number().optional(),
	/** While paused: the pause it waits at. */
	pauseId: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** A stored status as a reader should take it: `interrupted` is a `running` record whose process stopped renewing its lease. */
export type RunStatus = RunRecord['status'] | 'interrupted';

export function runStatusAt(record: RunRecord, nowMs: number): RunStatus {
	if (record.status !== 'running' || record.leaseExpiresAt === undefined) return record.status;
	return Date.parse(record.leaseExpiresAt) <= nowMs ? 'interrupted' : 'running';
}
