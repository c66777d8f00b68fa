import type { Message } from '../model/messages';
import type { RunOutcome } from '../run-outcome';
import type { Episode } from './episode-summary';

/** A run that ended: paused runs have no episode yet, they get one when they finish. */
type FinishedOutcome = Extract<RunOutcome, { status: 'done' | 'failed' }>;

/** The episode of a finished run, from its outcome and its messages (for the tools it called). */
export function episodeFromOutcome(task: string, outcome: FinishedOutcome, messages: readonly Message[]): Episode {
	const toolsUsed = toolsUsedIn(messages);
	if (outcome.status === 'failed') {
		return { runId: outcome.runId, task, status: 'failed', error: `${outcome.error.code}: ${outcome.error.message}`, toolsUsed };
	}
	const answer = typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output);
	return { runId: outcome.runId, task, status: 'done', answer, toolsUsed };
}

/** Names of the tools the model called, each once, in the order of first use. */
export function toolsUsedIn(messages: readonly Message[]): string[] {
	const names = new Set<string>();
	for (const message of messages) {
		if (message.role !== 'assistant') continue;
		for (const part of message.content) if (part.type === 'tool-call') names.add(part.toolName);
	}
	return [...names];
}
