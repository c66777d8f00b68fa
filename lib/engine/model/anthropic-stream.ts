import type { MessageDeltaUsage, RawMessageStreamEvent, RefusalStopDetails, Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages';
import type { ModelResponse, StopReason } from './language-model';
import type { AssistantMessage, Usage } from './messages';
import { parseToolInput } from './parse-tool-input';

/** One content block as it builds up from its start event and deltas. */
type BlockInProgress =
	| { type: 'text'; text: string }
	| { type: 'thinking'; text: string; signature?: string }
	| { type: 'redacted-thinking'; data: string }
	| { type: 'tool-use'; id: string; name: string; startInput: unknown; inputJson: string; sawInputDelta: boolean }
	| { type: 'ignored' };

/**
 * What a finished stream produced, or `complete: false` when it ended before `message_stop`.
 * `usageReported` is false when no event carried usage (a gateway that strips it).
 */
export type AnthropicStreamResult = { complete: true; response: ModelResponse; usageReported: boolean } | { complete: false };

const stopReasons: Record<string, StopReason> = {
	end_turn: 'end-turn',
	stop_sequence: 'end-turn',
	tool_use: 'tool-calls',
	max_tokens: 'max-tokens',
	// The answer stopped because the context window filled up: cut off, like the output-token limit.
	model_context_window_exceeded: 'max-tokens',
	refusal: 'refusal',
};

const startBlock = (event: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>): BlockInProgress => {
	const block = event.content_block;
	switch (block.type) {
		case 'text':
			return { type: 'text', text: block.text };
		case 'thinking':
			return { type: 'thinking', text: block.thinking, signature: block.signature || undefined };
		case 'redacted_thinking':
			return { type: 'redacted-thinking', data: block.data };
		case 'tool_use':
			return { type: 'tool-use', id: block.id, name: block.name, startInput: block.input, inputJson: '', sawInputDelta: false };
		default:
			// Server-side tools (web search, code execution) run at Anthropic; their blocks are not ours to replay.
			return { type: 'ignored' };
	}
};

const applyDelta = (block: BlockInProgress, event: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>): void => {
	const delta = event.delta;
	if (delta.type === 'text_delta' && block.type === 'text') block.text += delta.text;
	else if (delta.type === 'thinking_delta' && block.type === 'thinking') block.text += delta.thinking;
	else if (delta.type === 'signature_delta' && block.type === 'thinking') block.signature = (block.signature ?? '') + delta.signature;
	else if (delta.type === 'input_json_delta' && block.type === 'tool-use') {
		block.inputJson += delta.partial_json;
		block.sawInputDelta = true;
	}
};

const toContent = (blocks: readonly BlockInProgress[]): AssistantMessage['content'] =>
	blocks.flatMap((block): AssistantMessage['content'] => {
		switch (block.type) {
			case 'text':
				return block.text === '' ? [] : [{ type: 'text', text: block.text }];
			case 'thinking':
				return [{ type: 'reasoning', text: block.text, ...(block.signature ? { signature: block.signature } : {}) }];
			case 'redacted-thinking':
				return [{ type: 'reasoning', text: '', redactedData: block.data }];
			case 'tool-use':
				return [
					{
						type: 'tool-call',
						toolCallId: block.id,
						toolName: block.name,
						input: block.sawInputDelta ? parseToolInput(block.inputJson) : (block.startInput ?? {}),
					},
				];
			case 'ignored':
				return [];
		}
	});

/** A refusal's category and explanation as one readable line, when the API gave either. */
const describeStopDetails = (details: RefusalStopDetails | null | undefined): string | undefined => {
	const parts = [details?.category ? `category: ${details.category}` : '', details?.explanation ?? ''].filter((part) => part !== '');
	return parts.length > 0 ? parts.join('; ') : undefined;
};

// message_delta carries the final counts; fields it leaves out (older API versions) keep their message_start values.
const mergeUsage = (usage: Usage, update: Partial<AnthropicUsage> | MessageDeltaUsage | undefined): Usage => ({
	inputTokens: update?.input_tokens ?? usage.inputTokens,
	outputTokens: update?.output_tokens ?? usage.outputTokens,
	cacheReadTokens: update?.cache_read_input_tokens ?? usage.cacheReadTokens,
	cacheWriteTokens: update?.cache_creation_input_tokens ?? usage.cacheWriteTokens,
});

/** Folds the Messages API stream into one response. */
export const collectAnthropicStream = async (
	events: AsyncIterable<RawMessageStreamEvent>,
	requestedModelId: string,
	onTextDelta?: (delta: string) => void,
): Promise<AnthropicStreamResult> => {
	const blocks: BlockInProgress[] = [];
	let usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
	let modelId = requestedModelId;
	let rawStopReason: string | null = null;
	let stopDetails: string | undefined;
	let usageReported = false;

	for await (const event of events) {
		switch (event.type) {
			case 'message_start':
				modelId = event.message.model || requestedModelId;
				usageReported ||= event.message.usage != null;
				usage = mergeUsage(usage, event.message.usage);
				break;
			case 'content_block_start':
				blocks[event.index] = startBlock(event);
				break;
			case 'content_block_delta': {
				const block = blocks[event.index];
				if (block) applyDelta(block, event);
				if (block?.type === 'text' && event.delta.type === 'text_delta') onTextDelta?.(event.delta.text);
				break;
			}
			case 'message_delta':
				rawStopReason = event.delta.stop_reason ?? rawStopReason;
				stopDetails = describeStopDetails(event.delta.stop_details) ?? stopDetails;
				usageReported ||= event.usage != null;
				usage = mergeUsage(usage, event.usage);
				break;
			case 'message_stop':
				return {
					complete: true,
					response: {
						message: { role: 'assistant', content: toContent(blocks.filter(Boolean)) },
						stopReason: (rawStopReason && stopReasons[rawStopReason]) || 'other',
						...(stopDetails ? { stopDetails } : {}),
						usage,
						modelId,
					},
					usageReported,
				};
		}
	}
	return { complete: false };
};
