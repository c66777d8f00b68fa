import type { Message, ToolResultPart } from '../model/messages';
import type { ContextPolicy } from './context-policy';
import { sliceText } from './slice-text';
import { findStoredOutputNote, storedOutputNote } from './stored-output-note';

type ShorteningPolicy = Pick<ContextPolicy, 'keepRecentToolResults' | 'shortenedToolResultCharacters'>;

/**
 * The messages to send, with every tool result older than the latest `keepRecentToolResults` cut
 * to `shortenedToolResultCharacters` and marked as shortened. A new array: the run's own messages,
 * and so the stored transcript, stay complete. Only output text shrinks, so every tool call keeps
 * its result and the provider still sees each call answered.
 */
export function shortenOldToolResults(messages: readonly Message[], policy: ShorteningPolicy): Message[] {
	let recentToKeep = policy.keepRecentToolResults;
	const shortened: Message[] = [];
	// Newest first, so "recent" is counted from the end of the conversation.
	for (let index = messages.length - 1; index >= 0; index -= 1) {
		const message = messages[index];
		if (message.role === 'assistant' || !message.content.some((part) => part.type === 'tool-result')) {
			shortened.push(message);
			continue;
		}
		const content = [...message.content];
		for (let partIndex = content.length - 1; partIndex >= 0; partIndex -= 1) {
			const part = content[partIndex];
			if (part.type !== 'tool-result') continue;
			if (recentToKeep > 0) recentToKeep -= 1;
			else content[partIndex] = shortenResult(part, policy.shortenedToolResultCharacters);
		}
		shortened.push({ ...message, content });
	}
	return shortened.reverse();
}

function shortenResult(result: ToolResultPart, keptCharacters: number): ToolResultPart {
	const stored = findStoredOutputNote(result.output);
	const head = sliceText(result.output, 0, keptCharacters);
	const marker = stored
		? storedOutputNote(stored, head.length)
		: `[Shortened to save context: the first ${head.length} of ${result.output.length} characters of this older result are shown.]`;
	const output = `${head}\n${marker}`;
	// A result only a little over the limit would grow by its marker; it stays as it was.
	return output.length < result.output.length ? { ...result, output } : result;
}
