import type { OpenAIProvider } from '@ai-sdk/openai';
import type { ModelRequest } from './language-model';
import type { RequestMessage } from './messages';

/** The AI SDK's LanguageModelV3 as `@ai-sdk/openai` returns it; types are taken from there so no other package is needed. */
export type ChatLanguageModel = ReturnType<OpenAIProvider['chat']>;
export type ChatCallOptions = Parameters<ChatLanguageModel['doStream']>[0];
type ChatPrompt = ChatCallOptions['prompt'];
type ChatMessage = ChatPrompt[number];
type ChatUserPart = Extract<Extract<ChatMessage, { role: 'user' }>['content'][number], { type: 'text' | 'file' }>;
type ChatTool = Extract<NonNullable<ChatCallOptions['tools']>[number], { type: 'function' }>;
type ChatResponseFormat = NonNullable<ChatCallOptions['responseFormat']>;

// Chat Completions has no tool-result content inside user turns: each result is its own `tool`
// message, and those must directly follow the assistant message that made the calls, so they go
// before any user text of the same turn.
const toChatMessages = (message: RequestMessage): ChatMessage[] => {
	if (message.role === 'assistant') {
		const content = message.content.map((part) =>
			part.type === 'tool-call'
				? { type: 'tool-call' as const, toolCallId: part.toolCallId, toolName: part.toolName, input: part.input }
				: { type: part.type, text: part.text },
		);
		return [{ role: 'assistant', content }];
	}
	const chatMessages: ChatMessage[] = [];
	const toolResults = message.content.flatMap((part) =>
		part.type === 'tool-result'
			? [
					{
						type: 'tool-result' as const,
						toolCallId: part.toolCallId,
						toolName: part.toolName,
						output: part.isError ? { type: 'error-text' as const, value: part.output } : { type: 'text' as const, value: part.output },
					},
				]
			: [],
	);
	if (toolResults.length > 0) chatMessages.push({ role: 'tool', content: toolResults });
	// Files go as the AI SDK's file parts, which it sends as image_url (images) and file (PDFs) content, base64.
	const userContent = message.content.flatMap((part): ChatUserPart[] => {
		if (part.type === 'text') return [{ type: 'text', text: part.text }];
		if (part.type === 'file') return [{ type: 'file', mediaType: part.mediaType, data: part.data, ...(part.name === undefined ? {} : { filename: part.name }) }];
		return [];
	});
	if (userContent.length > 0) chatMessages.push({ role: 'user', content: userContent });
	return chatMessages;
};

const toResponseFormat = (request: ModelRequest): ChatResponseFormat | undefined =>
	request.structuredOutput && {
		type: 'json',
		name: request.structuredOutput.name,
		schema: request.structuredOutput.schema as Extract<ChatResponseFormat, { type: 'json' }>['schema'],
	};

/** The LanguageModelV3 call options for one streaming Chat Completions call. */
export const toChatCallOptions = (request: ModelRequest): ChatCallOptions => {
	const prompt: ChatPrompt = [
		...(request.system.trim() === '' ? [] : [{ role: 'system' as const, content: request.system }]),
		...request.messages.flatMap(toChatMessages),
	];
	const tools: ChatTool[] = request.tools.map((tool) => ({
		type: 'function',
		name: tool.name,
		description: tool.description,
		inputSchema: tool.inputSchema as ChatTool['inputSchema'],
	}));
	return {
		prompt,
		maxOutputTokens: request.maxOutputTokens,
		abortSignal: request.signal,
		...(tools.length > 0 ? { tools } : {}),
		...(request.structuredOutput
			? {
					responseFormat: toResponseFormat(request),
					// Strict mode only accepts schemas where every property is required and no extra
					// properties are allowed; users' schemas rarely are, and a rejected request would end
					// the run. The engine validates the answer against the schema either way.
					providerOptions: { openai: { strictJsonSchema: false } },
				}
			: {}),
	};
};
