import { z } from 'zod/v4';

import type { AssistantMessage, JsonSchema, RequestMessage, Usage } from './messages';

/** What the model sees of a tool: no code, just the contract. */
export type ToolDefinition = { name: string; description: string; inputSchema: JsonSchema };

/** Ask for JSON matching `schema`; adapters use the provider's native structured output where it has one. */
export type StructuredOutputRequest = { name: string; schema: JsonSchema };

export type ModelRequest = {
	system: string;
	/** The conversation as sent: file parts carry their bytes (loaded by the engine, never by adapters). */
	messages: readonly RequestMessage[];
	tools: readonly ToolDefinition[];
	/** Set on the final answer turn of a JSON-output run when the provider can enforce a schema. */
	structuredOutput?: StructuredOutputRequest;
	maxOutputTokens: number;
	signal: AbortSignal;
	/** Called with each piece of answer text as it arrives (streaming into a chat); adapters that cannot stream call it once per answer. */
	onTextDelta?: (delta: string) => void;
};

/**
 * Why the model stopped, on either wire format: `max-tokens` is the output-token limit (Anthropic
 * `max_tokens`, Chat Completions `length`); `refusal` is a refusal or content filter (Anthropic
 * `refusal`, Chat Completions `content_filter` or a `refusal` message).
 */
export const stopReasonSchema = z.enum(['end-turn', 'tool-calls', 'max-tokens', 'refusal', 'other']);
export type StopReason = z.infer<typeof stopReasonSchema>;

export type ModelResponse = {
	message: AssistantMessage;
	stopReason: StopReason;
	/** What the provider said about the stop, when it said anything (a refusal's category and explanation). */
	stopDetails?: string;
	usage: Usage;
	/** The model id the provider reports having used. */
	modelId: string;
};

/**
 * The network boundary of the engine: one call, one assistant message. Adapters stream under the
 * hood and throw `ModelCallError` (see model-error.ts) for anything that is not a response.
 */
export interface LanguageModel {
	/** `connected`: a chat model from an n8n Chat Model sub-node, through LangChain. */
	readonly provider: 'anthropic' | 'openai-compatible' | 'connected';
	readonly modelId: string;
	/** Whether `structuredOutput` is enforced by the provider rather than only requested in the prompt. */
	readonly supportsStructuredOutput: boolean;
	generate(request: ModelRequest): Promise<ModelResponse>;
}
