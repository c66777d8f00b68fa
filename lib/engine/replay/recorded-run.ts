import { addUsage, emptyUsage, extractText, type AssistantMessage, type Message, type Usage } from '../model/messages';
import type { RunRecord } from '../run-record';
import type { RunStore } from '../run-store';
import type { TranscriptEntry } from '../transcript-entry';

/**
 * A stored run as a replay reads it: its record and its whole transcript, checked complete by the
 * reader (lib/storage/stored-run.ts). `reads`: the original's stored files and large tool outputs,
 * which its messages refer to by reference; a replay reads them there and never writes there.
 */
export type RecordedRun = {
	record: RunRecord;
	transcript: readonly TranscriptEntry[];
	reads?: Pick<RunStore, 'readAttachment' | 'readToolOutput'>;
};

/** The run's messages in the order they joined the conversation. */
export function recordedMessages(run: RecordedRun): Message[] {
	return run.transcript.flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
}

/** The model's messages, one per turn (turn 1 first). */
export function assistantTurns(messages: readonly Message[]): AssistantMessage[] {
	return messages.filter((message): message is AssistantMessage => message.role === 'assistant');
}

/** The run's task: the text of the user message the first turn answered (earlier ones are a chat session's history). */
export function recordedTask(messages: readonly Message[]): string {
	const firstAnswer = messages.findIndex((message) => message.role === 'assistant');
	const before = firstAnswer === -1 ? messages : messages.slice(0, firstAnswer);
	const task = [...before].reverse().find((message) => message.role === 'user' && extractText(message).trim() !== '');
	return task ? extractText(task) : '';
}

/**
 * The conversation as the model saw it before turn `turn + 1`: everything up to its answer. Turn 0
 * is the start (the task and any chat history); turn 2 keeps the first two answers and their tool results.
 */
export function conversationBefore(messages: readonly Message[], turn: number): Message[] {
	let answers = 0;
	const kept: Message[] = [];
	for (const message of messages) {
		if (message.role === 'assistant' && ++answers > turn) break;
		kept.push(message);
	}
	return kept;
}

/** What the first `turn` turns cost (their model calls and any summaries among them). */
export function usageBefore(transcript: readonly TranscriptEntry[], turn: number): Usage {
	let answers = 0;
	let usage = emptyUsage();
	for (const entry of transcript) {
		if (entry.type === 'message' && entry.message.role === 'assistant' && ++answers > turn) break;
		const spent = entry.type === 'usage' || entry.type === 'summary' || entry.type === 'summary-failed' ? entry.usage : undefined;
		if (spent) usage = addUsage(usage, spent);
	}
	return usage;
}
