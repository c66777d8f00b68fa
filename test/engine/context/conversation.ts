import type { Message, ToolResultPart } from '../../../lib/engine/model/messages';

type Part = Message['content'][number];
const partsOf = (messages: readonly Message[]): Part[] => messages.flatMap((message): Part[] => message.content);

/** Hand-built conversations for the context tests: a task, then tool turns. */
export const userText = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

export const assistantText = (text: string): Message => ({ role: 'assistant', content: [{ type: 'text', text }] });

export const toolResult = (toolCallId: string, output: string, toolName = 'fetch_page'): ToolResultPart => ({
	type: 'tool-result',
	toolCallId,
	toolName,
	output,
	isError: false,
});

/** One tool turn: the assistant calls `fetch_page` once per output, and the results answer every call. */
export function toolTurn(turn: number, outputs: string[]): Message[] {
	const ids = outputs.map((_output, index) => `call_${turn}_${index + 1}`);
	return [
		{
			role: 'assistant',
			content: ids.map((toolCallId, index) => ({ type: 'tool-call', toolCallId, toolName: 'fetch_page', input: { page: `${turn}.${index + 1}` } })),
		},
		{ role: 'user', content: ids.map((toolCallId, index) => toolResult(toolCallId, outputs[index])) },
	];
}

/** Every tool call id in the messages, and every tool result id: they must stay paired. */
export function callAndResultIds(messages: readonly Message[]): { calls: string[]; results: string[] } {
	const parts = partsOf(messages);
	return {
		calls: parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : [])),
		results: parts.flatMap((part) => (part.type === 'tool-result' ? [part.toolCallId] : [])),
	};
}

/** The output of every tool result, in order. */
export const resultOutputs = (messages: readonly Message[]): string[] =>
	partsOf(messages).flatMap((part) => (part.type === 'tool-result' ? [part.output] : []));
