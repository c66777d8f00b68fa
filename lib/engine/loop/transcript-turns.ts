import type { TranscriptEntry } from '../transcript-entry';
import type { RunContext, RunState } from './run-context';

/** Writes one transcript object and counts it, so the next one goes after it and none is overwritten. */
export async function appendTurn(context: RunContext, state: RunState, turn: number, entries: readonly TranscriptEntry[]): Promise<void> {
	await context.deps.store.appendTurn(turn, entries);
	state.transcriptTurns = Math.max(state.transcriptTurns, turn);
}
