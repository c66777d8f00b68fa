import { runStatusAt, sha256, type PendingCall, type RunRecord } from '../engine';
import { parseSnapshot } from '../engine/pause/snapshot';
import { createRunStore, type RunLocation } from '../storage';
import { snapshotKey } from '../storage/keys';
import { signApprovalToken } from './approval-token';
import { latestClaim, stepsAfterPause } from './continuation-claim';
import { readDecisionAt } from './decision-records';
import type { DecisionPayload, PauseReference } from './pause-contract';
import { readPauseSnapshot } from './pause-snapshot';
import type { ResumeStorage } from './resume-storage';

/**
 * Where a run truly stands, read from storage alone:
 * - `running`: a process holds its lease;
 * - `interrupted`: its record says running, but the lease ran out (the process stopped);
 * - `paused`: waiting for a decision;
 * - `decided`: decided, and the execution that continues it has a lease's time to claim it;
 * - `decided-not-continued`: decided longer ago than a lease (or claimed longer ago than a lease),
 *   and no continuation ever started: the process meant to continue it stopped;
 * - `done`, `failed`: ended;
 * - `unreadable`: one of its records is not what this package wrote (the description names it).
 */
export type RunState = 'running' | 'interrupted' | 'paused' | 'decided' | 'decided-not-continued' | 'done' | 'failed' | 'unreadable';

/**
 * What to do for a run: `continue` it with the decision recorded for its pause (as a decision item
 * into the agent, or Continue Paused Run: the one-time claims keep it to one continuation); have a
 * person `decide` a pause nobody waits on (Continue Paused Run with this reference); `wait`, since
 * it is working or waiting as it should; or `none`: it ended, or continuing could repeat side
 * effects (the description says what to check).
 */
export type Recovery =
	| { action: 'continue'; decision: DecisionPayload }
	| { action: 'decide'; reference: PauseReference; pending: PendingCall[] }
	| { action: 'wait' }
	| { action: 'none' };

export type RunReport = {
	workflowId: string;
	executionId: string;
	/** The Durable AI Agent node the run belongs to. */
	nodeId: string;
	runId: string;
	state: RunState;
	/** When the run entered this state (ISO), when known. */
	since?: string;
	/** The process (`host:pid`) that last wrote the run record. */
	process?: string;
	/** The pause the state is about (paused, decided, or interrupted while continuing it). */
	pauseId?: string;
	recovery: Recovery;
	/** What happened and what to do, for people. */
	description: string;
};

/** How a sweep judges age: the time now, the run lease, the signing secret and the pauses a Resume node waits on. */
export type ReportContext = { nowMs: number; leaseMs: number; secret: Buffer; waitedOn: ReadonlySet<string> };

type Report = Omit<RunReport, 'workflowId' | 'executionId' | 'nodeId' | 'runId' | 'process'>;

/** The report of the run at `location`; undefined when it has no run record. */
export async function reportRun(storage: ResumeStorage, location: RunLocation, context: ReportContext): Promise<RunReport | undefined> {
	const record = await createRunStore(storage.store, location).readRunRecord();
	if (record === undefined) return undefined;
	const ids = { workflowId: location.workflowId, executionId: location.executionId, nodeId: location.nodeId, runId: location.runId, ...(record.process ? { process: record.process } : {}) };
	return { ...ids, ...(await reportOf(storage, location, record, context)) };
}

async function reportOf(storage: ResumeStorage, location: RunLocation, record: RunRecord, context: ReportContext): Promise<Report> {
	const status = runStatusAt(record, context.nowMs);
	if (status === 'done') return { state: 'done', since: record.endedAt, recovery: { action: 'none' }, description: 'The run finished.' };
	if (status === 'failed') {
		return { state: 'failed', since: record.endedAt, recovery: { action: 'none' }, description: `The run failed: ${record.error ? `${record.error.code}: ${record.error.message}` : 'no reason recorded'}.` };
	}
	if (status === 'running') {
		return { state: 'running', since: record.resumedAt ?? record.startedAt, recovery: { action: 'wait' }, description: `${record.process ?? 'A process'} is running it (lease until ${record.leaseExpiresAt ?? 'unknown'}).` };
	}
	if (status === 'interrupted') return await interruptedReport(storage, location, record, context);
	return await pausedReport(storage, location, record, context);
}

async function interruptedReport(storage: ResumeStorage, location: RunLocation, record: RunRecord, context: ReportContext): Promise<Report> {
	const stopped = `The process ${record.process ?? '(unknown)'} stopped while running it (its lease ran out at ${record.leaseExpiresAt ?? 'unknown'})`;
	const report = (recovery: Recovery, description: string): Report => ({
		state: 'interrupted',
		since: record.leaseExpiresAt,
		...(record.resumedFrom ? { pauseId: record.resumedFrom } : {}),
		recovery,
		description,
	});
	const openCalls = "Check the journal's open calls (an intent without a result) in the systems they target";
	if (record.resumedFrom === undefined) {
		return report({ action: 'none' }, `${stopped}, before it ever paused: there is no decision to continue it from. ${openCalls}, then start a new execution for the request.`);
	}
	const decision = await readDecisionAt(storage.store, location, record.resumedFrom);
	if (decision === undefined) return report({ action: 'none' }, `${stopped}, but the decision on pause ${record.resumedFrom} is gone. ${openCalls}, then start a new execution.`);
	const read = await readPauseSnapshot(storage, decision.reference);
	if (!read.ok) return report({ action: 'none' }, `${stopped}, and its pause cannot be continued: ${read.refusal.message}`);
	const progress = await stepsAfterPause(storage.store, location, read.snapshot);
	if (progress.length > 0) {
		return report({ action: 'none' }, `${stopped}, after ${progress.join(' and ')}. Continuing it again could repeat those steps: ${openCalls}, then start a new execution.`);
	}
	const claim = await latestClaim(storage.store, location, record.resumedFrom);
	const claimedAt = Date.parse(claim?.body?.claimedAt ?? '');
	if (claim !== undefined && claim.attempt > (record.attempt ?? 1) && claimedAt + context.leaseMs > context.nowMs) {
		return report({ action: 'wait' }, `${stopped}; execution ${claim.body?.executionId ?? '(unknown)'} claimed its recovery at ${claim.body?.claimedAt ?? 'unknown'} and is starting it.`);
	}
	return report({ action: 'continue', decision }, `${stopped}, while it applied the decision on pause ${record.resumedFrom}. Continue it with that decision: a call that had started is not run again.`);
}

async function pausedReport(storage: ResumeStorage, location: RunLocation, record: RunRecord, context: ReportContext): Promise<Report> {
	const pauseId = record.pauseId;
	if (pauseId === undefined) return { state: 'paused', since: record.pausedAt, recovery: { action: 'none' }, description: 'The run record says paused but names no pause; it was changed outside n8n.' };
	const decision = await readDecisionAt(storage.store, location, pauseId);
	if (decision === undefined) return await undecidedReport(storage, location, record, pauseId, context);

	const claim = await latestClaim(storage.store, location, pauseId);
	const startedAt = claim?.body?.claimedAt ?? decision.decidedAt;
	const waiting = { state: 'decided', since: decision.decidedAt, pauseId } as const;
	if (Date.parse(startedAt) + context.leaseMs > context.nowMs) {
		const who = claim === undefined ? 'the execution that continues it has not claimed it yet' : `execution ${claim.body?.executionId ?? '(unknown)'} claimed it at ${startedAt} and is starting it`;
		return { ...waiting, recovery: { action: 'wait' }, description: `Decided at ${decision.decidedAt}; ${who}.` };
	}
	const stalled = claim === undefined ? 'no execution ever claimed it' : `execution ${claim.body?.executionId ?? '(unknown)'} claimed it at ${startedAt} and never started`;
	return {
		state: 'decided-not-continued',
		since: decision.decidedAt,
		pauseId,
		recovery: { action: 'continue', decision },
		description: `Decided at ${decision.decidedAt}, but ${stalled} (the process meant to continue it stopped). Continue it with the recorded decision.`,
	};
}

async function undecidedReport(storage: ResumeStorage, location: RunLocation, record: RunRecord, pauseId: string, context: ReportContext): Promise<Report> {
	const paused = { state: 'paused', since: record.pausedAt, pauseId } as const;
	if (context.waitedOn.has(pauseId)) return { ...paused, recovery: { action: 'wait' }, description: 'Waiting for a decision at its Resume node (the approval link).' };
	if (Date.parse(record.pausedAt ?? '') + context.leaseMs > context.nowMs) {
		return { ...paused, recovery: { action: 'wait' }, description: 'Paused just now; its Resume node is about to start waiting.' };
	}
	const key = snapshotKey(location, pauseId);
	const body = await storage.store.get(key);
	const parsed = body === undefined ? undefined : parseSnapshot(body.toString('utf8'));
	if (body === undefined || parsed === undefined || !parsed.ok) {
		return { ...paused, recovery: { action: 'none' }, description: `Paused, but its snapshot ${key} is ${body === undefined ? 'gone' : 'unreadable'}: it cannot be continued. Start a new execution.` };
	}
	const snapshotHash = sha256(body);
	const claims = { executionId: location.executionId, runId: location.runId, pauseId, snapshotHash };
	const reference: PauseReference = { workflowId: location.workflowId, executionId: location.executionId, nodeId: location.nodeId, runId: location.runId, pauseId, snapshotKey: key, snapshotHash, token: signApprovalToken(context.secret, claims) };
	return {
		...paused,
		recovery: { action: 'decide', reference, pending: parsed.snapshot.pending },
		description:
			'Paused, and no Resume node waits for it: its approval link was probably never sent (the process stopped right after the run paused), or it is decided outside n8n. ' +
			'Decide it with a Durable AI Agent in Continue Paused Run mode: Pause Reference = this reference, one decision per pending call.',
	};
}
