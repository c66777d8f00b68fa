import type { Message, ToolResultPart } from '../model/messages';
import type { ContextPolicy } from './context-policy';
import { sliceText } from './slice-text';
import { findStoredOutputNote, storedOutputNote } from './stored-output-note';

type ShorteningPolicy = Pick<ContextPolicy, 'keepRecentToolResults' | 'shortenedToolResultCharacters'>;

/**
 * The messages to send, with older tool results cut to `shortenedToolResultCharacters` and marked as
 * shortened. At least the latest `keepRecentToolResults` results stay whole; older ones are cut
 * `keepRecentToolResults` at a time, so the conversation a request starts with stays the same for
 * several turns and the provider's prompt cache keeps matching it (cutting one result per turn would
 * change the cached prefix every turn). A new array: the run's own messages, and so the stored
 * transcript, stay complete. Only output text shrinks, so every tool call keeps its result.
 */
export function shortenOldToolResults(messages: readonly Message[], policy: ShorteningPolicy): Message[] {
	const keep = policy.keepRecentToolResults;
	const total = messages.reduce((count, message) => count + message.content.filter((part) => part.type === 'tool-result').length, 0);
	const older = Math.max(0, total - keep);
	let toShorten = keep === 0 ? older : Math.floor(older / keep) * keep;
	// Oldest first: the first `toShorten` results are the ones cut.
	return messages.map((message) => {
		if (toShorten === 0 || message.role === 'assistant' || !message.content.some((part) => part.type === 'tool-result')) return message;
		const content = message.content.map((part) => {
			if (part.type !== 'tool-result' || toShorten === 0) return part;
			toShorten -= 1;
			return shortenResult(part, policy.shortenedToolResultCharacters);
		});
		return { ...message, content };
	});
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
