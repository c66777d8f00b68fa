import type {
	ContentBlockParam,
	MessageCreateParamsStreaming,
	MessageParam,
	TextBlockParam,
	Tool as AnthropicTool,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelRequest, ToolDefinition } from './language-model';
import type { AssistantMessage, Message, UserMessage } from './messages';
import { toolInputForReplay } from './parse-tool-input';

// Prompt caching: a breakpoint marks the end of a prefix the API may cache. Tools come first in
// Anthropic's prompt order, then the system prompt; both are identical on every turn of a run, so
// breakpoints there make every later turn read them from cache. The API allows four breakpoints;
// two are used here, leaving room for one on the conversation itself.
const ephemeral = { type: 'ephemeral' } as const;

const toAnthropicTools = (tools: readonly ToolDefinition[]): AnthropicTool[] =>
	tools.map((tool, index) => ({
		name: tool.name,
		description: tool.description,
		input_schema: tool.inputSchema as AnthropicTool.InputSchema,
		...(index === tools.length - 1 ? { cache_control: ephemeral } : {}),
	}));

const toSystemBlocks = (system: string): TextBlockParam[] | undefined =>
	system.trim() === '' ? undefined : [{ type: 'text', text: system, cache_control: ephemeral }];

// The API requires tool results to open the user turn that answers a tool call, before any text,
// and refuses empty text blocks.
const toUserContent = (message: UserMessage): ContentBlockParam[] => {
	const toolResults: ContentBlockParam[] = [];
	const texts: ContentBlockParam[] = [];
	for (const part of message.content) {
		if (part.type === 'tool-result') {
			toolResults.push({ type: 'tool_result', tool_use_id: part.toolCallId, content: part.output, is_error: part.isError });
		} else if (part.text !== '') {
			texts.push({ type: 'text', text: part.text });
		}
	}
	return [...toolResults, ...texts];
};

const toAssistantContent = (message: AssistantMessage): ContentBlockParam[] =>
	message.content.flatMap((part): ContentBlockParam[] => {
		switch (part.type) {
			case 'text':
				return part.text === '' ? [] : [{ type: 'text', text: part.text }];
			case 'reasoning':
				// Thinking goes back exactly as received (the signature proves it is unaltered);
				// reasoning without a signature came from another provider and Anthropic would refuse it.
				if (part.redactedData !== undefined) return [{ type: 'redacted_thinking', data: part.redactedData }];
				if (part.signature !== undefined) return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
				return [];
			case 'tool-call':
				return [{ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: toolInputForReplay(part.input) }];
		}
	});

const toAnthropicMessage = (message: Message): MessageParam =>
	message.role === 'user'
		? { role: 'user', content: toUserContent(message) }
		: { role: 'assistant', content: toAssistantContent(message) };

/** The Messages API body for one streaming call. */
export const toAnthropicRequest = (modelId: string, request: ModelRequest): MessageCreateParamsStreaming => {
	const system = toSystemBlocks(request.system);
	return {
		model: modelId,
		max_tokens: request.maxOutputTokens,
		stream: true,
		messages: request.messages.map(toAnthropicMessage),
		...(system ? { system } : {}),
		...(request.tools.length > 0 ? { tools: toAnthropicTools(request.tools) } : {}),
		...(request.structuredOutput
			? { output_config: { format: { type: 'json_schema', schema: request.structuredOutput.schema } } }
			: {}),
	};
};
