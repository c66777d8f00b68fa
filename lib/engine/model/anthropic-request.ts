import type {
	ContentBlockParam,
	MessageCreateParamsStreaming,
	MessageParam,
	TextBlockParam,
	Tool as AnthropicTool,
} from '@anthropic-ai/sdk/resources/messages';
import { memoryBlockTag } from '../memory/memory-block';
import type { ModelRequest, ToolDefinition } from './language-model';
import type { AssistantMessage, LoadedFilePart, RequestMessage, RequestUserMessage } from './messages';
import { toolInputForReplay } from './parse-tool-input';

// Prompt caching: a breakpoint marks the end of a prefix the API may cache, in Anthropic's prompt
// order: tools, then system, then messages. The stable prefix gets one breakpoint per part that
// changes at its own pace: the tool definitions, the instructions, and the memory block (memory may
// change between runs; the instructions then still come from cache). One more moves with the
// conversation, on the last block of the latest message: the next turn finds this turn's prefix in
// the cache, since the API looks back from each breakpoint for earlier cached prefixes. That makes
// four at most, the API's limit.
const ephemeral = { type: 'ephemeral' } as const;

// The memory block starts at the first line that begins with memoryBlockTag; the text from there
// on is sent as its own system block, after the instructions.
const toAnthropicTools = (tools: readonly ToolDefinition[]): AnthropicTool[] =>
	tools.map((tool, index) => ({
		name: tool.name,
		description: tool.description,
		input_schema: tool.inputSchema as AnthropicTool.InputSchema,
		...(index === tools.length - 1 ? { cache_control: ephemeral } : {}),
	}));

/** The instructions and, when the prompt has one, the memory block: split exactly, so their text joins back to `system`. */
const toSystemBlocks = (system: string): TextBlockParam[] | undefined => {
	// 0 when there is no memory block, or when the prompt is all memory: one block either way.
	const memoryStart = system.indexOf(`\n${memoryBlockTag}`) + 1;
	const parts = memoryStart > 0 ? [system.slice(0, memoryStart), system.slice(memoryStart)] : [system];
	// The API refuses blank text blocks; a blank part joins the other one.
	const blocks = parts.every((part) => part.trim() !== '') ? parts : [system];
	return system.trim() === '' ? undefined : blocks.map((text) => ({ type: 'text', text, cache_control: ephemeral }));
};

/** An image as an image block, a PDF as a document block; both inline, base64. */
const toFileBlock = (part: LoadedFilePart): ContentBlockParam =>
	part.mediaType === 'application/pdf'
		? { type: 'document', source: { type: 'base64', media_type: part.mediaType, data: part.data }, ...(part.name === undefined ? {} : { title: part.name }) }
		: { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };

// The API requires tool results to open the user turn that answers a tool call, before any text or
// file, and refuses empty text blocks.
const toUserContent = (message: RequestUserMessage): ContentBlockParam[] => {
	const toolResults: ContentBlockParam[] = [];
	const rest: ContentBlockParam[] = [];
	for (const part of message.content) {
		if (part.type === 'tool-result') {
			toolResults.push({ type: 'tool_result', tool_use_id: part.toolCallId, content: part.output, is_error: part.isError });
		} else if (part.type === 'file') {
			rest.push(toFileBlock(part));
		} else if (part.text !== '') {
			rest.push({ type: 'text', text: part.text });
		}
	}
	return [...toolResults, ...rest];
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

// Thinking blocks cannot carry a breakpoint; every other block the adapter sends can.
const canCarryBreakpoint = (block: ContentBlockParam): boolean => block.type !== 'thinking' && block.type !== 'redacted_thinking';

/** The content with the moving breakpoint on its last block that can carry one. */
const withConversationBreakpoint = (content: ContentBlockParam[]): ContentBlockParam[] => {
	const blockIndex = content.findLastIndex(canCarryBreakpoint);
	if (blockIndex === -1) return content;
	const marked = [...content];
	marked[blockIndex] = { ...content[blockIndex], cache_control: ephemeral } as ContentBlockParam;
	return marked;
};

const toAnthropicMessage = (message: RequestMessage, isLatest: boolean): MessageParam => {
	const content = message.role === 'user' ? toUserContent(message) : toAssistantContent(message);
	return { role: message.role, content: isLatest ? withConversationBreakpoint(content) : content };
};

/** The Messages API body for one streaming call. */
export const toAnthropicRequest = (modelId: string, request: ModelRequest): MessageCreateParamsStreaming => {
	const system = toSystemBlocks(request.system);
	return {
		model: modelId,
		max_tokens: request.maxOutputTokens,
		stream: true,
		messages: request.messages.map((message, index) => toAnthropicMessage(message, index === request.messages.length - 1)),
		...(system ? { system } : {}),
		...(request.tools.length > 0 ? { tools: toAnthropicTools(request.tools) } : {}),
		...(request.structuredOutput
			? { output_config: { format: { type: 'json_schema', schema: request.structuredOutput.schema } } }
			: {}),
	};
};
