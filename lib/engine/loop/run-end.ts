import { runCost } from '../budget/budget-check';
import type { PendingCall } from '../pause/pending-call';
import type { RunFailure, RunOutcome } from '../run-outcome';
import type { RunContext, RunState } from './run-context';

export function runSummary(context: RunContext, state: RunState) {
	return { runId: context.runId, turns: state.turns, usage: state.usage, costUsd: runCost(context.spec, state.usage), transcript: context.deps.store.transcriptLocation };
}

/** What run records carry besides the outcome: which process wrote them. */
export function recordExtras(context: RunContext) {
	return { process: context.deps.processLabel };
}

/** Records the failure in the run record and returns it as the outcome. */
export async function failRun(context: RunContext, state: RunState, error: RunFailure): Promise<RunOutcome> {
	await context.deps.store.writeRunRecord({ ...runSummary(context, state), ...recordExtras(context), status: 'failed', error, endedAt: new Date(context.deps.now()).toISOString() });
	return { ...runSummary(context, state), status: 'failed', error };
}

/** The pending "call" a budget pause asks a person to decide: allow the budget once more, or end the run. */
export function budgetPendingCall(context: RunContext, state: RunState, overBudget: RunFailure): PendingCall {
	const input = { reason: overBudget.message, usage: state.usage, costUsd: runCost(context.spec, state.usage) ?? null };
	return { toolCallId: `budget-${state.turns}`, toolName: 'budget', input, kind: 'budget' };
}
