import type { TranscriptEntry } from '../engine/transcript-entry';
import { totalTokens } from '../engine/model/messages';
import { createRunStore } from '../storage';
import { runLocationOf } from './decision-records';
import type { PauseReference } from './pause-contract';
import type { ResumeStorage } from './resume-storage';

/** A tool result longer than this is shown up to here on the approval page. */
export const maxShownResultLength = 600;

/**
 * One step of a paused run, as the approval page shows it above the pending calls: what the person
 * asked, what the agent said, each tool call with its arguments and a trimmed result, what each
 * turn cost in tokens, and earlier decisions.
 */
export type TimelineStep =
	| { kind: 'task'; text: string }
	| { kind: 'said'; text: string }
	| { kind: 'tool-call'; toolCallId: string; toolName: string; argumentsJson: string; result?: { text: string; isError: boolean; trimmedFrom?: number } }
	| { kind: 'turn'; turn: number; tokens: number; modelId: string }
	| { kind: 'paused'; calls: string[] }
	| { kind: 'decided'; summary: string[] }
	| { kind: 'summary'; text: string };

export type RunTimeline = { steps: TimelineStep[]; turns: number; tokens: number };

/** The run's timeline up to now, read from its transcript (one object per turn, read once). */
export async function readRunTimeline(storage: ResumeStorage, reference: PauseReference): Promise<RunTimeline> {
	const entries = await createRunStore(storage.store, runLocationOf(storage.prefix, reference)).readTranscript();
	return timelineOf(entries);
}

/** Pure: the timeline of transcript entries. Tool results are joined to their calls by id. */
export function timelineOf(entries: readonly TranscriptEntry[]): RunTimeline {
	const steps: TimelineStep[] = [];
	const calls = new Map<string, Extract<TimelineStep, { kind: 'tool-call' }>>();
	let turns = 0;
	let tokens = 0;
	let sawTask = false;
	for (const entry of entries) {
		if (entry.type === 'message') {
			for (const part of entry.message.content) {
				if (part.type === 'text' && part.text.trim() !== '') {
					// The first user text is the task; later ones are the engine's own repair requests.
					if (entry.message.role === 'assistant') steps.push({ kind: 'said', text: part.text });
					else if (!sawTask) steps.push({ kind: 'task', text: part.text });
					if (entry.message.role === 'user') sawTask = true;
				} else if (part.type === 'tool-call') {
					const step: Extract<TimelineStep, { kind: 'tool-call' }> = { kind: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, argumentsJson: JSON.stringify(part.input, null, 2) ?? 'null' };
					calls.set(part.toolCallId, step);
					steps.push(step);
				} else if (part.type === 'tool-result') {
					const call = calls.get(part.toolCallId);
					const trimmed = part.output.length > maxShownResultLength;
					const result = { text: trimmed ? part.output.slice(0, maxShownResultLength) : part.output, isError: part.isError, ...(trimmed ? { trimmedFrom: part.output.length } : {}) };
					if (call !== undefined) call.result = result;
				}
			}
		} else if (entry.type === 'usage') {
			turns += 1;
			const turnTokens = totalTokens(entry.usage);
			tokens += turnTokens;
			steps.push({ kind: 'turn', turn: turns, tokens: turnTokens, modelId: entry.modelId });
		} else if (entry.type === 'paused') {
			steps.push({ kind: 'paused', calls: entry.pending.map((call) => `${call.toolName} (${call.toolCallId})`) });
		} else if (entry.type === 'decisions') {
			steps.push({ kind: 'decided', summary: entry.decisions.map((decision) => `${decision.toolCallId}: ${decision.decision}${decision.decision === 'reject' && decision.reason ? ` (${decision.reason})` : ''}`) });
		} else if (entry.type === 'summary') {
			steps.push({ kind: 'summary', text: `Earlier turns were summarised (${entry.summarizedMessageCount} messages).` });
		}
	}
	return { steps, turns, tokens };
}
