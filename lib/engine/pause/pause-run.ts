import { runCost } from '../budget/budget-check';
import type { RunContext, RunState } from '../loop/run-context';
import { appendTurn } from '../loop/transcript-turns';
import type { ToolResultPart } from '../model/messages';
import type { RunOutcome } from '../run-outcome';
import type { PendingCall } from './pending-call';
import { serializeSnapshot, snapshotSchemaVersion, type Snapshot } from './snapshot';

/** `writeTurn`: the transcript object the paused turn's entries go to. */
type PausedTurn = { turnEntries: unknown[]; writeTurn: number; pending: PendingCall[]; completedResults: ToolResultPart[] };

/**
 * Freezes the run at a turn whose calls need a human: stores the snapshot first, then the turn and
 * the run record, so a stored pause always has its snapshot.
 */
export async function pauseRun(context: RunContext, state: RunState, turn: PausedTurn): Promise<RunOutcome> {
	const { deps } = context;
	const pauseId = deps.newId();
	const snapshot: Snapshot = {
		schemaVersion: snapshotSchemaVersion,
		runId: context.runId,
		pauseId,
		pausedAt: new Date(deps.now()).toISOString(),
		definition: context.definition,
		system: context.system,
		messages: state.messages,
		pending: turn.pending,
		completedResults: turn.completedResults,
		usage: state.usage,
		turns: state.turns,
		transcriptTurns: turn.writeTurn,
		repairTurnsUsed: state.repairTurnsUsed,
		budgetGrants: state.budgetGrants,
		summary: state.summary,
	};
	const stored = await deps.store.writeSnapshot(pauseId, serializeSnapshot(snapshot));
	await appendTurn(context, state, turn.writeTurn, [...turn.turnEntries, { type: 'paused', pauseId, pending: turn.pending, completedResults: turn.completedResults, process: deps.processLabel }]);
	const lastAssistant = state.messages.at(-1);
	const lastMessage =
		lastAssistant?.role === 'assistant' ? lastAssistant.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('') : '';
	const summary = { runId: context.runId, turns: state.turns, usage: state.usage, costUsd: runCost(context.spec, state.usage), transcript: deps.store.transcriptLocation };
	await deps.store.writeRunRecord({ ...summary, process: deps.processLabel, status: 'paused', pauseId, snapshotKey: stored.key, pausedAt: snapshot.pausedAt });
	return { ...summary, status: 'paused', pause: { pauseId, snapshotKey: stored.key, snapshotHash: stored.hash, pending: turn.pending, lastMessage } };
}
