import { z } from 'zod/v4';

import type { Message, TextPart } from '../model/messages';

/**
 * A run's summary of its older turns: the first `summarizedMessageCount` messages are replaced by
 * `text` in every request. Plain data, kept with the run's state (and its snapshot) so the summary
 * carries across turns and pauses; the messages themselves stay complete.
 */
export const summaryStateSchema = z.strictObject({ text: z.string(), summarizedMessageCount: z.number().int().min(0) });
export type SummaryState = z.infer<typeof summaryStateSchema>;

/**
 * Where the kept part of a conversation may start without breaking it: at an assistant message, or
 * at a user message that answers no tool call. Starting at a tool-result message would send
 * results whose calls were summarised away, which providers refuse (Anthropic answers 400).
 */
export function isSafeCut(messages: readonly Message[], index: number): boolean {
	const message = messages[index];
	if (message === undefined) return index === messages.length;
	return message.role === 'assistant' || !message.content.some((part) => part.type === 'tool-result');
}

/**
 * The messages a request shows the model: the run's messages, or with a summary, one user message
 * holding the summary followed by the messages after the summarised ones. When those start with a
 * user message the summary joins it, so user and assistant turns still alternate.
 */
export function requestView(messages: readonly Message[], summary: SummaryState | undefined): Message[] {
	if (summary === undefined) return [...messages];
	if (!isSafeCut(messages, summary.summarizedMessageCount)) {
		throw new Error(
			`The run's summary covers ${summary.summarizedMessageCount} of ${messages.length} messages, which would separate tool results from their calls. The stored run state is inconsistent.`,
		);
	}
	const summaryPart: TextPart = { type: 'text', text: summaryMessageText(summary.text) };
	const [first, ...rest] = messages.slice(summary.summarizedMessageCount);
	if (first === undefined) return [{ role: 'user', content: [summaryPart] }];
	if (first.role === 'user') return [{ role: 'user', content: [summaryPart, ...first.content] }, ...rest];
	return [{ role: 'user', content: [summaryPart] }, first, ...rest];
}

function summaryMessageText(summary: string): string {
	return `Earlier turns of this run were summarised to save context (the full transcript is kept in storage). Summary of those turns:\n<summary>\n${summary}\n</summary>`;
}
