import { argumentsText, defaultStopReason, fragments, type ScriptedReply } from './script';

// The Chat Completions wire format, as OpenAI documents it and as the recordings in
// test/fixtures/provider-streams/openai-compatible show it (OpenAI, DeepSeek, Groq).

type Chunk = Record<string, unknown>;

const finishReasons = { 'end-turn': 'stop', 'tool-calls': 'tool_calls', 'max-tokens': 'length', refusal: 'content_filter' } as const;

// Chat Completions counts cached tokens inside prompt_tokens; scripted usage counts them apart.
const usageOf = (reply: ScriptedReply) => {
	const input = reply.usage?.inputTokens ?? 10;
	const cacheRead = reply.usage?.cacheReadTokens ?? 0;
	const cacheWrite = reply.usage?.cacheWriteTokens ?? 0;
	const output = reply.usage?.outputTokens ?? 5;
	return {
		prompt_tokens: input + cacheRead + cacheWrite,
		completion_tokens: output,
		total_tokens: input + cacheRead + cacheWrite + output,
		prompt_tokens_details: { cached_tokens: cacheRead, ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}) },
	};
};

const toolCallId = (reply: ScriptedReply, index: number): string => reply.toolCalls?.[index]?.id ?? `call_scripted_${index + 1}`;

export const chatCompletion = (reply: ScriptedReply, model: string, completionId: string) => ({
	id: completionId,
	object: 'chat.completion',
	created: 1_700_000_000,
	model: reply.model ?? model,
	choices: [
		{
			index: 0,
			message: {
				role: 'assistant',
				content: reply.text ?? null,
				...(reply.toolCalls?.length
					? {
							tool_calls: reply.toolCalls.map((call, index) => ({
								id: toolCallId(reply, index),
								type: 'function',
								function: { name: call.name, arguments: argumentsText(call) },
							})),
						}
					: {}),
			},
			finish_reason: finishReasons[defaultStopReason(reply)],
		},
	],
	...(reply.omitUsage ? {} : { usage: usageOf(reply) }),
});

/** The streamed chunks, without the closing `[DONE]`; a usage chunk comes last when the client asked for it. */
export const chatCompletionChunks = (reply: ScriptedReply, model: string, completionId: string, includeUsage: boolean): Chunk[] => {
	const chunk = (delta: Chunk, finishReason: string | null = null): Chunk => ({
		id: completionId,
		object: 'chat.completion.chunk',
		created: 1_700_000_000,
		model: reply.model ?? model,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
	});
	const chunks: Chunk[] = [chunk({ role: 'assistant', content: '' })];
	for (const reasoning of reply.thinking ? fragments(reply.thinking.text, 2) : []) chunks.push(chunk({ content: null, reasoning_content: reasoning }));
	for (const text of reply.text ? fragments(reply.text, 3) : []) chunks.push(chunk({ content: text }));
	if (reply.refusal?.explanation) chunks.push(chunk({ refusal: reply.refusal.explanation }));
	(reply.toolCalls ?? []).forEach((call, index) => {
		chunks.push(
			chunk({ tool_calls: [{ index, id: toolCallId(reply, index), type: 'function', function: { name: call.name, arguments: '' } }] }),
		);
		for (const piece of fragments(argumentsText(call), 3)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
	});
	chunks.push(chunk({}, finishReasons[defaultStopReason(reply)]));
	if (includeUsage && !reply.omitUsage) chunks.push({ ...chunk({}), choices: [], usage: usageOf(reply) });
	return chunks;
};

export const chatSseFrame = (chunk: Chunk | '[DONE]'): string => `data: ${chunk === '[DONE]' ? chunk : JSON.stringify(chunk)}\n\n`;

const errorTypes: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'invalid_request_error',
	403: 'permission_error',
	404: 'invalid_request_error',
	429: 'rate_limit_exceeded',
};

export const chatErrorBody = (status: number, message: string, code?: string) => ({
	error: { message, type: code ?? errorTypes[status] ?? 'server_error', param: null, code: code ?? (status === 401 ? 'invalid_api_key' : null) },
});

/** An error chunk inside a stream that already started, as OpenAI-compatible servers send it. */
export const chatStreamErrorFrame = (errorType: string, message: string): string =>
	chatSseFrame({ error: { message, type: errorType, param: null, code: null } });
