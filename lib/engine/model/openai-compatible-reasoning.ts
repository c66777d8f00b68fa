import type { Message } from './messages';

/**
 * Reasoning on the Chat Completions wire. `@ai-sdk/openai`'s chat model neither reads reasoning
 * from the stream nor writes it into requests, so the adapter reads the raw chunks and adds it to
 * request bodies itself.
 *
 * Servers stream it as `reasoning_content` (DeepSeek, vLLM, Qwen, LM Studio) or `reasoning`
 * (OpenRouter, Ollama, Groq). DeepSeek's thinking mode requires the `reasoning_content` of every
 * assistant turn that made tool calls in all later requests, and answers 400 without it; for
 * turns without tool calls it is ignored, so only those turns send it back.
 */

type RawChunk = { choices?: Array<{ delta?: { reasoning_content?: unknown; reasoning?: unknown; refusal?: unknown }; content_filter_results?: unknown }> };

const firstChoice = (rawChunk: unknown) => (typeof rawChunk === 'object' && rawChunk !== null ? (rawChunk as RawChunk).choices?.[0] : undefined);

/** The reasoning text one raw chunk carries, or undefined. */
export const reasoningDelta = (rawChunk: unknown): string | undefined => {
	const delta = firstChoice(rawChunk)?.delta;
	const text = delta?.reasoning_content ?? delta?.reasoning;
	return typeof text === 'string' && text !== '' ? text : undefined;
};

/** Text of OpenAI's `refusal` field in one raw chunk, or undefined. */
export const refusalDelta = (rawChunk: unknown): string | undefined => {
	const refusal = firstChoice(rawChunk)?.delta?.refusal;
	return typeof refusal === 'string' && refusal !== '' ? refusal : undefined;
};

/** The categories a content filter flagged (Azure OpenAI's `content_filter_results`), or an empty list. */
export const filteredCategories = (rawChunk: unknown): string[] => {
	const results = firstChoice(rawChunk)?.content_filter_results;
	if (typeof results !== 'object' || results === null) return [];
	return Object.entries(results).flatMap(([category, result]) => ((result as { filtered?: unknown } | null)?.filtered === true ? [category] : []));
};

/**
 * For each assistant message of the request, in order, the reasoning to send back with it: the
 * reasoning of a turn that made tool calls, if it came from this wire (Anthropic thinking carries a
 * signature and is Anthropic's own).
 */
export const reasoningToReplay = (messages: readonly Message[]): Array<string | undefined> =>
	messages.flatMap((message) => {
		if (message.role !== 'assistant') return [];
		if (!message.content.some((part) => part.type === 'tool-call')) return [undefined];
		const text = message.content
			.flatMap((part) => (part.type === 'reasoning' && part.signature === undefined && part.redactedData === undefined ? [part.text] : []))
			.join('');
		return [text === '' ? undefined : text];
	});

/**
 * A fetch that adds `reasoning_content` to the request body's assistant messages (the n-th one gets
 * `reasoning[n]`): the one place the adapter edits what the AI SDK serialised.
 */
export const fetchWithReplayedReasoning =
	(baseFetch: typeof fetch, reasoning: ReadonlyArray<string | undefined>): typeof fetch =>
	async (input, init) => {
		if (typeof init?.body !== 'string') return baseFetch(input, init);
		const body = JSON.parse(init.body) as { messages?: Array<Record<string, unknown>> };
		let assistantIndex = 0;
		for (const message of body.messages ?? []) {
			if (message.role !== 'assistant') continue;
			const text = reasoning[assistantIndex++];
			if (text !== undefined) message.reasoning_content = text;
		}
		return baseFetch(input, { ...init, body: JSON.stringify(body) });
	};
