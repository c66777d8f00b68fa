import type { IExecuteFunctions } from 'n8n-workflow';

import type { Decision } from '../../lib/engine/pause/decisions';
import type { ConfiguredStore } from '../AgentNode/store-from-parameters';
import type { DecisionPayload, PausedItemJson, PendingCallView } from './pause-contract';
import { readDecisionRecord, writeDecisionRecord } from './decision-records';

/**
 * The "On Timeout" policy, applied by the Durable AI Agent. When a wait's time limit passes, n8n
 * resumes the execution without calling this node again: it marks the waiting node disabled and
 * passes its input through (n8n-core WorkflowExecute.handleWaitingState, cli WaitTracker). So the
 * agent receives its own paused items back, undecided, and settles them with these functions.
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

/**
 * The policy of the Resume node an input item came from, or `undefined` when input 0 does not come
 * from a Durable AI Agent Resume node (then a paused item on the agent's input is a wiring mistake).
 */
export function timeoutPolicyOfSource(context: IExecuteFunctions): TimeoutPolicy | undefined {
	const sourceName = context.getInputSourceData(0)?.previousNode;
	const source = context.getParentNodes(context.getNode().name, { includeNodeParameters: true, depth: 1 }).find((node) => node.name === sourceName);
	if (source === undefined || !/(^|\.)durableAgentResume$/.test(source.type)) return undefined;
	return source.parameters?.onTimeout === 'fail' ? 'fail' : 'rejectAll';
}

export type TimeoutSettlement = { ok: true; payload: DecisionPayload } | { ok: false; message: string };

/**
 * Settles one paused item that came back undecided. A decision recorded in time (or in a race with
 * the clock) always wins: it is read back rather than overwritten, and the timeout's own decision is
 * written with "only if absent", so a late POST and the timeout can never both count.
 */
export async function settleTimedOutItem(storage: ConfiguredStore, paused: PausedItemJson, policy: TimeoutPolicy, now: Date): Promise<TimeoutSettlement> {
	const recorded = await readDecisionRecord(storage.store, storage.prefix, paused.reference);
	if (recorded !== undefined) return { ok: true, payload: recorded };
	if (policy === 'fail') {
		const calls = paused.pending.map((call) => `${call.toolName} (${call.toolCallId})`).join(', ');
		return { ok: false, message: `No decision arrived before the time limit for pause ${paused.reference.pauseId} of run ${paused.runId} (${calls}).` };
	}
	const payload: DecisionPayload = { reference: paused.reference, decisions: timeoutDecisions(paused.pending), decidedAt: now.toISOString() };
	if (await writeDecisionRecord(storage.store, storage.prefix, payload)) return { ok: true, payload };
	const winner = await readDecisionRecord(storage.store, storage.prefix, paused.reference);
	if (winner === undefined) throw new Error(`The decision on pause ${paused.reference.pauseId} exists but could not be read back.`);
	return { ok: true, payload: winner };
}
