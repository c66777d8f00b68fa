import { argumentsText, defaultStopReason, fragments, type ScriptedReply } from './script';

// The Anthropic Messages API wire format, as documented and as the recordings in
// test/fixtures/provider-streams/anthropic show it.

type Event = { type: string; [field: string]: unknown };

const stopReasons = { 'end-turn': 'end_turn', 'tool-calls': 'tool_use', 'max-tokens': 'max_tokens', refusal: 'refusal' } as const;

const usageOf = (reply: ScriptedReply) => ({
	input_tokens: reply.usage?.inputTokens ?? 10,
	cache_creation_input_tokens: reply.usage?.cacheWriteTokens ?? 0,
	cache_read_input_tokens: reply.usage?.cacheReadTokens ?? 0,
	output_tokens: reply.usage?.outputTokens ?? 5,
});

const toolCallId = (reply: ScriptedReply, index: number): string => reply.toolCalls?.[index]?.id ?? `toolu_scripted_${index + 1}`;

/** The content blocks of the finished message, as the non-streaming API returns them. */
const contentBlocks = (reply: ScriptedReply): Event[] => [
	...(reply.thinking ? [{ type: 'thinking', thinking: reply.thinking.text, signature: reply.thinking.signature }] : []),
	...(reply.text !== undefined ? [{ type: 'text', text: reply.text }] : []),
	...(reply.toolCalls ?? []).map((call, index) => ({
		type: 'tool_use',
		id: toolCallId(reply, index),
		name: call.name,
		input: call.arguments,
	})),
];

export const anthropicMessage = (reply: ScriptedReply, model: string, messageId: string) => ({
	id: messageId,
	type: 'message',
	role: 'assistant',
	model: reply.model ?? model,
	content: contentBlocks(reply),
	stop_reason: stopReasons[defaultStopReason(reply)],
	stop_sequence: null,
	...(reply.omitUsage ? {} : { usage: usageOf(reply) }),
});

/** The full SSE event sequence: message_start, one start/delta…/stop group per block, message_delta, message_stop. */
export const anthropicStreamEvents = (reply: ScriptedReply, model: string, messageId: string): Event[] => {
	const usage = usageOf(reply);
	const events: Event[] = [
		{
			type: 'message_start',
			message: { ...anthropicMessage(reply, model, messageId), content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
		},
		{ type: 'ping' },
	];
	let index = 0;
	const block = (start: Event, deltas: Event[]) => {
		events.push({ type: 'content_block_start', index, content_block: start });
		for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
		events.push({ type: 'content_block_stop', index });
		index++;
	};
	if (reply.thinking) {
		block({ type: 'thinking', thinking: '', signature: '' }, [
			...fragments(reply.thinking.text, 2).map((thinking) => ({ type: 'thinking_delta', thinking })),
			{ type: 'signature_delta', signature: reply.thinking.signature },
		]);
	}
	if (reply.text !== undefined) {
		block({ type: 'text', text: '' }, fragments(reply.text, 3).map((text) => ({ type: 'text_delta', text })));
	}
	(reply.toolCalls ?? []).forEach((call, callIndex) => {
		const pieces = ['', ...fragments(argumentsText(call), 3)];
		block(
			{ type: 'tool_use', id: toolCallId(reply, callIndex), name: call.name, input: {} },
			pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
		);
	});
	const stopDetails = reply.refusal ? { type: 'refusal', category: reply.refusal.category ?? null, explanation: reply.refusal.explanation ?? null } : null;
	events.push({
		type: 'message_delta',
		delta: { stop_reason: stopReasons[defaultStopReason(reply)], stop_sequence: null, stop_details: stopDetails },
		...(reply.omitUsage ? {} : { usage }),
	});
	events.push({ type: 'message_stop' });
	if (reply.omitUsage) delete (events[0].message as { usage?: unknown }).usage;
	return events;
};

export const anthropicSseFrame = (event: { type: string }): string => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const errorTypes: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'authentication_error',
	403: 'permission_error',
	404: 'not_found_error',
	413: 'request_too_large',
	429: 'rate_limit_error',
	529: 'overloaded_error',
};

export const anthropicErrorBody = (status: number, message: string) => ({
	type: 'error',
	error: { type: errorTypes[status] ?? 'api_error', message },
});

/** The `error` event Anthropic sends inside a stream that already started, e.g. when overloaded mid-answer. */
export const anthropicStreamErrorFrame = (errorType: string, message: string): string =>
	`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: errorType, message } })}\n\n`;
