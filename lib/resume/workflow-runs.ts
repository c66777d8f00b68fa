import { mapWithConcurrency } from '../engine';
import { UnreadableObjectError } from '../storage';
import { workflowFolder, workflowObjectOf, type RunLocation } from '../storage/keys';
import type { ResumeStorage } from './resume-storage';
import { reportRun, type ReportContext, type RunReport } from './run-report';
import { readWaitRecord } from './wait-record';

/** Which runs to report: one workflow's, optionally one execution's. */
export type RunSweep = { workflowId: string; executionId?: string; nowMs: number; leaseMs: number; secret: Buffer };

/** How many runs are read at once: quick on S3 without flooding it. */
const readConcurrency = 8;

/**
 * Every run of a workflow (or one of its executions) with its true state, read from storage alone,
 * in key order. A run whose records cannot be read is reported `unreadable` instead of
 * stopping the sweep. Costs one listing of the workflow's folder and a few reads per run: delete old
 * executions' folders (see the README's storage layout) to keep it quick.
 */
export async function reportWorkflowRuns(storage: ResumeStorage, sweep: RunSweep): Promise<RunReport[]> {
	const keys = await storage.store.list(workflowFolder(storage.prefix, sweep.workflowId));
	const runs: RunLocation[] = [];
	const waits: Array<{ executionId: string; nodeId: string }> = [];
	for (const key of keys) {
		const object = workflowObjectOf(storage.prefix, sweep.workflowId, key);
		if (object.kind === 'other' || (sweep.executionId !== undefined && object.location.executionId !== sweep.executionId)) continue;
		if (object.kind === 'run-record') runs.push(object.location);
		else waits.push(object.location);
	}
	const waitedOn = await pausesWaitedOn(storage, sweep.workflowId, waits);
	const context: ReportContext = { nowMs: sweep.nowMs, leaseMs: sweep.leaseMs, secret: sweep.secret, waitedOn };
	const reports = await mapWithConcurrency(runs, readConcurrency, async (location) => {
		try {
			return await reportRun(storage, location, context);
		} catch (error) {
			if (!(error instanceof UnreadableObjectError)) throw error;
			const report: RunReport = { ...idsOf(location), state: 'unreadable', recovery: { action: 'none' }, description: error.message };
			return report;
		}
	});
	return reports.filter((report) => report !== undefined);
}

/** The pauses some Resume node of these executions waits on now. */
async function pausesWaitedOn(storage: ResumeStorage, workflowId: string, waits: ReadonlyArray<{ executionId: string; nodeId: string }>): Promise<Set<string>> {
	const records = await mapWithConcurrency(waits, readConcurrency, async ({ executionId, nodeId }) => {
		try {
			return await readWaitRecord(storage, { workflowId, executionId, resumeNodeId: nodeId });
		} catch (error) {
			// An unreadable wait record serves no approval page: its pauses are reported as nobody's.
			if (error instanceof UnreadableObjectError) return undefined;
			throw error;
		}
	});
	return new Set(records.flatMap((record) => record?.items.map((item) => item.reference.pauseId) ?? []));
}

function idsOf(location: RunLocation) {
	return { workflowId: location.workflowId, executionId: location.executionId, nodeId: location.nodeId, runId: location.runId };
}
