import type { Decision } from '../engine/pause/decisions';
import { readDecisionRecord, writeDecisionRecord } from './decision-records';
import type { DecisionPayload, PausedItemJson, PendingCallView } from './pause-contract';
import type { ResumeStorage } from './resume-storage';

/**
 * The Resume node's "On Timeout" policy, applied by the Durable AI Agent. When a wait's time limit
 * passes, n8n resumes the execution without calling the Resume node again: it marks the waiting node
 * disabled and passes its input through (n8n-core WorkflowExecute.handleWaitingState, cli
 * WaitTracker). So the agent receives its own paused items back, undecided, and settles them here.
 */

export type TimeoutPolicy = 'rejectAll' | 'fail';

export const noDecisionReason = 'No decision before the time limit';
export const noAnswer = 'No answer before the time limit';

/** What stands in for a person who did not decide in time: every call rejected, every question answered "no answer". */
export function timeoutDecisions(pending: readonly PendingCallView[]): Decision[] {
	return pending.map((call) =>
		call.kind === 'question'
			? { toolCallId: call.toolCallId, decision: 'answer', answer: noAnswer }
			: { toolCallId: call.toolCallId, decision: 'reject', reason: noDecisionReason },
	);
}

export type TimeoutSettlement = { ok: true; payload: DecisionPayload } | { ok: false; message: string };

/**
 * Settles one paused item that came back undecided. A decision recorded in time (or in a race with
 * the clock) always wins: it is read back rather than overwritten, and the timeout's own decision is
 * written with "only if absent", so a late POST and the timeout can never both count.
 */
export async function settleTimedOutItem(storage: ResumeStorage, paused: PausedItemJson, policy: TimeoutPolicy, now: Date): Promise<TimeoutSettlement> {
	const recorded = await readDecisionRecord(storage, paused.reference);
	if (recorded !== undefined) return { ok: true, payload: recorded };
	if (policy === 'fail') {
		const calls = paused.pending.map((call) => `${call.toolName} (${call.toolCallId})`).join(', ');
		return { ok: false, message: `No decision arrived before the time limit for pause ${paused.reference.pauseId} of run ${paused.runId} (${calls}).` };
	}
	const payload: DecisionPayload = { reference: paused.reference, decisions: timeoutDecisions(paused.pending), decidedAt: now.toISOString() };
	if (await writeDecisionRecord(storage, payload)) return { ok: true, payload };
	const winner = await readDecisionRecord(storage, paused.reference);
	if (winner === undefined) throw new Error(`The decision on pause ${paused.reference.pauseId} exists but could not be read back.`);
	return { ok: true, payload: winner };
}
