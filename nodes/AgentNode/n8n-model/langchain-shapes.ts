/**
 * The parts of LangChain's chat model and message objects this package reads. n8n's Chat Model
 * sub-nodes hand over LangChain objects from n8n's own copy of LangChain, which this package must
 * not load: everything is read by shape.
 */

/** A message as LangChain's `invoke` accepts it (coerced into its own message classes). */
export type LangChainMessageLike =
	| { role: 'system'; content: string }
	| { role: 'user'; content: string | LangChainUserBlock[] }
	| { role: 'assistant'; content: string; tool_calls?: Array<{ id: string; name: string; args: Record<string, unknown>; type: 'tool_call' }> }
	| { role: 'tool'; content: string; tool_call_id: string; status?: 'success' | 'error' };

/**
 * A user message's content block: text, an image as a data URL (as n8n's own agent passes binary
 * images; every LangChain chat class reads it), or a PDF in the form its provider family's class
 * reads: Anthropic's document block for ChatAnthropic, LangChain's base64 file block for the rest
 * (ChatOpenAI turns it into a `file` part). ChatAnthropic 1.5 sends a base64 data block twice, so
 * it gets its provider's own block.
 */
export type LangChainUserBlock =
	| { type: 'text'; text: string }
	| { type: 'image_url'; image_url: { url: string } }
	| { type: 'document'; source: { type: 'base64'; media_type: 'application/pdf'; data: string }; title?: string }
	| { type: 'file'; source_type: 'base64'; mime_type: 'application/pdf'; data: string; metadata: { filename: string } };

/** Which form of file blocks a chat model's LangChain class reads (see LangChainUserBlock). */
export type FileBlockFamily = 'anthropic' | 'openai';

/** OpenAI's function-tool format, which every LangChain chat model's `bindTools` accepts. */
export type LangChainToolDefinition = { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } };

/** What `invoke` returns: an AIMessage (or AIMessageChunk). */
export type LangChainAIMessage = {
	content?: unknown;
	tool_calls?: Array<{ id?: string; name?: string; args?: unknown }>;
	invalid_tool_calls?: Array<{ id?: string; name?: string; args?: unknown; error?: string }>;
	usage_metadata?: {
		input_tokens?: number;
		output_tokens?: number;
		input_token_details?: { cache_read?: number; cache_creation?: number };
	};
	response_metadata?: Record<string, unknown>;
	additional_kwargs?: Record<string, unknown>;
};

export type InvokeOptions = { signal?: AbortSignal };

export type LangChainRunnable = { invoke(messages: LangChainMessageLike[], options?: InvokeOptions): Promise<LangChainAIMessage> };

/** A LangChain chat model as a Chat Model sub-node supplies it. */
export type LangChainChatModel = LangChainRunnable & {
	bindTools?(tools: LangChainToolDefinition[]): LangChainRunnable;
	_llmType?(): string;
	model?: unknown;
	modelName?: unknown;
};

export function isLangChainChatModel(value: unknown): value is LangChainChatModel {
	return typeof value === 'object' && value !== null && typeof (value as { invoke?: unknown }).invoke === 'function';
}
