import { runCost } from '../budget/budget-check';
import { extractText, type ToolResultPart } from '../model/messages';
import type { PendingCall } from '../pause/pending-call';
import { serializeSnapshot, snapshotFromState } from '../pause/snapshot';
import type { RunOutcome } from '../run-outcome';
import type { TranscriptEntry } from '../transcript-entry';
import type { RunContext, RunState } from './run-context';
import { appendTurn } from './transcript-turns';

/** `writeTurn`: the transcript object the paused turn's entries go to. */
type PausedTurn = { turnEntries: TranscriptEntry[]; writeTurn: number; pending: PendingCall[]; completedResults: ToolResultPart[] };

/**
 * Freezes the run at a turn whose calls need a human: stores the snapshot first, then the turn and
 * the run record, so a stored pause always has its snapshot.
 */
export async function pauseRun(context: RunContext, state: RunState, turn: PausedTurn): Promise<RunOutcome> {
	const { deps } = context;
	const pauseId = deps.newId();
	const snapshot = snapshotFromState(state, {
		runId: context.runId,
		pauseId,
		pausedAt: new Date(deps.now()).toISOString(),
		definition: context.definition,
		system: context.system,
		pending: turn.pending,
		completedResults: turn.completedResults,
		transcriptTurns: turn.writeTurn,
	});
	const stored = await deps.store.writeSnapshot(pauseId, serializeSnapshot(snapshot));
	await appendTurn(context, state, turn.writeTurn, [...turn.turnEntries, { type: 'paused', pauseId, pending: turn.pending, completedResults: turn.completedResults, process: deps.processLabel }]);
	const lastAssistant = state.messages.at(-1);
	const lastMessage = lastAssistant?.role === 'assistant' ? extractText(lastAssistant) : '';
	const summary = { runId: context.runId, turns: state.turns, usage: state.usage, costUsd: runCost(context.spec, state.usage), transcript: deps.store.transcriptLocation };
	await deps.store.writeRunRecord({ ...summary, process: deps.processLabel, status: 'paused', pauseId, snapshotKey: stored.key, pausedAt: snapshot.pausedAt });
	return { ...summary, status: 'paused', pause: { pauseId, snapshotKey: stored.key, snapshotHash: stored.hash, pending: turn.pending, lastMessage } };
}
