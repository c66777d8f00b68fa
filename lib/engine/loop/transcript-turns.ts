import type { Message } from '../model/messages';
import type { RunContext, RunState } from './run-context';

/** The transcript entry of one message. */
export const messageEntry = (message: Message) => ({ type: 'message', message });

/** Writes one transcript object and counts it, so the next one goes after it and none is overwritten. */
export async function appendTurn(context: RunContext, state: RunState, turn: number, entries: readonly unknown[]): Promise<void> {
	await context.deps.store.appendTurn(turn, entries);
	state.transcriptTurns = Math.max(state.transcriptTurns, turn);
}
