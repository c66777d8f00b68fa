/** JSON values as they cross every boundary: model output, tool input and output, storage. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema document (draft-07 or 2020-12), kept as plain data. */
export type JsonSchema = { [key: string]: JsonValue };

export type TextPart = { type: 'text'; text: string };

/** Model reasoning ("extended thinking"); kept so providers that require it on later turns get it back. */
export type ReasoningPart = { type: 'reasoning'; text: string; signature?: string; redactedData?: string };

/**
 * A tool call as the model made it. `input` is the parsed arguments; when the model sent text that
 * is not JSON, `input` is that raw text and validation reports it back to the model.
 */
export type ToolCallPart = { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown };

/** The result the engine returns to the model for one tool call; `isError` marks failures the model may fix. */
export type ToolResultPart = {
	type: 'tool-result';
	toolCallId: string;
	toolName: string;
	output: string;
	isError: boolean;
};

export type UserMessage = { role: 'user'; content: Array<TextPart | ToolResultPart> };
export type AssistantMessage = { role: 'assistant'; content: Array<TextPart | ReasoningPart | ToolCallPart> };
export type Message = UserMessage | AssistantMessage;

/**
 * Token usage of one model call or a whole run. Cache tokens are part of the input the provider billed.
 * `estimated`: some call's provider reported no usage, so its counts were estimated from the size of
 * its request and answer (budgets still hold; costs are approximate).
 */
export type Usage = {
	inputTokens: number;
	outputTokens: number;
	cacheReadTokens: number;
	cacheWriteTokens: number;
	estimated?: boolean;
};

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export const addUsage = (a: Usage, b: Usage): Usage => ({
	inputTokens: a.inputTokens + b.inputTokens,
	outputTokens: a.outputTokens + b.outputTokens,
	cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
	cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
	...(a.estimated === true || b.estimated === true ? { estimated: true } : {}),
});

/** Every token the provider counted, billed input (including cache) plus output. */
export const totalTokens = (usage: Usage): number =>
	usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;

/** The text of an assistant message, its text parts joined (reasoning left out). */
export const answerText = (message: AssistantMessage): string => message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

export const toolCallsOf = (message: AssistantMessage): ToolCallPart[] => message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
