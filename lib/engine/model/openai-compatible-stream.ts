import type { ModelResponse, StopReason } from './language-model';
import type { AssistantMessage, Usage } from './messages';
import type { ChatLanguageModel } from './openai-compatible-prompt';
import { filteredCategories, reasoningDelta, refusalDelta } from './openai-compatible-reasoning';
import { parseToolInput } from './parse-tool-input';

type StreamResult = Awaited<ReturnType<ChatLanguageModel['doStream']>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;
type FinishPart = Extract<StreamPart, { type: 'finish' }>;

/**
 * What the stream produced. `finished: false` means it ended without a finish reason, which every
 * Chat Completions server sends before `[DONE]`: the answer was cut off. `error` is the payload of
 * an error part, which the server sent inside the stream.
 */
export type ChatStreamResult =
	| { outcome: 'finished'; response: ModelResponse; usageReported: boolean }
	| { outcome: 'cut-off' }
	| { outcome: 'error'; error: unknown };

const stopReasons: Record<FinishPart['finishReason']['unified'], StopReason> = {
	stop: 'end-turn',
	'tool-calls': 'tool-calls',
	length: 'max-tokens',
	'content-filter': 'refusal',
	error: 'other',
	other: 'other',
};

// The provider's input count includes cached tokens; ours counts them apart (as Anthropic does)
// so that adding the four fields never counts a token twice.
const toUsage = (usage: FinishPart['usage']): Usage => {
	const cacheReadTokens = usage.inputTokens.cacheRead ?? 0;
	const cacheWriteTokens = usage.inputTokens.cacheWrite ?? 0;
	return {
		inputTokens: usage.inputTokens.noCache ?? Math.max(0, (usage.inputTokens.total ?? 0) - cacheReadTokens - cacheWriteTokens),
		outputTokens: usage.outputTokens.total ?? 0,
		cacheReadTokens,
		cacheWriteTokens,
	};
};

/** A refusal's stated reason on this wire: OpenAI's refusal text, or the categories a content filter flagged. */
const describeRefusal = (refusal: string, categories: ReadonlySet<string>): string | undefined => {
	const parts = [refusal.trim(), categories.size > 0 ? `filtered categories: ${[...categories].join(', ')}` : ''].filter((part) => part !== '');
	return parts.length > 0 ? parts.join('; ') : undefined;
};

/**
 * Folds the LanguageModelV3 stream parts of one call into a response. The call must be made with
 * `includeRawChunks`: reasoning, refusal text and content-filter categories are read from the raw
 * chunks, which the AI SDK's chat model does not otherwise surface.
 */
export const collectChatStream = async (stream: StreamResult['stream'], requestedModelId: string, onTextDelta?: (delta: string) => void): Promise<ChatStreamResult> => {
	const content: AssistantMessage['content'] = [];
	let modelId = requestedModelId;
	let finish: FinishPart | undefined;
	let refusal = '';
	const filtered = new Set<string>();

	const appendText = (type: 'text' | 'reasoning', delta: string) => {
		const last = content[content.length - 1];
		if (last?.type === type) last.text += delta;
		else content.push({ type, text: delta });
	};

	const reader = stream.getReader();
	try {
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			const part = next.value;
			switch (part.type) {
				case 'text-delta':
					appendText('text', part.delta);
					onTextDelta?.(part.delta);
					break;
				case 'raw': {
					const reasoning = reasoningDelta(part.rawValue);
					if (reasoning !== undefined) appendText('reasoning', reasoning);
					refusal += refusalDelta(part.rawValue) ?? '';
					for (const category of filteredCategories(part.rawValue)) filtered.add(category);
					break;
				}
				case 'tool-call':
					content.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: parseToolInput(part.input) });
					break;
				case 'response-metadata':
					modelId = part.modelId ?? modelId;
					break;
				case 'finish':
					finish = part;
					break;
				case 'error':
					await reader.cancel().catch(() => undefined);
					return { outcome: 'error', error: part.error };
			}
		}
	} finally {
		reader.releaseLock();
	}

	if (!finish || finish.finishReason.raw === undefined) return { outcome: 'cut-off' };
	const stopReason = stopReasons[finish.finishReason.unified];
	const stopDetails = stopReason === 'refusal' ? describeRefusal(refusal, filtered) : undefined;
	return {
		outcome: 'finished',
		response: {
			message: { role: 'assistant', content: content.filter((part) => part.type !== 'text' || part.text !== '') },
			stopReason,
			...(stopDetails ? { stopDetails } : {}),
			usage: toUsage(finish.usage),
			modelId,
		},
		usageReported: finish.usage.inputTokens.total !== undefined || finish.usage.outputTokens.total !== undefined,
	};
};
