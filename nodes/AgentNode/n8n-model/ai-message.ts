import type { AssistantMessage, StopReason, Usage } from '../../../lib/engine';
import type { LangChainAIMessage } from './langchain-shapes';

/** One answer of a connected chat model in the engine's terms; `usage` is undefined when the model reported none. */
export type ReadAnswer = { message: AssistantMessage; stopReason: StopReason; stopDetails?: string; usage?: Usage; modelId?: string };

/**
 * How each provider family names why it stopped, as LangChain passes it on in `response_metadata`:
 * `finish_reason` (OpenAI and the OpenAI-compatible ones: Groq, Mistral, DeepSeek, xAI, OpenRouter…),
 * `stop_reason` (Anthropic), `stopReason` (AWS Bedrock Converse), `finishReason` (Google Gemini,
 * Vertex), `done_reason` (Ollama).
 */
const stopReasons: Readonly<Record<string, StopReason>> = {
	stop: 'end-turn',
	end_turn: 'end-turn',
	stop_sequence: 'end-turn',
	STOP: 'end-turn',
	length: 'max-tokens',
	max_tokens: 'max-tokens',
	MAX_TOKENS: 'max-tokens',
	model_context_window_exceeded: 'max-tokens',
	tool_calls: 'tool-calls',
	function_call: 'tool-calls',
	tool_use: 'tool-calls',
	content_filter: 'refusal',
	refusal: 'refusal',
	content_filtered: 'refusal',
	guardrail_intervened: 'refusal',
	SAFETY: 'refusal',
	RECITATION: 'refusal',
	PROHIBITED_CONTENT: 'refusal',
	BLOCKLIST: 'refusal',
	SPII: 'refusal',
};

const stopReasonFields = ['finish_reason', 'stop_reason', 'stopReason', 'finishReason', 'done_reason'] as const;

export function readAIMessage(answer: LangChainAIMessage): ReadAnswer {
	const content: AssistantMessage['content'] = [];
	for (const block of contentBlocks(answer.content)) {
		if (block.type === 'text' && block.text !== '') content.push({ type: 'text', text: block.text });
		if (block.type === 'reasoning' && block.text !== '') content.push({ type: 'reasoning', text: block.text });
	}
	(answer.tool_calls ?? []).forEach((call, index) => {
		content.push({ type: 'tool-call', toolCallId: call.id || `call_${index + 1}`, toolName: call.name ?? '', input: call.args ?? {} });
	});
	// Arguments that were not JSON: kept as the raw text, so validation can show the model what it sent.
	(answer.invalid_tool_calls ?? []).forEach((call, index) => {
		content.push({ type: 'tool-call', toolCallId: call.id || `invalid_call_${index + 1}`, toolName: call.name ?? '', input: typeof call.args === 'string' ? call.args : (call.args ?? {}) });
	});

	const metadata = answer.response_metadata ?? {};
	const providerReason = stopReasonFields.map((field) => metadata[field] ?? (answer.additional_kwargs ?? {})[field]).find((value) => typeof value === 'string') as string | undefined;
	const refusal = typeof answer.additional_kwargs?.refusal === 'string' ? answer.additional_kwargs.refusal : undefined;
	const hasToolCalls = content.some((part) => part.type === 'tool-call');
	const stopReason: StopReason = refusal ? 'refusal' : (stopReasons[providerReason ?? ''] ?? (hasToolCalls ? 'tool-calls' : providerReason === undefined ? 'end-turn' : 'other'));
	const modelId = [metadata.model_name, metadata.model, metadata.modelId].find((value) => typeof value === 'string') as string | undefined;
	return {
		message: { role: 'assistant', content },
		stopReason: stopReason === 'end-turn' && hasToolCalls ? 'tool-calls' : stopReason,
		...(refusal ? { stopDetails: refusal } : stopReason === 'refusal' && providerReason ? { stopDetails: providerReason } : {}),
		...(reportsUsage(answer.usage_metadata) ? { usage: usageOf(answer.usage_metadata) } : {}),
		...(modelId ? { modelId } : {}),
	};
}

type Block = { type: 'text' | 'reasoning'; text: string } | { type: 'other' };

/** LangChain content: a string, or provider blocks (`text`, Anthropic `thinking`, `reasoning`, `tool_use`…). */
function contentBlocks(content: unknown): Block[] {
	if (typeof content === 'string') return [{ type: 'text', text: content }];
	if (!Array.isArray(content)) return [];
	return content.map((block: unknown): Block => {
		if (typeof block === 'string') return { type: 'text', text: block };
		const record = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
		if (record.type === 'text' && typeof record.text === 'string') return { type: 'text', text: record.text };
		if (record.type === 'thinking' && typeof record.thinking === 'string') return { type: 'reasoning', text: record.thinking };
		if (record.type === 'reasoning' && typeof record.reasoning === 'string') return { type: 'reasoning', text: record.reasoning };
		return { type: 'other' };
	});
}

/** Some LangChain classes fill in zeros when the provider sent no usage; a real call always has input. */
function reportsUsage(usage: LangChainAIMessage['usage_metadata']): usage is NonNullable<LangChainAIMessage['usage_metadata']> {
	return usage !== undefined && (whole(usage.input_tokens) > 0 || whole(usage.output_tokens) > 0);
}

/**
 * LangChain counts cached tokens inside `input_tokens` (OpenAI and Anthropic alike); the engine
 * counts uncached input apart from cache reads and writes, as Anthropic bills them.
 */
function usageOf(usage: NonNullable<LangChainAIMessage['usage_metadata']>): Usage {
	const cacheReadTokens = whole(usage.input_token_details?.cache_read);
	const cacheWriteTokens = whole(usage.input_token_details?.cache_creation);
	return {
		inputTokens: Math.max(0, whole(usage.input_tokens) - cacheReadTokens - cacheWriteTokens),
		outputTokens: whole(usage.output_tokens),
		cacheReadTokens,
		cacheWriteTokens,
	};
}

function whole(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
