import type { LoadedFilePart, RequestMessage, ToolDefinition } from '../../../lib/engine';
import type { FileBlockFamily, LangChainMessageLike, LangChainToolDefinition, LangChainUserBlock } from './langchain-shapes';

/**
 * The engine's conversation as LangChain messages: system first, then user text and files, assistant text
 * with its tool calls, and one tool message per result (LangChain's provider classes group them as
 * each provider needs). Reasoning parts stay in the engine's transcript: LangChain has no
 * provider-neutral way to send them back.
 */
export function toLangChainMessages(system: string, messages: readonly RequestMessage[], fileBlocks: FileBlockFamily = 'openai'): LangChainMessageLike[] {
	const converted: LangChainMessageLike[] = system.trim() === '' ? [] : [{ role: 'system', content: system }];
	for (const message of messages) {
		if (message.role === 'assistant') {
			const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
			const toolCalls = message.content.flatMap((part) =>
				part.type === 'tool-call' ? [{ id: part.toolCallId, name: part.toolName, args: argumentsObject(part.input), type: 'tool_call' as const }] : [],
			);
			converted.push(toolCalls.length === 0 ? { role: 'assistant', content: text } : { role: 'assistant', content: text, tool_calls: toolCalls });
			continue;
		}
		const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
		for (const part of message.content) {
			if (part.type === 'tool-result') {
				converted.push({ role: 'tool', content: part.output, tool_call_id: part.toolCallId, ...(part.isError ? { status: 'error' as const } : {}) });
			}
		}
		const files = message.content.flatMap((part) => (part.type === 'file' ? [toFileBlock(part, fileBlocks)] : []));
		if (files.length > 0) converted.push({ role: 'user', content: [...files, ...(text === '' ? [] : [{ type: 'text' as const, text }])] });
		else if (text !== '') converted.push({ role: 'user', content: text });
	}
	return converted;
}

function toFileBlock(part: LoadedFilePart, family: FileBlockFamily): LangChainUserBlock {
	if (part.mediaType !== 'application/pdf') return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } };
	if (family === 'anthropic') return { type: 'document', source: { type: 'base64', media_type: part.mediaType, data: part.data }, ...(part.name === undefined ? {} : { title: part.name }) };
	// OpenAI requires a file name with file data.
	return { type: 'file', source_type: 'base64', mime_type: part.mediaType, data: part.data, metadata: { filename: part.name ?? `file-${part.ref.slice(0, 12)}.pdf` } };
}

export function toLangChainTools(tools: readonly ToolDefinition[]): LangChainToolDefinition[] {
	return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } }));
}

/** Providers take only an object as a replayed call's arguments; invalid ones were already answered with an error. */
function argumentsObject(input: unknown): Record<string, unknown> {
	return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
