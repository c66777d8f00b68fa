import type { ToolResultPart } from '../model/messages';
import type { TranscriptEntry } from '../transcript-entry';
import { canonicalJson } from './canonical-json';

/**
 * The results the original run got for its tool calls, by call: same tool, same arguments
 * (compared as canonical JSON). A call made twice with the same arguments has two results, given
 * out in the order the original got them; the last one answers any later repeat.
 */
export type RecordedToolResults = { take(toolName: string, input: unknown): ToolResultPart | undefined };

export function recordedToolResults(transcript: readonly TranscriptEntry[]): RecordedToolResults {
	const calls = new Map<string, { toolName: string; input: unknown }>();
	const results = new Map<string, ToolResultPart>();
	for (const entry of transcript) {
		const parts = entry.type === 'message' ? entry.message.content : entry.type === 'paused' ? entry.completedResults : [];
		for (const part of parts) {
			if (part.type === 'tool-call') calls.set(part.toolCallId, { toolName: part.toolName, input: part.input });
			if (part.type === 'tool-result' && !results.has(part.toolCallId)) results.set(part.toolCallId, part);
		}
	}
	const byCall = new Map<string, ToolResultPart[]>();
	for (const [toolCallId, result] of results) {
		const call = calls.get(toolCallId);
		if (call === undefined) continue;
		const key = callKey(call.toolName, call.input);
		byCall.set(key, [...(byCall.get(key) ?? []), result]);
	}
	const given = new Map<string, number>();
	return {
		take(toolName, input) {
			const key = callKey(toolName, input);
			const queue = byCall.get(key);
			if (queue === undefined) return undefined;
			const index = given.get(key) ?? 0;
			given.set(key, index + 1);
			return queue[Math.min(index, queue.length - 1)];
		},
	};
}

/** A call's identity: its tool and its arguments as canonical JSON. Arguments the model double-encoded as a JSON string count as the value they encode, as validation reads them. */
function callKey(toolName: string, input: unknown): string {
	return `${toolName}\n${canonicalJson(decoded(input))}`;
}

function decoded(input: unknown): unknown {
	if (input === undefined) return {};
	if (typeof input !== 'string') return input;
	if (input.trim() === '') return {};
	try {
		return JSON.parse(input) as unknown;
	} catch {
		return input;
	}
}
